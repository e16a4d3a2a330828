// PD206: an account in /etc/shadow has an empty password field (no password needed to log in).
#include <nlohmann/json.hpp>

#include "engine/rule_table.h"

namespace pd {
namespace {

class PD206 : public Rule {
 public:
  void check(Context& ctx) const override {
    if (!ctx.accounts.hasShadow) return;
    std::vector<std::string> names;
    nlohmann::json accounts = nlohmann::json::array();
    // "!", "*", "x" and hashes (locked or not) all demand something; only "" lets anyone in.
    for (const auto& s : ctx.accounts.shadow) {
      if (!s.password.empty()) continue;
      names.push_back(s.name);
      accounts.push_back({{"name", s.name}, {"line", s.line}});
    }
    if (names.empty()) return;
    std::string list, lock;
    for (const auto& n : names) {
      list += (list.empty() ? "" : ", ") + n;
      lock += (lock.empty() ? "" : " && ") + std::string("passwd -l ") + n;
    }
    bool root = false;
    for (const auto& n : names) root = root || n == "root";
    Finding f;
    f.at("/etc/shadow");
    f.message = "/etc/shadow has an empty password field for " +
                std::string(names.size() == 1 ? "account " : "accounts ") + list +
                ": su or login to " + (names.size() == 1 ? "it" : "them") + " needs no password" +
                (root ? " (any process can become root, as in CVE-2019-5021)" : "");
    f.evidence = {{"accounts", accounts}};
    f.fix = "RUN " + lock;
    ctx.diag(std::move(f));
  }
};

}  // namespace

extern const RuleEntry kPD206{
    .id = "PD206",
    .severity = Severity::Error,
    .title = "An account in /etc/shadow has an empty password",
    .doc = "pd2xx/PD206.md",
    .make = makeRule<PD206>,
};

}  // namespace pd
