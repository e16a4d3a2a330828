// PD101: the program the container starts does not exist (missing, dangling link, link loop).
#include <nlohmann/json.hpp>

#include "common/text.h"
#include "engine/rule_table.h"

namespace pd {
namespace {

class PD101 : public ProgramRule {
 private:
  void checkProgram(Context& ctx, const RunningProgram& rp) const override {
    const StartProgram& sp = *rp.program;
    if (sp.argv.empty() && !rp.handOver) {
      Finding f;
      f.message = "the image has neither ENTRYPOINT nor CMD: the runtime has nothing to start";
      f.fix = "CMD [\"/path/to/your/program\"]";
      ctx.diag(std::move(f));
      return;
    }
    if (sp.argv.empty()) return;
    if (sp.path.empty()) {
      Finding f;
      f.message =
          "\"" + sp.program + "\" is not found in any directory of PATH (" +
          (rp.handOver ? rp.handOver->searchPath : ctx.image.env("PATH").value_or("default PATH")) +
          ")" +
          (rp.handOver ? ": " + rp.handOver->script + " hands it over with exec (line " +
                             std::to_string(rp.handOver->line) + ")"
                       : "");
      f.evidence = {{"program", sp.program}, {"argv", sp.argv}};
      addHandOver(f, rp);
      f.message += "; copy the program in, or use its absolute path in ENTRYPOINT/CMD";
      f.fix = dockerCopy("", "<program>", "/usr/local/bin/" + sp.program);
      ctx.diag(std::move(f));
      return;
    }
    Resolved r = ctx.access.resolve(sp.path);
    std::string problem;
    switch (r.status) {
      case Resolved::Status::Ok:
        if (r.node->type == FileType::Directory) problem = "is a directory, not a program";
        break;
      case Resolved::Status::Missing:
        problem = r.links.empty() ? "does not exist in the image"
                                  : "is a dangling symlink (" + r.failedAt + " does not exist)";
        break;
      case Resolved::Status::NotDirectory:
        problem = "cannot be reached: " + r.failedAt + " is not a directory";
        break;
      case Resolved::Status::Loop:
        problem = "is a symlink loop (at " + r.failedAt + ")";
        break;
      case Resolved::Status::TooManyLinks:
        problem = "follows more than 40 symlinks";
        break;
    }
    if (problem.empty()) return;
    Finding f;
    f.at(sp.path);
    f.message =
        rp.name(sp.path) + " " + problem + (sp.shellForm ? " (the shell of a \"-c\" command)" : "");
    f.evidence = {{"argv", sp.argv}, {"links", r.links}};
    addHandOver(f, rp);
    if (!r.failedAt.empty()) f.evidence["failedAt"] = r.failedAt;
    if (const Node* n = ctx.image.tree.find(sp.path)) f.layer = n->layer;
    f.message += "; copy it in, or point ENTRYPOINT/CMD at a path that exists";
    f.fix = dockerCopy("", "<program>", sp.path);
    ctx.diag(std::move(f));
  }
};

}  // namespace

extern const RuleEntry kPD101{
    .id = "PD101",
    .severity = Severity::Error,
    .title = "The program the container starts does not exist",
    .doc = "pd1xx/PD101.md",
    .make = makeRule<PD101>,
    .setBy = "ENTRYPOINT CMD",
};

}  // namespace pd
