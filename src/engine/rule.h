// The rule interface. A rule is stateless: it looks at the read-only image view and the runtime
// identity through a Context, and reports through Context::diag(), its only output channel.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/access.h"
#include "engine/accounts.h"
#include "engine/finding.h"
#include "engine/identity.h"
#include "engine/rule_options.h"
#include "fs/image.h"

namespace pd {

// The program the container starts, as PD101-PD104, PD402 and PD407 see it.
struct StartProgram {
  std::vector<std::string> argv;  // ENTRYPOINT + CMD
  std::string program;            // argv[0], or the shell for "sh -c" forms
  std::string path;               // absolute image path after PATH lookup ("" when not found)
  bool shellForm = false;         // argv is [shell, "-c", ...]
};

// The program a start script hands over to (engine/entry_script.h): ENTRYPOINT
// ["/docker-entrypoint.sh"] with CMD ["indexer"], where the script ends in exec "$@".
struct HandOver {
  StartProgram program;    // argv after the script's rewriting; path looked up in its PATH
  std::string script;      // the script, resolved
  int line = 0;            // the line of its exec
  std::string searchPath;  // the PATH in effect there
  std::string switchTool, switchUser;  // gosu, su-exec, ... and the user named, when it switches
  int switchLine = 0;
};

// A program that runs at start.
struct RunningProgram {
  const StartProgram* program = nullptr;
  const HandOver* handOver = nullptr;  // set for the handed-over program

  // "the start program /x", or "the program /x, which /e.sh hands over to (line 12),".
  std::string name(const std::string& path, const std::string& noun = "program") const;
};

// Adds to a finding's evidence which script handed the program over, and where (nothing for
// the start program itself).
void addHandOver(Finding& f, const RunningProgram& rp);
// Says in a finding of the AsSwitchedUser pass who that user is and which line switched to it.
void noteSwitchedUser(Finding& f, const HandOver& h, const Identity& as);

// Where the application's own files live (PD105 reads them, PD108 resolves the links there).
struct AppRoot {
  std::string path;  // as configured, cleaned
  std::string dir;   // `path` after following links; "" when it is no directory, "/", a system
                     // tree (rules/data/system_trees.txt) or inside an earlier root
  std::string why;   // "WORKDIR", "the start program's directory", "the directory of the script
                     // it runs", "LAMBDA_TASK_ROOT", "/opt"
  // A WORKDIR inside a system tree (/root/app): the runtime enters it as root, so a directory
  // above it that the user cannot pass does not stop what the app opens relative to it.
  bool belowSystemTree = false;
};

class Context {
 public:
  // AsConfigured: the identity the config and profile give. AsSwitchedUser: the user the start
  // script switches to before it hands over (`switchedBy`, found in the first pass); only the
  // handed-over program runs as that user.
  enum class Pass { AsConfigured, AsSwitchedUser };

  // Works out the runtime facts below once, before any rule runs.
  Context(const Image& image, const Identity& identity, Profile profile, const Access& access,
          const Accounts& accounts, const RuleOptions& options, std::vector<Finding>& sink,
          Pass pass = Pass::AsConfigured, const HandOver* switchedBy = nullptr);

  const Image& image;
  const Identity& identity;
  const Profile profile;
  const Access& access;
  const Accounts& accounts;
  const RuleOptions& options;
  const Pass pass;

  // The single reporting channel.
  void diag(Finding f) { sink_.push_back(std::move(f)); }

  // What the runtime makes of the config; every rule asks here instead of reading it again.
  // WORKDIR, cleaned; "/" when unset.
  const std::string& workdir() const { return workdir_; }
  // `p` as execve sees it: cleaned, and relative to WORKDIR unless absolute.
  std::string absolute(const std::string& p) const;
  // The config's PATH, else the default Docker and containerd give a container.
  const std::string& searchPath() const { return searchPath_; }
  // `name` under each directory of searchPath(), in order (empty entries skipped), cleaned.
  std::vector<std::string> pathCandidates(const std::string& name) const;
  // LAMBDA_TASK_ROOT and LAMBDA_RUNTIME_DIR, cleaned, with Lambda's defaults (/var/task and
  // /var/runtime) when the image does not set them.
  const std::string& lambdaTaskRoot() const { return lambdaTaskRoot_; }
  const std::string& lambdaRuntimeDir() const { return lambdaRuntimeDir_; }
  // ENTRYPOINT+CMD resolved against searchPath() (a bare name is looked up there).
  const StartProgram& startProgram() const { return start_; }
  // What the start program hands over to, when it is a shell script (kept whole) whose exec
  // could be followed for sure (`exec "$@"`, `exec gosu app "$@"`, ...). Empty otherwise: the
  // script exits, or does something that cannot be followed.
  const std::optional<HandOver>& handOver() const { return handOver_; }
  // The start program, then the program it hands over to: what PD101-PD104, PD109, PD110 check.
  // In the AsSwitchedUser pass, only the handed-over program.
  std::vector<RunningProgram> programsThatRun() const;
  // The application roots: WORKDIR (also below a system tree such as /root, though not one
  // itself), the directories holding the resolved start program and the program it hands
  // over to, LAMBDA_TASK_ROOT when set, /opt; each listed once (by `path`).
  const std::vector<AppRoot>& applicationRoots() const { return roots_; }
  // The first directory the identity cannot pass on the way to `r`, the resolution of a name
  // written as `written` (a relative one is looked up from WORKDIR, which the runtime entered
  // as root: runc tries chdir before it drops privileges, so a locked directory above WORKDIR
  // does not stop it; through a link, the absolute answer stands). "" when nothing blocks.
  std::string blockerOf(const Resolved& r, const std::string& written) const;
  // The layer that last wrote `path` ("-1" when the path is absent).
  int layerOf(const std::string& path) const;

 private:
  StartProgram findStartProgram() const;
  std::optional<HandOver> findHandOver() const;
  // `program` as execvp finds it: with a slash, relative to WORKDIR; else the first candidate
  // on `searchPath` that is a file (or, failing that, the first that exists, for PD101).
  std::string lookUp(const std::string& program, const std::string& searchPath) const;
  std::vector<AppRoot> findApplicationRoots() const;

  std::vector<Finding>& sink_;
  std::string workdir_, searchPath_, lambdaTaskRoot_, lambdaRuntimeDir_;
  StartProgram start_;
  std::optional<HandOver> handOver_;
  std::vector<AppRoot> roots_;
};

class Rule {
 public:
  virtual ~Rule() = default;
  virtual void check(Context& ctx) const = 0;
};

// A rule that judges each program that runs at start (Context::programsThatRun()): the start
// program, then the program its script hands over to.
class ProgramRule : public Rule {
 public:
  void check(Context& ctx) const final {
    for (const RunningProgram& rp : ctx.programsThatRun()) checkProgram(ctx, rp);
  }

 protected:
  virtual void checkProgram(Context& ctx, const RunningProgram& rp) const = 0;
};

}  // namespace pd
