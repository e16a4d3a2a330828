// PD207: a uid appears twice in /etc/passwd, or a gid twice in /etc/group.
#include <map>

#include <nlohmann/json.hpp>

#include "engine/rule_table.h"

namespace pd {
namespace {

struct Entry {
  std::string name;
  int line;
};

void report(Context& ctx, const char* file, const char* idName, uint32_t id,
            const std::vector<Entry>& es) {
  std::string list;
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& e : es) {
    list += (list.empty() ? "" : ", ") + e.name + " (line " + std::to_string(e.line) + ")";
    entries.push_back({{"name", e.name}, {"line", e.line}});
  }
  bool passwd = std::string(file) == "/etc/passwd";
  Finding f;
  f.at(file);
  f.message = std::string(idName) + " " + std::to_string(id) + " appears " +
              std::to_string(es.size()) + " times in " + file + ": " + list + "; " +
              (passwd ? "the first name wins in ls, ps and id, and files of one belong to all" +
                            std::string(id == 0 ? ", and every extra name is a root account" : "")
                      : "the first name wins, and members of one are members of all");
  f.evidence = {{idName, id}, {"entries", entries}};
  // Drop the later entries: the first one is what lookups already return. By name, unless a
  // name repeats too (the same line appended twice): then by line number.
  bool sameName = false;
  for (size_t i = 1; i < es.size(); ++i)
    for (size_t j = 0; j < i; ++j) sameName = sameName || es[i].name == es[j].name;
  std::string cmd = "sed -i";
  for (size_t i = 1; i < es.size(); ++i)
    cmd += sameName ? " -e '" + std::to_string(es[i].line) + "d'" : " -e '/^" + es[i].name + ":/d'";
  f.fix = "RUN " + cmd + " " + file +
          "   (or give the account its own id: " + (passwd ? "usermod -u" : "groupmod -g") +
          " <new id> " + es.back().name + ")";
  ctx.diag(std::move(f));
}

class PD207 : public Rule {
 public:
  void check(Context& ctx) const override {
    std::map<uint32_t, std::vector<Entry>> uids, gids;
    for (const auto& u : ctx.accounts.users) uids[u.uid].push_back({u.name, u.line});
    for (const auto& g : ctx.accounts.groups) gids[g.gid].push_back({g.name, g.line});
    for (const auto& [id, es] : uids)
      if (es.size() > 1) report(ctx, "/etc/passwd", "uid", id, es);
    for (const auto& [id, es] : gids)
      if (es.size() > 1) report(ctx, "/etc/group", "gid", id, es);
  }
};

}  // namespace

extern const RuleEntry kPD207{
    .id = "PD207",
    .severity = Severity::Warning,
    .title = "Duplicate uid in /etc/passwd or gid in /etc/group",
    .doc = "pd2xx/PD207.md",
    .make = makeRule<PD207>,
};

}  // namespace pd
