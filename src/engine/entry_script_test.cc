#include "engine/entry_script.h"

#include <gtest/gtest.h>

namespace pd {
namespace {

using O = EntryScript::Outcome;
using Args = std::vector<std::string>;

EntryScript follow(const std::string& script, Args args, bool root = true) {
  return followEntryScript(script, {std::move(args), "/usr/bin:/bin", root});
}

TEST(EntryScript, ExecOfItsArgumentsHandsOverToCmd) {
  EntryScript e = follow("#!/bin/sh\nset -e\n# start\nexec \"$@\"\n", {"/opt/indexer/bin/indexer"});
  EXPECT_EQ(e.outcome, O::Execs);
  EXPECT_EQ(e.argv, Args{"/opt/indexer/bin/indexer"});
  EXPECT_EQ(e.line, 4);
  EXPECT_EQ(e.path, "/usr/bin:/bin");
}

TEST(EntryScript, ArgumentRewritingAsOfficialImagesDoIt) {
  const std::string script =
      "#!/bin/sh\n"
      "set -e\n"
      "if [ \"$1\" = indexer ]; then\n"
      "  set -- /opt/indexer/bin/indexer \"$@\"\n"
      "fi\n"
      "# first arg is `-f` or `--some-option`\n"
      "if [ \"${1#-}\" != \"$1\" ] || [ \"${1%.conf}\" != \"$1\" ]; then\n"
      "  set -- redis-server \"$@\"\n"
      "fi\n"
      "exec \"$@\"\n";
  EXPECT_EQ(follow(script, {"indexer", "--all"}).argv,
            (Args{"/opt/indexer/bin/indexer", "indexer", "--all"}));
  EXPECT_EQ(follow(script, {"--port", "1"}).argv, (Args{"redis-server", "--port", "1"}));
  EXPECT_EQ(follow(script, {"/etc/redis.conf"}).argv, (Args{"redis-server", "/etc/redis.conf"}));
  EXPECT_EQ(follow(script, {"sh"}).argv, Args{"sh"});
  // One-line forms, shift, and else.
  EXPECT_EQ(
      follow("if [ $# -eq 0 ]; then set -- serve; else shift; fi\nexec app \"$@\"\n", {}).argv,
      (Args{"app", "serve"}));
  EXPECT_EQ(
      follow("if [ $# -eq 0 ]; then set -- serve; else shift; fi\nexec app \"$@\"\n", {"x", "y"})
          .argv,
      (Args{"app", "y"}));
}

TEST(EntryScript, PathTheScriptSets) {
  EntryScript e = follow("export PATH=\"/opt/app/bin:$PATH\"\nexec \"$@\"\n", {"app"});
  EXPECT_EQ(e.path, "/opt/app/bin:/usr/bin:/bin");
  EXPECT_EQ(follow("PATH=$(cat /etc/path)\nexec \"$@\"\n", {"app"}).outcome, O::Unknown);
}

TEST(EntryScript, UserSwitchingToolsAndTheReexecOfTheScript) {
  const std::string script =
      "#!/bin/sh\n"
      "if [ \"$(id -u)\" = '0' ]; then\n"
      "  exec gosu app:app \"$0\" \"$@\"\n"
      "fi\n"
      "exec \"$@\"\n";
  EntryScript e = follow(script, {"/app/server"});
  EXPECT_EQ(e.outcome, O::Execs);
  EXPECT_EQ(e.argv, Args{"/app/server"});
  EXPECT_EQ(e.line, 5);
  EXPECT_EQ(e.switchTool, "gosu");
  EXPECT_EQ(e.switchUser, "app:app");
  EXPECT_EQ(e.switchLine, 3);
  // Started as non-root, the script does not switch.
  EXPECT_TRUE(follow(script, {"/app/server"}, false).switchTool.empty());
  struct Case {
    std::string exec, tool, user;
  } cases[] = {
      {"exec su-exec 10001 \"$@\"", "su-exec", "10001"},
      {"exec setpriv --reuid=10001 --regid=10001 --init-groups \"$@\"", "setpriv", "10001:10001"},
      {"exec runuser -u app -- \"$@\"", "runuser", "app"},
      {"exec chroot --userspec=app:app / \"$@\"", "chroot", "app:app"},
  };
  for (const auto& c : cases) {
    EntryScript s = follow("#!/bin/sh\n" + c.exec + "\n", {"/app/server", "-v"});
    EXPECT_EQ(s.outcome, O::Execs) << c.exec << ": " << s.why;
    EXPECT_EQ(s.argv, (Args{"/app/server", "-v"})) << c.exec;
    EXPECT_EQ(s.switchTool, c.tool);
    EXPECT_EQ(s.switchUser, c.user);
  }
}

TEST(EntryScript, SuRunsItsCommandAsTheUser) {
  struct Case {
    std::string exec, user;
    Args argv;
  } cases[] = {
      {"exec su app -c '/app/server -v'", "app", {"/app/server", "-v"}},
      {"exec su -s /bin/sh -c 'exec /app/server' app", "app", {"/app/server"}},
      {"exec su --command=/app/server -m app", "app", {"/app/server"}},
      {"exec su -c server", "root", {"server"}},
  };
  for (const auto& c : cases) {
    EntryScript s = follow("#!/bin/sh\n" + c.exec + "\n", {"ignored"});
    EXPECT_EQ(s.outcome, O::Execs) << c.exec << ": " << s.why;
    EXPECT_EQ(s.argv, c.argv) << c.exec;
    EXPECT_EQ(s.switchTool, "su");
    EXPECT_EQ(s.switchUser, c.user);
    EXPECT_EQ(s.switchLine, 2);
  }
  for (const std::string& exec : {
           "exec su app -c \"$*\"",            // the command is only known at run time
           "exec su - app -c /app/server",     // a login shell starts in the user's home
           "exec su app",                      // an interactive shell
           "exec su app -c 'cd /srv; ./run'",  // more than one command
           "exec su app -c '/app/run | tee log'",
           "exec su -c /app/server app extra",  // arguments for the shell
       }) {
    EntryScript s = follow("#!/bin/sh\n" + exec + "\n", {"x"});
    EXPECT_EQ(s.outcome, O::Unknown) << exec;
    EXPECT_FALSE(s.why.empty()) << exec;
  }
}

TEST(EntryScript, WhatCannotBeFollowedIsUnknown) {
  for (const std::string& script : {
           // a condition it cannot evaluate around set --
           std::string("if [ -f /config ]; then set -- other; fi\nexec \"$@\"\n"),
           // case on the arguments
           std::string("case \"$1\" in\n  web) set -- gunicorn app ;;\nesac\nexec \"$@\"\n"),
           // a file that may change the program
           std::string("chmod +x /opt/app/run\nexec \"$@\"\n"),
           std::string(". /etc/profile.d/app.sh\nexec \"$@\"\n"),
           std::string("exec \"$APP_BIN\" \"$@\"\n"),
           std::string("cd /srv\nexec \"$@\"\n"),
           std::string("[ -n \"$DEBUG\" ] && set -- debug \"$@\"\nexec \"$@\"\n"),
           std::string("_main() {\n  set -- postgres \"$@\"\n  exec \"$@\"\n}\n_main \"$@\"\n"),
       }) {
    EntryScript e = follow(script, {"app"});
    EXPECT_EQ(e.outcome, O::Unknown) << script;
    EXPECT_FALSE(e.why.empty());
  }
}

TEST(EntryScript, HarmlessStatementsAreFollowedThrough) {
  const std::string script =
      "#!/bin/bash\n"
      "set -euo pipefail\n"
      "log() { echo \"[entrypoint] $*\" >&2; }\n"
      "exec >/tmp/entry.log 2>&1\n"
      "mkdir -p /tmp/cache\n"
      "cat <<EOF\n"
      "exec /not/this\n"
      "EOF\n"
      "[ -n \"${DEBUG:-}\" ] && set -x\n"
      "for d in a b; do echo $d; done\n"
      "log starting\n"
      "exec \"$@\"\n";
  EntryScript e = follow(script, {"/app/server"});
  EXPECT_EQ(e.outcome, O::Execs) << e.why << " at " << e.line;
  EXPECT_EQ(e.argv, Args{"/app/server"});
  EXPECT_EQ(e.line, 12);
}

TEST(EntryScript, ScriptThatExecsNothingExits) {
  EXPECT_EQ(follow("#!/bin/sh\necho hello\n", {"x"}).outcome, O::Exits);
  EXPECT_EQ(follow("#!/bin/sh\nexit 0\nexec \"$@\"\n", {"x"}).outcome, O::Exits);
}

}  // namespace
}  // namespace pd
