// PD104: the start program is an ELF file for another machine than the config architecture
// ("exec format error"), or its ELF interpreter (PT_INTERP) is missing from the image.
#include <cctype>

#include <nlohmann/json.hpp>

#include "engine/rule_table.h"
#include "fs/path.h"

namespace pd {
namespace {

// The config architecture as elfMachineArch() can tell it: GOARCH, with the families an ELF
// header does not split (arm versions, byte orders) folded together.
std::string canonicalArch(const std::string& config) {
  std::string a = goArch(config);
  if (a.rfind("armv", 0) == 0 || a == "armhf" || a == "armel") return "arm";
  // elfMachineArch() does not tell the byte order apart (EM_PPC64, EM_MIPS): compare families.
  if (a == "ppc64" || a == "ppc64el" || a == "powerpc64le" || a == "powerpc64") return "ppc64le";
  if (a == "mipsle" || a == "mipsel") return "mips";
  if (a == "mips64le" || a == "mips64el") return "mips64";
  return a;
}

class PD104 : public ProgramRule {
 private:
  void checkProgram(Context& ctx, const RunningProgram& rp) const override {
    const StartProgram& sp = *rp.program;
    if (sp.path.empty()) return;
    Resolved r = ctx.access.resolve(sp.path);
    if (!r.ok() || r.node->type != FileType::Regular) return;  // PD101's business
    const Captured* c = ctx.image.capture(r.node->capture);
    if (!c || c->head != Captured::Head::Elf) return;

    const std::string elfArch = elfMachineArch(c->elfMachine, c->elfClass);
    const std::string& configArch = ctx.image.config.architecture;
    Finding f;
    f.at(r.path);
    f.layer = r.node->layer;
    f.evidence = {{"machine", c->elfMachine},
                  {"elfClass", c->elfClass == 2 ? 64 : 32},
                  {"elfArch", elfArch},
                  {"arch", configArch},
                  {"interp", c->interp}};
    addHandOver(f, rp);
    if (r.path != sp.path) f.evidence["startProgram"] = sp.path;

    if (elfArch != "unknown" && !configArch.empty() && canonicalArch(configArch) != elfArch) {
      f.message = rp.name(r.path) + " is an ELF executable for " + elfArch + " (e_machine " +
                  std::to_string(c->elfMachine) + ") but the image config says architecture " +
                  configArch + ": exec fails with `exec " + r.path +
                  ": exec format error` (unless the host emulates " + elfArch + ")";
      f.message += "; build it for the image's platform (GOARCH=" + canonicalArch(configArch) +
                   "), or build the image for the binary's (--platform linux/" + elfArch + ")";
      f.fix = "docker buildx build --platform linux/" + canonicalArch(configArch) + " .";
      ctx.diag(std::move(f));
      return;  // the loader of a foreign binary is naturally missing too: one cause
    }

    if (c->interp.empty()) return;  // statically linked
    std::string loader = ctx.absolute(c->interp);
    Resolved l = ctx.access.resolve(loader);
    if (l.ok() && l.node->type != FileType::Directory) return;
    std::string problem;
    switch (l.status) {
      case Resolved::Status::Ok:
        problem = "is a directory";
        break;
      case Resolved::Status::Missing:
        problem = l.links.empty() ? "does not exist in the image"
                                  : "is a dangling symlink (" + l.failedAt + " does not exist)";
        break;
      case Resolved::Status::NotDirectory:
        problem = "cannot be reached (" + l.failedAt + " is not a directory)";
        break;
      case Resolved::Status::Loop:
      case Resolved::Status::TooManyLinks:
        problem = "cannot be resolved: its symlinks loop or chain past 40 links (PD108)";
        break;
    }
    if (!l.links.empty()) f.evidence["links"] = l.links;
    if (!l.failedAt.empty()) f.evidence["failedAt"] = l.failedAt;
    bool musl = c->interp.find("musl") != std::string::npos;
    f.message = rp.name(r.path) + " is dynamically linked and needs the ELF loader " + c->interp +
                ", which " + problem + ": exec fails with `exec " + r.path +
                ": no such file or directory` although the file exists";
    f.fix = std::string("use a base image that provides ") + c->interp + " (" +
            (musl ? "musl: an Alpine base" : "glibc: a Debian/Ubuntu or distroless/base base") +
            "), or build " + r.path + " statically (e.g. CGO_ENABLED=0 go build)";
    ctx.diag(std::move(f));
  }
};

}  // namespace

extern const RuleEntry kPD104{
    .id = "PD104",
    .severity = Severity::Error,
    .title = "Start binary is for the wrong machine or lacks its loader",
    .doc = "pd1xx/PD104.md",
    .make = makeRule<PD104>,
    .setBy = "ENTRYPOINT CMD",
};

}  // namespace pd
