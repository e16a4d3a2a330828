#include "engine/engine.h"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "common/error.h"
#include "engine/embedded.h"
#include "engine/rule_table.h"
#include "fs/capture.h"

namespace pd {

CapturePolicy rulesCapturePolicy() {
  // The account databases, where the dynamic loaders look for libraries (PD110), and the
  // Lambda handler modules at the top of the task root (PD403).
  return CapturePolicy({"/etc/passwd", "/etc/group", "/etc/shadow", "/etc/ld.so.conf",
                        "/etc/ld.so.conf.d/*.conf", "/etc/ld-musl-*.path", "/var/task/*.py",
                        "/var/task/*.js", "/var/task/*.mjs", "/var/task/*.cjs"},
                       dataLines("data/secret_files.txt"),
                       // entrypoint scripts whose hand-over is followed (engine/entry_script.h)
                       {"*.sh", "*entrypoint*"});
}

namespace {

// A rule that supersedes a general one takes its place for the paths it reports (in Lambda,
// PD401 and PD402 speak for PD105 and PD102).
void dropReplaced(std::vector<Finding>& fs, std::string_view general, std::string_view specific) {
  std::set<std::string> covered;
  for (const auto& f : fs)
    if (f.rule == specific) covered.insert(f.paths.begin(), f.paths.end());
  std::vector<Finding> kept;
  for (auto& f : fs) {
    if (f.rule == general) {
      std::vector<std::string> rest;
      for (const auto& p : f.paths)
        if (!covered.count(p)) rest.push_back(p);
      if (rest.empty()) continue;
      if (rest.size() != f.paths.size()) {
        f.paths = rest;
        if (f.path && !std::count(rest.begin(), rest.end(), *f.path)) f.path = rest.front();
      }
    }
    kept.push_back(std::move(f));
  }
  fs.swap(kept);
}

}  // namespace

LintResult lint(const Image& img, std::span<const RuleEntry* const> rules, const LintOptions& opt) {
  LintResult res;
  bool isAuto = false;
  if (!parseProfile(opt.profile, res.profile, isAuto))
    throw UsageError("--profile " + opt.profile +
                     ": expected auto, generic, lambda, kubernetes or openshift");
  if (isAuto) {
    res.profile = detectProfile(img);
    res.profileDetected = true;
  }
  Accounts accounts = readAccounts(img);
  res.identity = resolveIdentity(img, accounts, res.profile, opt.user);
  Access access(img.tree, res.identity);
  RuleOptions settings = RuleOptions::resolve(rules, opt.ruleOptions);
  Context ctx(img, res.identity, res.profile, access, accounts, settings, res.findings);

  // Runs one rule, stamping its findings with the entry's metadata.
  auto run = [&](const RuleEntry& e, Context& c, std::vector<Finding>& sink) {
    size_t before = sink.size();
    e.make()->check(c);
    for (size_t i = before; i < sink.size(); ++i) {
      Finding& f = sink[i];
      f.rule = std::string(e.id);
      f.severity = e.severity;
      f.title = std::string(e.title);
      if (f.path.has_value() == f.paths.empty())
        throw std::logic_error(
            f.rule + ": a finding's path and paths disagree; set them with at() or over()");
      if (f.layer < 0 && f.path) f.layer = c.layerOf(*f.path);
    }
  };
  for (const RuleEntry* rule : rules)
    if (runsIn(rule->profiles, res.profile)) run(*rule, ctx, res.findings);

  // A start script that switches user (exec gosu app "$@") runs what it hands over as that
  // user: the rules whose verdict depends on who runs judge again, as that user. (Lambda runs
  // everything as its own user; a user the image does not define is PD202's and gosu's error.)
  if (const std::optional<HandOver>& h = ctx.handOver();
      h && !h->switchTool.empty() && res.profile != Profile::Lambda) {
    Identity switched = identityOfUser(h->switchUser, accounts);
    if (!switched.unresolved && (switched.uid != res.identity.uid || res.identity.otherOnly)) {
      Access switchedAccess(img.tree, switched);
      std::vector<Finding> more;
      Context as(img, switched, res.profile, switchedAccess, accounts, settings, more,
                 Context::Pass::AsSwitchedUser, &*h);
      for (const RuleEntry* rule : rules)
        if (rule->alsoAsSwitchedUser && runsIn(rule->profiles, res.profile)) run(*rule, as, more);
      for (Finding& f : more) {
        bool known = std::any_of(res.findings.begin(), res.findings.end(), [&](const Finding& o) {
          return o.rule == f.rule && o.paths == f.paths;
        });
        if (known) continue;
        noteSwitchedUser(f, *h, switched);
        res.findings.push_back(std::move(f));
      }
    }
  }
  for (const RuleEntry* e : rules)
    if (!e->supersedes.empty() && runsIn(e->profiles, res.profile))
      dropReplaced(res.findings, e->supersedes, e->id);
  res.notes = opt.suppressions.apply(res.findings, opt.today.empty() ? todayUtc() : opt.today);
  std::stable_sort(res.findings.begin(), res.findings.end(),
                   [](const Finding& a, const Finding& b) {
                     if (a.severity != b.severity) return a.severity > b.severity;
                     if (a.rule != b.rule) return a.rule < b.rule;
                     return a.path.value_or("") < b.path.value_or("");
                   });
  return res;
}

}  // namespace pd
