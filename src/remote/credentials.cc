#include "remote/credentials.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "common/json.h"

extern char** environ;

namespace pd {
namespace {

constexpr size_t kMaxAuthFileBytes = 4 << 20;
constexpr size_t kMaxHelperOutput = 64 << 10;
constexpr int kHelperTimeoutMs = 30000;

// "https://index.docker.io/v1/" -> "index.docker.io"; "http://host:5000/x" -> "host:5000".
std::string hostOfKey(std::string key) {
  if (auto p = key.find("://"); p != std::string::npos) key = key.substr(p + 3);
  if (auto slash = key.find('/'); slash != std::string::npos) key.resize(slash);
  return key;
}

bool isDockerHub(const std::string& host) {
  return host == "docker.io" || host == "index.docker.io" || host == "registry-1.docker.io";
}

bool sameRegistry(const std::string& key, const std::string& registry) {
  std::string h = hostOfKey(key);
  return h == registry || (isDockerHub(h) && isDockerHub(registry));
}

// What Docker passes a helper for a registry: Docker Hub's legacy URL, else the host.
std::string helperServerUrl(const std::string& registry) {
  return isDockerHub(registry) ? "https://index.docker.io/v1/" : registry;
}

std::string base64Decode(const std::string& in, const std::string& where) {
  std::string clean;
  for (char c : in)
    if (c != '\n' && c != '\r' && c != ' ') clean += c;
  if (clean.size() % 4 != 0) throw UsageError(where + ": \"auth\" is not base64");
  std::string out(clean.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(clean.data()),
                          static_cast<int>(clean.size()));
  if (n < 0) throw UsageError(where + ": \"auth\" is not base64");
  out.resize(static_cast<size_t>(n));
  // EVP_DecodeBlock counts the padding as zero bytes.
  for (size_t i = clean.size(); i > 0 && clean[i - 1] == '='; --i) out.pop_back();
  return out;
}

bool readSmallFile(const std::string& path, std::string& text) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::ostringstream ss;
  char buf[1 << 14];
  while (f.read(buf, sizeof buf) || f.gcount() > 0) {
    ss.write(buf, f.gcount());
    if (static_cast<size_t>(ss.tellp()) > kMaxAuthFileBytes)
      throw UsageError(path + ": auth file larger than 4 MiB");
  }
  text = ss.str();
  return true;
}

// Looks `registry` up in one auth file; `tried` names what was consulted.
Credential fromAuthFile(const std::string& path, const std::string& registry,
                        std::vector<std::string>* tried) {
  std::string text;
  if (!readSmallFile(path, text)) return {};
  if (tried) tried->push_back(path);
  Json j;
  try {
    j = parseJson(text, path);
  } catch (const InputError& e) {
    throw UsageError(e.what());
  }
  if (!j.is_object()) throw UsageError(path + ": expected a JSON object");
  if (auto h = j.find("credHelpers"); h != j.end() && h->is_object()) {
    for (auto it = h->begin(); it != h->end(); ++it)
      if (sameRegistry(it.key(), registry) && it->is_string()) {
        if (tried) tried->push_back("docker-credential-" + it->get<std::string>());
        return runCredentialHelper(it->get<std::string>(), helperServerUrl(registry));
      }
  }
  if (auto a = j.find("auths"); a != j.end() && a->is_object()) {
    for (auto it = a->begin(); it != a->end(); ++it) {
      if (!sameRegistry(it.key(), registry) || !it->is_object()) continue;
      Credential c;
      c.source = path;
      std::string where = path + ": auths." + it.key();
      if (auto t = it->find("identitytoken"); t != it->end() && t->is_string())
        c.identityToken = t->get<std::string>();
      if (auto au = it->find("auth");
          au != it->end() && au->is_string() && !au->get<std::string>().empty()) {
        std::string plain = base64Decode(au->get<std::string>(), where);
        auto colon = plain.find(':');
        if (colon == std::string::npos) throw UsageError(where + ": \"auth\" is not USER:PASSWORD");
        c.username = plain.substr(0, colon);
        c.password = plain.substr(colon + 1);
      } else {
        if (auto u = it->find("username"); u != it->end() && u->is_string())
          c.username = u->get<std::string>();
        if (auto p = it->find("password"); p != it->end() && p->is_string())
          c.password = p->get<std::string>();
      }
      if (!c.empty()) return c;
    }
  }
  if (auto s = j.find("credsStore");
      s != j.end() && s->is_string() && !s->get<std::string>().empty()) {
    if (tried) tried->push_back("docker-credential-" + s->get<std::string>());
    return runCredentialHelper(s->get<std::string>(), helperServerUrl(registry));
  }
  return {};
}

}  // namespace

std::vector<std::string> defaultAuthFiles(const std::string& authFile,
                                          const std::string& registryAuthFile,
                                          const std::string& xdgRuntimeDir,
                                          const std::string& dockerConfig,
                                          const std::string& home) {
  std::vector<std::string> out;
  if (!authFile.empty())
    out.push_back(authFile);
  else if (!registryAuthFile.empty())
    out.push_back(registryAuthFile);
  else if (!xdgRuntimeDir.empty())
    out.push_back(xdgRuntimeDir + "/containers/auth.json");
  if (!dockerConfig.empty())
    out.push_back(dockerConfig + "/config.json");
  else if (!home.empty())
    out.push_back(home + "/.docker/config.json");
  return out;
}

Credential findCredential(const std::string& registry, const CredentialSources& s,
                          std::vector<std::string>* tried) {
  if (!s.creds.empty()) {
    if (tried) tried->push_back("--creds");
    Credential c;
    auto colon = s.creds.find(':');
    c.username = s.creds.substr(0, colon);
    if (colon != std::string::npos) c.password = s.creds.substr(colon + 1);
    if (c.username.empty()) throw UsageError("--creds: expected USER[:PASSWORD]");
    c.source = "--creds";
    return c;
  }
  for (const auto& f : s.files) {
    Credential c = fromAuthFile(f, registry, tried);
    if (!c.empty()) return c;
  }
  return {};
}

Credential runCredentialHelper(const std::string& helper, const std::string& serverUrl) {
  std::string program = "docker-credential-" + helper;
  if (helper.empty() || helper.find('/') != std::string::npos)
    throw UsageError(program + ": not a credential helper name");
  int in[2], out[2];
  if (pipe2(in, O_CLOEXEC) != 0) throw UsageError(program + ": cannot make a pipe");
  if (pipe2(out, O_CLOEXEC) != 0) {
    close(in[0]), close(in[1]);
    throw UsageError(program + ": cannot make a pipe");
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  char* argv[] = {program.data(), const_cast<char*>("get"), nullptr};
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, program.c_str(), &fa, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(in[0]);
  close(out[1]);
  if (rc != 0) {
    close(in[1]);
    close(out[0]);
    throw UsageError(program + ": cannot run it (not on PATH?)");
  }
  // The host is short: one write fits the pipe, so the helper cannot block us here. A helper
  // that exits without reading must not kill us with SIGPIPE: block it around the write and
  // take back any that is pending.
  sigset_t pipeSet, old;
  sigemptyset(&pipeSet);
  sigaddset(&pipeSet, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipeSet, &old);
  [[maybe_unused]] ssize_t w = write(in[1], serverUrl.data(), serverUrl.size());
  close(in[1]);
  timespec zero{0, 0};
  while (sigtimedwait(&pipeSet, nullptr, &zero) > 0) {
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  std::string reply;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kHelperTimeoutMs);
  bool timedOut = false;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) {
      timedOut = true;
      break;
    }
    pollfd p{out[0], POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    char buf[4096];
    ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    if (reply.size() + static_cast<size_t>(n) > kMaxHelperOutput) {
      timedOut = true;  // a runaway helper is treated like a hung one
      break;
    }
    reply.append(buf, static_cast<size_t>(n));
  }
  close(out[0]);
  if (timedOut) kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  if (timedOut) throw UsageError(program + ": no answer within 30 s (or an oversized one)");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    // The protocol's "not found" answer is a failure whose message says so.
    if (reply.find("credentials not found") != std::string::npos) return {};
    std::string first = reply.substr(0, reply.find('\n'));
    throw UsageError(program + " get failed" + (first.empty() ? "" : ": " + first.substr(0, 200)));
  }
  Json j;
  try {
    j = parseJson(reply, program);
  } catch (const InputError&) {
    throw UsageError(program + ": answered something that is not JSON");
  }
  Credential c;
  c.source = program;
  std::string user = j.is_object() && j.value("Username", Json()).is_string()
                         ? j["Username"].get<std::string>()
                         : "";
  std::string secret =
      j.is_object() && j.value("Secret", Json()).is_string() ? j["Secret"].get<std::string>() : "";
  if (user == "<token>")
    c.identityToken = secret;
  else
    c.username = user, c.password = secret;
  return c;
}

}  // namespace pd
