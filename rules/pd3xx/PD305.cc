// PD305: secret-looking values baked into the config Env.
#include <map>

#include <nlohmann/json.hpp>
#include "engine/embedded.h"

#include "engine/rule_table.h"

namespace pd {
namespace {

std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out(1);
  for (char c : s) {
    if (c == '_')
      out.emplace_back();
    else
      out.back() += static_cast<char>(toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

struct Table {
  std::vector<std::vector<std::string>> matches;
  std::vector<std::string> ignoreSuffixes;  // upper case
};

Table loadTable() {
  Table t;
  for (const auto& line : dataLines("data/secret_env.txt")) {
    if (line.rfind("match ", 0) == 0) t.matches.push_back(words(line.substr(6)));
    if (line.rfind("ignore-suffix ", 0) == 0) t.ignoreSuffixes.push_back(line.substr(14));
  }
  return t;
}

// The matched word sequence ("API_KEY"), or "" when the name does not look secret.
std::string secretWords(const std::string& name, const Table& t) {
  std::string upper;
  for (char c : name) upper += static_cast<char>(toupper(static_cast<unsigned char>(c)));
  for (const auto& s : t.ignoreSuffixes)
    if (upper.size() > s.size() && upper.compare(upper.size() - s.size(), s.size(), s) == 0)
      return "";
  std::vector<std::string> w = words(name);
  for (const auto& m : t.matches) {
    for (size_t i = 0; i + m.size() <= w.size(); ++i) {
      if (!std::equal(m.begin(), m.end(), w.begin() + static_cast<long>(i))) continue;
      std::string joined;
      for (const auto& x : m) joined += (joined.empty() ? "" : "_") + x;
      return joined;
    }
  }
  return "";
}

class PD305 : public Rule {
 public:
  void check(Context& ctx) const override {
    static const Table table = loadTable();
    const Image& img = ctx.image;
    // The last assignment of a name wins, as in the runtime; keep the config's order.
    std::map<std::string, size_t> last;
    std::vector<std::pair<std::string, std::string>> vars;
    for (const auto& e : img.config.env) {
      size_t eq = e.find('=');
      std::string name = e.substr(0, eq), value = eq == std::string::npos ? "" : e.substr(eq + 1);
      if (auto it = last.find(name); it != last.end()) {
        vars[it->second].second = value;
      } else {
        last[name] = vars.size();
        vars.push_back({name, value});
      }
    }
    for (const auto& [name, value] : vars) {
      if (value.empty()) continue;
      std::string matched = secretWords(name, table);
      if (matched.empty()) continue;
      Finding f;  // image-wide: the config is no path
      // Never the value: only its length, and which history entry set it.
      f.evidence = {{"name", name}, {"valueLength", value.size()}, {"matched", matched}};
      int hist = historyOf(img, name);
      if (hist >= 0) f.evidence["history"] = hist;
      f.message =
          "Env sets " + name + " (a " + std::to_string(value.size()) +
          "-character value; the name matches " + matched + ")" +
          (hist >= 0 ? " in history entry " + std::to_string(hist) : "") +
          ": anyone who can pull the image reads it with docker inspect, and docker history "
          "shows the ENV line";
      f.fix =
          "remove ENV " + name + " from the Dockerfile and pass it at run time (docker run -e " +
          name +
          ", a Kubernetes Secret); for a build step: RUN --mount=type=secret,id=" + lower(name) +
          ",env=" + name + " <command>";
      ctx.diag(std::move(f));
    }
  }

 private:
  static std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
    return s;
  }
  // The last history entry whose instruction sets `name` (ENV NAME=... or ENV NAME value).
  static int historyOf(const Image& img, const std::string& name) {
    const auto& h = img.config.history;
    for (size_t i = h.size(); i-- > 0;) {
      const std::string& c = h[i].createdBy;
      if (c.find("ENV") == std::string::npos) continue;
      for (size_t k = c.find(name); k != std::string::npos; k = c.find(name, k + 1)) {
        bool start = k == 0 || !(isalnum(static_cast<unsigned char>(c[k - 1])) || c[k - 1] == '_');
        size_t e = k + name.size();
        if (start && e < c.size() && (c[e] == '=' || c[e] == ' ')) return static_cast<int>(i);
      }
    }
    return -1;
  }
};

}  // namespace

extern const RuleEntry kPD305{
    .id = "PD305",
    .severity = Severity::Error,
    .title = "Secret-looking value in the image's Env",
    .doc = "pd3xx/PD305.md",
    .make = makeRule<PD305>,
    .setBy = "ENV",
};

}  // namespace pd
