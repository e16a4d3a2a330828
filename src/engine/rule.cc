#include "engine/rule.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/text.h"
#include "engine/embedded.h"
#include "engine/entry_script.h"
#include "engine/interpreter.h"
#include "fs/path.h"

namespace pd {

Context::Context(const Image& image, const Identity& identity, Profile profile,
                 const Access& access, const Accounts& accounts, const RuleOptions& options,
                 std::vector<Finding>& sink, Pass pass, const HandOver* switchedBy)
    : image(image),
      identity(identity),
      profile(profile),
      access(access),
      accounts(accounts),
      options(options),
      pass(pass),
      sink_(sink),
      workdir_(image.config.workingDir.empty() ? "/" : cleanPath(image.config.workingDir)),
      searchPath_(image.env("PATH").value_or(
          "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")),
      lambdaTaskRoot_(cleanPath(image.env("LAMBDA_TASK_ROOT").value_or("/var/task"))),
      lambdaRuntimeDir_(cleanPath(image.env("LAMBDA_RUNTIME_DIR").value_or("/var/runtime"))) {
  start_ = findStartProgram();
  if (pass == Pass::AsSwitchedUser && switchedBy)
    handOver_ = *switchedBy;
  else
    handOver_ = findHandOver();
  roots_ = findApplicationRoots();  // after start_: the start program's directory is one
}

std::string Context::absolute(const std::string& p) const {
  return p[0] == '/' ? cleanPath(p) : resolveRelative(workdir_, p, nullptr);
}

std::vector<std::string> Context::pathCandidates(const std::string& name) const {
  std::vector<std::string> out;
  for (std::string_view dir : splitNonEmpty(searchPath_, ':'))
    out.push_back(cleanPath(std::string(dir) + "/" + name));
  return out;
}

std::string Context::lookUp(const std::string& program, const std::string& searchPath) const {
  // Relative names with a slash are relative to WORKDIR.
  if (program.find('/') != std::string::npos) return absolute(program);
  std::string firstHit;
  for (std::string_view dir : splitNonEmpty(searchPath, ':')) {
    std::string cand = cleanPath(std::string(dir) + "/" + program);
    Resolved r = access.resolve(cand);
    // Like execvp: the first candidate that exists as a file wins.
    if (r.ok() && r.node && r.node->type != FileType::Directory) return cand;
    if (firstHit.empty() && image.tree.find(cand)) firstHit = cand;
  }
  return firstHit;  // a dangling link on PATH is still "the" program, for PD101
}

StartProgram Context::findStartProgram() const {
  StartProgram sp;
  sp.argv = image.config.entrypoint;
  sp.argv.insert(sp.argv.end(), image.config.cmd.begin(), image.config.cmd.end());
  if (sp.argv.empty()) return sp;
  sp.program = sp.argv.front();
  sp.shellForm = sp.argv.size() >= 2 && sp.argv[1] == "-c";
  sp.path = lookUp(sp.program, searchPath_);
  return sp;
}

std::optional<HandOver> Context::findHandOver() const {
  if (start_.path.empty() || start_.shellForm) return std::nullopt;
  auto isShell = [](std::string_view name) {
    return name == "sh" || name == "bash" || name == "dash" || name == "ash";
  };
  // The script: the start program itself (#!/bin/sh), or the first argument of a shell.
  std::string script;
  std::vector<std::string> args;
  Resolved start = access.resolve(start_.path);
  if (!start.ok() || start.node->type != FileType::Regular) return std::nullopt;
  const Captured* c = image.capture(start.node->capture);
  if (isShell(baseName(start_.program)) || isShell(baseName(start.path))) {
    if (start_.argv.size() < 2 || start_.argv[1].empty() || start_.argv[1][0] == '-')
      return std::nullopt;
    script = absolute(start_.argv[1]);
    args.assign(start_.argv.begin() + 2, start_.argv.end());
  } else if (c && c->head == Captured::Head::Script && !c->interpCr) {
    Shebang sb = splitShebang(c->interp);
    // `#!/usr/bin/env bash`: the first word after env (a string: the view must not dangle).
    std::string interp(baseName(sb.interp));
    if (interp == "env") interp = sb.arg.substr(0, sb.arg.find(' '));
    if (!isShell(interp)) return std::nullopt;
    script = start.path;
    args.assign(start_.argv.begin() + 1, start_.argv.end());
  } else {
    return std::nullopt;
  }
  Resolved s = access.resolve(script);
  if (!s.ok() || s.node->type != FileType::Regular) return std::nullopt;
  const Captured* text = image.capture(s.node->capture);
  if (!text || !text->complete) return std::nullopt;
  EntryScript e = followEntryScript(text->bytes, {args, searchPath_, identity.isRoot()});
  if (e.outcome != EntryScript::Outcome::Execs) return std::nullopt;
  HandOver h;
  h.program.argv = e.argv;
  h.program.program = e.argv.front();
  h.program.path = lookUp(h.program.program, e.path);
  h.script = s.path;
  h.line = e.line;
  h.searchPath = e.path;
  h.switchTool = e.switchTool;
  h.switchUser = e.switchUser;
  h.switchLine = e.switchLine;
  return h;
}

std::string RunningProgram::name(const std::string& path, const std::string& noun) const {
  if (!handOver) return "the start " + noun + " " + path;
  return "the " + noun + " " + path + ", which " + handOver->script + " hands over to (line " +
         std::to_string(handOver->line) + "),";
}

void addHandOver(Finding& f, const RunningProgram& rp) {
  if (!rp.handOver) return;
  nlohmann::json h = {{"script", rp.handOver->script},
                      {"line", rp.handOver->line},
                      {"argv", rp.handOver->program.argv}};
  if (!rp.handOver->switchTool.empty())
    h["switchUser"] = {{"tool", rp.handOver->switchTool},
                       {"user", rp.handOver->switchUser},
                       {"line", rp.handOver->switchLine}};
  f.evidence["handedOverBy"] = std::move(h);
}

void noteSwitchedUser(Finding& f, const HandOver& h, const Identity& as) {
  f.message += "; " + h.script + " switches to this user with " + h.switchTool + " (line " +
               std::to_string(h.switchLine) + ") before it hands over";
  f.evidence["asSwitchedUser"] = {{"tool", h.switchTool},
                                  {"user", h.switchUser},
                                  {"identity", as.description},
                                  {"script", h.script},
                                  {"line", h.switchLine}};
}

std::vector<RunningProgram> Context::programsThatRun() const {
  std::vector<RunningProgram> out;
  if (pass == Pass::AsConfigured) out.push_back({&start_, nullptr});
  if (handOver_ && handOver_->program.path != start_.path)
    out.push_back({&handOver_->program, &*handOver_});
  return out;
}

std::vector<AppRoot> Context::findApplicationRoots() const {
  std::vector<AppRoot> roots;
  auto add = [&](const std::string& raw, const char* why) {
    if (raw.empty()) return;
    std::string p = cleanPath(raw);
    for (const auto& r : roots)
      if (r.path == p) return;
    roots.push_back({p, "", why});
  };
  add(image.config.workingDir, "WORKDIR");
  if (!start_.path.empty()) {
    Resolved r = access.resolve(start_.path);
    if (r.ok()) add(parentOf(r.path), "the start program's directory");
  }
  if (handOver_ && !handOver_->program.path.empty()) {
    Resolved r = access.resolve(handOver_->program.path);
    if (r.ok()) add(parentOf(r.path), "the handed-over program's directory");
  }
  // A script imports what lies beside it (python3 /srv/app/server.py reads /srv/app/config.py).
  static constexpr const char* kScriptDir = "the directory of the script it runs";
  auto addScriptDir = [&](const StartProgram& p) {
    auto t = p.shellForm ? std::nullopt : interpreterTarget(p.argv);
    if (!t || t->module || t->arg.empty()) return;
    Resolved r = access.resolve(absolute(t->arg));
    if (r.ok() && r.node->type == FileType::Regular) add(parentOf(r.path), kScriptDir);
  };
  addScriptDir(start_);
  if (handOver_) addScriptDir(handOver_->program);
  if (auto t = image.env("LAMBDA_TASK_ROOT")) add(*t, "LAMBDA_TASK_ROOT");
  add("/opt", "/opt");

  static const std::vector<std::string> systemTrees = dataLines("data/system_trees.txt");
  auto isSystemTop = [](const std::string& p) {
    return p == "/" || std::any_of(systemTrees.begin(), systemTrees.end(),
                                   [&](const std::string& t) { return globMatch(t, p); });
  };
  auto isSystem = [&](const std::string& p) {
    return isSystemTop(p) ||
           std::any_of(systemTrees.begin(), systemTrees.end(),
                       [&](const std::string& t) { return globMatch(t + "/**", p); });
  };
  // The app's own directory can sit inside a system tree only as WORKDIR or the script's
  // directory (/root/app); the tree itself (WORKDIR /root with the app elsewhere) stays out.
  auto excluded = [&](const AppRoot& root, const std::string& p) {
    bool own = root.why == std::string_view("WORKDIR") || root.why == std::string_view(kScriptDir);
    return own ? isSystemTop(p) : isSystem(p);
  };
  std::vector<std::string> taken;
  for (auto& root : roots) {
    if (excluded(root, root.path)) continue;
    Resolved r = access.resolve(root.path);
    if (!r.ok() || r.node->type != FileType::Directory || excluded(root, r.path)) continue;
    root.belowSystemTree = isSystem(r.path);
    bool inside = false;
    for (const auto& t : taken) inside = inside || isUnder(r.path, t);
    if (inside) continue;
    // A later root that holds an earlier one takes its place: one walk covers both.
    for (auto& other : roots)
      if (!other.dir.empty() && isUnder(other.dir, r.path)) other.dir.clear();
    std::erase_if(taken, [&](const std::string& t) { return isUnder(t, r.path); });
    taken.push_back(r.path);
    root.dir = r.path;
  }
  return roots;
}

std::string Context::blockerOf(const Resolved& r, const std::string& written) const {
  const std::string& wd = workdir_;
  bool relative = !written.empty() && written[0] != '/';
  if (r.blockedBy.empty() || !relative || !r.links.empty() || !isUnder(wd, r.blockedBy) ||
      wd == r.blockedBy || !isUnder(r.path, wd))
    return r.blockedBy;
  // Walk from WORKDIR down to the directory that holds r.path.
  std::string d = wd;
  std::string rest = parentOf(r.path).substr(wd == "/" ? 0 : wd.size());
  for (size_t from = 0;;) {
    const Node* n = image.tree.find(d);
    if (n && n->type == FileType::Directory && !access.canOpen(*n)) return d;
    size_t start = rest.find_first_not_of('/', from);
    if (start == std::string::npos) return "";
    size_t end = std::min(rest.find('/', start), rest.size());
    d = (d == "/" ? "" : d) + "/" + rest.substr(start, end - start);
    from = end;
  }
}

int Context::layerOf(const std::string& path) const {
  const Node* n = image.tree.find(path);
  return n ? n->layer : -1;
}

}  // namespace pd
