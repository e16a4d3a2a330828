#include "rules/pd3xx/secrets.h"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <vector>

#include "fs/path.h"

namespace pd {
namespace {

bool endsWith(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// Path tail "/.aws/credentials" (or the file at the root of the image).
bool hasTail(const std::string& path, std::string_view tail) {
  return endsWith(path, "/" + std::string(tail));
}

std::vector<std::string> lines(const std::string& bytes) {
  std::vector<std::string> out;
  std::istringstream in(bytes);
  for (std::string l; std::getline(in, l);) {
    if (!l.empty() && l.back() == '\r') l.pop_back();
    out.push_back(std::move(l));
  }
  return out;
}

int lineAt(const std::string& bytes, size_t offset) {
  int n = 1;
  for (size_t i = 0; i < offset && i < bytes.size(); ++i) n += bytes[i] == '\n';
  return n;
}

std::string trim(std::string s) {
  size_t a = s.find_first_not_of(" \t\"'");
  size_t b = s.find_last_not_of(" \t\"'");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

// "${NPM_TOKEN}" in an .npmrc is expanded from the environment at run time: not a secret.
bool isEnvReference(const std::string& v) {
  static const std::regex ref(R"(^\$\{[A-Za-z_][A-Za-z0-9_]*\}$)");
  return std::regex_match(v, ref);
}

bool isBase64(char c) {
  return isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=';
}

// A PEM private key block: the BEGIN line followed by a body (optionally RFC 1421 headers such as
// "Proc-Type:"), not a string literal in source code that merely names the marker. The line
// break may be a real one or an escaped "\n" (a key inside JSON, like a GCP service account).
std::optional<Secret> pemKey(const std::string& b) {
  if (!looksLikePrivateKey(b)) return std::nullopt;
  for (size_t k = b.find("-----BEGIN "); k != std::string::npos; k = b.find("-----BEGIN ", k + 1)) {
    size_t e = b.find("-----", k + 11);
    if (e == std::string::npos) break;
    std::string label = b.substr(k + 11, e - k - 11);
    if (!endsWith(label, "PRIVATE KEY")) continue;
    size_t i = e + 5;
    bool brk = false;
    while (i < b.size()) {
      if (b[i] == '\r' || b[i] == '\n') {
        ++i, brk = true;
      } else if (b.compare(i, 2, "\\n") == 0 || b.compare(i, 2, "\\r") == 0) {
        i += 2, brk = true;
      } else {
        break;
      }
    }
    size_t run = 0, name = 0;
    while (i + run < b.size() && isBase64(b[i + run])) ++run;
    // An RFC 1421 header ("Proc-Type: 4,ENCRYPTED"): letters and dashes up to a colon.
    while (i + name < b.size() && (std::isalpha(static_cast<unsigned char>(b[i + name])) ||
                                   (name > 0 && b[i + name] == '-')))
      ++name;
    bool header = name > 0 && i + name < b.size() && b[i + name] == ':';
    if (brk && (run >= 8 || header)) return Secret{"private key", label, lineAt(b, k)};
  }
  return std::nullopt;
}

std::optional<Secret> firstLine(const std::string& bytes, const std::regex& re,
                                const std::string& kind, const std::string& detail,
                                bool skipComments = true) {
  auto ls = lines(bytes);
  for (size_t i = 0; i < ls.size(); ++i) {
    const std::string& l = ls[i];
    size_t a = l.find_first_not_of(" \t");
    if (skipComments && a != std::string::npos && (l[a] == '#' || l[a] == ';')) continue;
    std::smatch m;
    if (!std::regex_search(l, m, re)) continue;
    // Group 1 names the key (safe to print), group 2 is the value (only checked, never kept).
    std::string value = m.size() > 2 ? trim(m[2].str()) : "x";
    if (value.empty() || isEnvReference(value)) continue;
    return Secret{kind, m.size() > 1 ? m[1].str() : detail, static_cast<int>(i) + 1};
  }
  return std::nullopt;
}

std::optional<Secret> dockerConfig(const std::string& b) {
  static const std::regex re(R"re("(auth|identitytoken)"\s*:\s*"[^"]+")re");
  auto j = nlohmann::json::parse(b, nullptr, false);
  std::smatch m;
  if (j.is_discarded()) {
    // A truncated or odd file: fall back to the text.
    if (!std::regex_search(b, m, re)) return std::nullopt;
    return Secret{"registry credentials", m[1].str(),
                  lineAt(b, static_cast<size_t>(m.position(0)))};
  }
  if (!j.is_object() || !j.contains("auths") || !j["auths"].is_object()) return std::nullopt;
  for (const auto& [registry, entry] : j["auths"].items()) {
    if (!entry.is_object()) continue;
    for (const char* key : {"auth", "identitytoken"}) {
      auto it = entry.find(key);
      if (it == entry.end() || !it->is_string() || it->get<std::string>().empty()) continue;
      size_t at = b.find("\"" + registry + "\"");
      return Secret{"registry credentials", registry + " " + key,
                    at == std::string::npos ? 0 : lineAt(b, at)};
    }
  }
  return std::nullopt;
}

// .netrc: whitespace-separated tokens; "password" followed by a value, across lines.
std::optional<Secret> netrc(const std::string& b) {
  auto ls = lines(b);
  bool want = false;
  int wantLine = 0;
  for (size_t i = 0; i < ls.size(); ++i) {
    std::istringstream in(ls[i]);
    for (std::string tok; in >> tok;) {
      if (want) return Secret{"netrc password", "password", wantLine};
      if (tok == "password") want = true, wantLine = static_cast<int>(i) + 1;
    }
  }
  return std::nullopt;
}

// Key material an installed package ships for its own tests or documentation (tornado's
// test/test.key, ssh2's test/fixtures/id_rsa, Go's crypto/tls/testdata) is the package's
// fixture, published with it, not a secret this image leaks. Installed software is what lies
// under a package tree (site-packages, dist-packages, node_modules, gems, vendor) or under /usr;
// its tests and docs are a directory below that named like them. The app's own files (/app/test,
// /srv/certs) stay checked: they are under no package tree.
bool inPackageTestsOrDocs(std::string_view path) {
  static const std::vector<std::string_view> roots = {"site-packages", "dist-packages",
                                                      "node_modules", "gems", "vendor"};
  static const std::vector<std::string_view> testsOrDocs = {
      "test",    "tests",    "testing", "testdata", "test-data", "__tests__",
      "spec",    "specs",    "fixture", "fixtures", "doc",       "docs",
      "example", "examples", "demo",    "demos",    "sample",    "samples"};
  auto in = [](const std::vector<std::string_view>& set, std::string_view c) {
    return std::find(set.begin(), set.end(), c) != set.end();
  };
  bool installed = path.starts_with("/usr/");
  size_t i = 1;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) break;  // the file name itself does not count
    std::string_view c = path.substr(i, j - i);
    if (installed && in(testsOrDocs, c)) return true;
    if (in(roots, c)) installed = true;
    i = j + 1;
  }
  return false;
}

// AWS's documentation example (aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY)
// is in every tutorial: a file whose secret keys are all such examples leaks nothing.
bool onlyAwsExampleKeys(const std::string& b) {
  static const std::regex re(R"(^\s*aws_secret_access_key\s*=\s*(\S*))", std::regex::icase);
  int keys = 0, examples = 0;
  for (const auto& l : lines(b)) {
    std::smatch m;
    if (!std::regex_search(l, m, re)) continue;
    ++keys;
    examples += m[1].str().ends_with("EXAMPLEKEY");
  }
  return keys > 0 && keys == examples;
}

bool isEnvFile(std::string_view base) {
  if (base == ".env") return true;
  if (base.rfind(".env.", 0) != 0 || base.size() == 5) return false;
  return base != ".env.example" && base != ".env.sample" && base != ".env.template";
}

}  // namespace

std::optional<Secret> classifySecret(const std::string& path, const Meta& m, const Captured* c) {
  if (m.type != FileType::Regular || m.size <= 0) return std::nullopt;
  static const std::string empty;
  const std::string& b = c ? c->bytes : empty;
  std::string_view base = baseName(path);
  if (inPackageTestsOrDocs(path)) return std::nullopt;

  if (base == "id_rsa" || base == "id_dsa" || base == "id_ecdsa" || base == "id_ed25519" ||
      base == "id_ecdsa_sk" || base == "id_ed25519_sk") {
    Secret s{"SSH private key file", std::string(base), 0};
    if (auto k = pemKey(b)) s.detail = k->detail, s.line = k->line;
    return s;
  }
  if (hasTail(path, ".aws/credentials")) {
    static const std::regex re(R"((aws_secret_access_key|aws_session_token)\s*=)",
                               std::regex::icase);
    if (onlyAwsExampleKeys(b)) return std::nullopt;
    if (auto s = firstLine(b, re, "AWS credentials", "")) return s;
    return Secret{"AWS credentials", "", 0};
  }
  if (hasTail(path, ".docker/config.json")) return dockerConfig(b);
  if (base == ".npmrc") {
    static const std::regex re(R"((?:^|[:\s])(_authToken|_auth|_password)\s*=\s*(.*))");
    return firstLine(b, re, "npm token", "");
  }
  if (base == ".pypirc") {
    static const std::regex re(R"(^\s*(password)\s*[=:]\s*(.*))");
    return firstLine(b, re, "PyPI password", "");
  }
  if (base == ".netrc") return netrc(b);
  if (base == ".git-credentials") {
    static const std::regex re(R"(://[^/:@\s]+:[^@\s]+@)");
    return firstLine(b, re, "git credentials", "user:password URL", false);
  }
  if (isEnvFile(base)) {
    static const std::regex assign(R"(^\s*(export\s+)?[A-Za-z_][A-Za-z0-9_.]*\s*=)");
    int vars = 0;
    for (const auto& l : lines(b)) vars += std::regex_search(l, assign);
    std::string detail;
    if (c && !b.empty()) detail = std::to_string(vars) + (vars == 1 ? " variable" : " variables");
    return Secret{".env file", detail, 0};
  }
  return pemKey(b);
}

std::string secretFix(const std::string& path, const Secret& s) {
  std::string base(baseName(path));
  // What .dockerignore should list: the directory for files known by their path tail.
  std::string ignore = base;
  if (hasTail(path, ".aws/credentials")) ignore = ".aws";
  if (hasTail(path, ".docker/config.json")) ignore = ".docker";
  std::string id = base;
  while (!id.empty() && id[0] == '.') id.erase(0, 1);
  if (s.kind == "SSH private key file")
    return "RUN --mount=type=ssh git clone git@<host>:<repo>.git   (docker build --ssh default; "
           "list " +
           base + " in .dockerignore)";
  if (s.kind == ".env file")
    return "list " + base +
           " in .dockerignore and pass the values at run time (docker run --env-file " + base +
           ", a Kubernetes Secret)";
  if (s.kind == "private key")
    return "mount the key at run time (a Kubernetes Secret, docker run -v), or for a build step "
           "RUN --mount=type=secret,id=" +
           id + ",target=" + path + " <command>";
  if (s.kind == "AWS credentials") id = "aws";
  if (s.kind == "registry credentials") id = "dockerconfig";
  return "RUN --mount=type=secret,id=" + id + ",target=" + path +
         " <command that needs it>   (and list " + ignore + " in .dockerignore)";
}

}  // namespace pd
