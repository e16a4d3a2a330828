#include "report/report.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include <nlohmann/json.hpp>

#include "common/sha256.h"

namespace pd {

namespace {
const ReportFormat kFormats[] = {
    {"text", writeText},   {"json", writeJson},         {"sarif", writeSarif},
    {"junit", writeJunit}, {"markdown", writeMarkdown}, {"gitlab", writeGitlab},
};
}  // namespace

const ReportFormat* findReportFormat(std::string_view name) {
  for (const auto& f : kFormats)
    if (f.name == name) return &f;
  return nullptr;
}

std::string reportFormatNames() {
  std::string s;
  for (const auto& f : kFormats) s += (s.empty() ? "" : ", ") + std::string(f.name);
  return s;
}

const char* toolVersion() {
  return "0.1.0";
}

std::string imageName(const Image& img) {
  return img.references.empty() ? img.source : img.references.front();
}

std::string repositoryPath(const std::string& path) {
  namespace fs = std::filesystem;
  fs::path p(path);
  if (p.is_relative() && (p.empty() || *p.begin() != "..")) return path;  // inside already
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  if (ec) return path;
  p = fs::absolute(cwd / p).lexically_normal();
  // Canonical directories, so that a working directory reached through a symlink still holds
  // the file; the file itself may be a link to anywhere and is still the file named here.
  fs::path dir = fs::weakly_canonical(p.parent_path(), ec);
  fs::path home = ec ? cwd : fs::weakly_canonical(cwd, ec);
  fs::path rel = (dir / p.filename()).lexically_relative(home);
  if (rel.empty() || *rel.begin() == "..") return path;
  return rel.string();
}

std::string imageLocation(const Image& img) {
  if (img.source == "<stdin>") return imageName(img);  // no file: its name says more
  std::string p = repositoryPath(img.source);  // a reference read from a registry stays as is
  if (!p.starts_with("/") && !p.starts_with("../")) return p;
  if (!img.references.empty()) return img.references.front();
  return std::filesystem::path(img.source).filename().string();
}

std::string sourceLine(const Finding& f) {
  if (!f.source) return "";
  const SourceLocation& s = *f.source;
  std::string first = s.instruction.substr(0, s.instruction.find('\n'));
  if (first.size() > 100) {
    size_t cut = 99;  // not inside a UTF-8 sequence
    while (cut > 0 && (static_cast<unsigned char>(first[cut]) & 0xc0) == 0x80) --cut;
    first.resize(cut);
    first += "…";
  }
  // Appended, not +: GCC 12 warns falsely (-Warray-bounds) on that chain of +.
  std::string out = s.file;
  out += ':';
  out += std::to_string(s.line);
  out += "  ";
  out += first;
  if (f.origin == "base") out += "  (base image)";
  return out;
}

std::string dockerfileNote(const DockerfileUse& d) {
  // One found in the current directory that is not the image's says nothing: it may belong to
  // another image of the repository.
  if (d.path.empty() || d.matched || d.found) return "";
  return d.path + " is not the Dockerfile this image was built from (" + d.why +
         "): findings are not mapped to its lines";
}

std::string imageIdentity(const Image& img) {
  if (img.references.empty()) return img.configDigest;
  std::string r = img.references.front();
  r = r.substr(0, r.find('@'));
  size_t slash = r.rfind('/'), colon = r.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) r.erase(colon);
  return r;
}

std::vector<std::string> imageKeys(const std::vector<ImageReport>& reports) {
  std::vector<std::string> keys;
  if (reports.size() == 1) return {""};
  for (size_t i = 0; i < reports.size(); ++i) {
    std::string k = imageIdentity(*reports[i].image);
    // Two images of one repository in a run (app:1 and app:2): their order tells them apart.
    if (std::find(keys.begin(), keys.end(), k) != keys.end()) k += "#" + std::to_string(i);
    keys.push_back(k);
  }
  return keys;
}

namespace {
// What tells a finding apart from others of its rule in one image beyond its path: findings
// without a path name what they are about (PD305's variables), and groups at one directory what
// they hold (PD105's unreadable files and untraversable directories under /app/static).
std::vector<std::string> distinctions(const Finding& f) {
  std::vector<std::string> out;
  const nlohmann::json& ev = f.evidence.json();
  if (!ev.is_object()) return out;
  if (!f.path)
    for (const char* k : {"name", "variable", "key"})
      if (ev.contains(k) && ev[k].is_string()) out.push_back(ev[k].get<std::string>());
  if (f.paths.size() > 1 && ev.contains("type") && ev["type"].is_string())
    out.push_back(ev["type"].get<std::string>());
  return out;
}

// What a fingerprint hashes, before any repeat number.
std::string findingKey(const std::string& imageKey, const Finding& f) {
  std::string key = f.rule + "\n" + imageKey + "\n" + f.path.value_or("");
  for (const std::string& d : distinctions(f)) key += "\n" + d;
  return key;
}
}  // namespace

std::vector<std::string> findingRepeats(const std::vector<Finding>& findings) {
  std::map<std::string, int> seen;
  std::vector<std::string> out;
  for (const Finding& f : findings) {
    int n = ++seen[findingKey("", f)];  // one image: its key is the same for all
    out.push_back(n == 1 ? "" : "#" + std::to_string(n));
  }
  return out;
}

std::string findingFingerprint(const std::string& imageKey, const Finding& f,
                               const std::string& repeat) {
  std::string key = findingKey(imageKey, f);
  if (!repeat.empty()) key += "\n" + repeat;
  return sha256Of(key).substr(7, 32);
}

std::string pathFromImageRoot(const std::string& path) {
  return path == "/" ? "." : path.substr(1);
}

std::string findingSubject(const Finding& f, const std::string& repeat) {
  std::string extra;
  for (const std::string& d : distinctions(f)) extra += (extra.empty() ? "" : ", ") + d;
  if (!repeat.empty()) extra += (extra.empty() ? "" : ", ") + repeat;
  if (!f.path) return extra.empty() ? "(image)" : extra;
  return *f.path + (extra.empty() ? "" : " (" + extra + ")");
}

}  // namespace pd
