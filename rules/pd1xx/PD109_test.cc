#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

// An image with interpreters and an /app whose modes the test chooses, run as 10001:10001.
Image app(std::vector<std::string> cmd, uint32_t dirMode, uint32_t fileMode,
          const std::string& workdir = "/") {
  const std::string elf = std::string("\x7f") + "ELF";
  return ImageBuilder()
      .layer("base")
      .dir("/usr", 0755)
      .dir("/usr/bin", 0755)
      .file("/usr/bin/python3.12", 0755, elf)
      .symlink("/usr/bin/python3", "python3.12")
      .file("/usr/bin/node", 0755, elf)
      .file("/usr/bin/java", 0755, elf)
      .file("/usr/bin/env", 0755, elf)
      .dir("/bin", 0755)
      .file("/bin/sh", 0755, elf)
      .layer("COPY app")
      .dir("/app", dirMode)
      .dir("/app/pkg", dirMode)
      .file("/app/server.py", fileMode, "print(1)\n")
      .file("/app/pkg/__main__.py", fileMode, "print(1)\n")
      .file("/app/server.js", fileMode, "1\n")
      .file("/app/run.sh", fileMode, "echo\n")
      .file("/app/app.jar", fileMode, "PK")
      .config([&](ImageConfig& c) {
        c.cmd = cmd;
        c.user = "10001:10001";
        c.workingDir = workdir;
        c.env = {"PATH=/usr/bin:/bin"};
      })
      .build();
}

std::vector<Finding> pd109(const Image& img) {
  return findingsOf(lintImage(img), "PD109");
}

TEST(PD109, ScriptBehindADirectoryWithoutXFires) {
  // RUN chmod -R 644 /app: the directories lost x.
  auto fs = pd109(app({"python3", "/app/server.py"}, 0644, 0644));
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/app/server.py");
  EXPECT_EQ(fs[0].evidence.json()["blockedBy"], "/app");
  EXPECT_NE(fs[0].message.find("python3: can't open file '/app/server.py': [Errno 13] "
                               "Permission denied"),
            std::string::npos)
      << fs[0].message;
  EXPECT_NE(fs[0].fix.find("chmod -R u=rwX,go=rX /app"), std::string::npos);
}

TEST(PD109, UnreadableScriptFiresForEachInterpreter) {
  for (auto cmd : std::vector<std::vector<std::string>>{{"python3", "-u", "server.py"},
                                                        {"/usr/bin/env", "python3", "server.py"},
                                                        {"node", "--enable-source-maps", "server"},
                                                        {"sh", "-e", "run.sh"},
                                                        {"java", "-Xmx1g", "-jar", "app.jar"},
                                                        {"python3", "-m", "pkg"}}) {
    auto fs = pd109(app(cmd, 0755, 0600, "/app"));
    ASSERT_EQ(fs.size(), 1u) << cmd[0] << " " << cmd.back();
    EXPECT_NE(fs[0].message.find("cannot read"), std::string::npos) << fs[0].message;
    EXPECT_EQ(fs[0].evidence.json()["mode"], "0600");
  }
}

TEST(PD109, MissingScriptFiresRelativeToWorkdir) {
  auto fs = pd109(app({"python3", "main.py"}, 0755, 0644, "/app"));
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/app/main.py");
  EXPECT_EQ(fs[0].evidence.json()["missing"], true);
  EXPECT_NE(fs[0].message.find("[Errno 2] No such file or directory"), std::string::npos);
  EXPECT_NE(fs[0].message.find("relative to WORKDIR /app"), std::string::npos);
  EXPECT_EQ(fs[0].fix, "COPY main.py /app/main.py");
}

// runc enters WORKDIR as root before it drops privileges: a relative name is looked up from there,
// so a locked /root above WORKDIR /root/app stops an absolute name only.
TEST(PD109, RelativeNamesStartAtWorkdirWhichTheRuntimeEnteredAsRoot) {
  auto under = [](uint32_t appMode, std::vector<std::string> cmd) {
    return ImageBuilder()
        .layer("base")
        .file("/usr/bin/python3", 0755, std::string("\x7f") + "ELF")
        .dir("/root", 0700)
        .dir("/root/app", appMode)
        .file("/root/app/server.py", 0644, "print(1)\n")
        .config([&](ImageConfig& c) {
          c.cmd = cmd;
          c.user = "10001:10001";
          c.workingDir = "/root/app";
          c.env = {"PATH=/usr/bin"};
        })
        .build();
  };
  EXPECT_TRUE(pd109(under(0755, {"python3", "server.py"})).empty());
  auto abs = pd109(under(0755, {"python3", "/root/app/server.py"}));
  ASSERT_EQ(abs.size(), 1u);
  EXPECT_EQ(abs[0].evidence.json()["blockedBy"], "/root");
  auto locked = pd109(under(0700, {"python3", "server.py"}));
  ASSERT_EQ(locked.size(), 1u);
  EXPECT_EQ(locked[0].evidence.json()["blockedBy"], "/root/app");
}

TEST(PD109, WhatCannotBeFollowedIsNotJudged) {
  for (auto cmd : std::vector<std::vector<std::string>>{
           {"python3", "-c", "import x"},  // inline code
           {"python3", "-m", "gunicorn"},  // an installed package, not under WORKDIR
           {"node", "-e", "1"},            // inline code
           {"sh", "-c", "python3 /x.py"},  // a shell command line
           {"java", "-cp", "/x.jar", "com.example.Main"},  // a main class
           {"/app/server.py"},                             // no interpreter in argv: PD102/PD103's
           {"python3"}})                                   // a REPL
    EXPECT_TRUE(pd109(app(cmd, 0644, 0600, "/app")).empty()) << cmd[0] << " " << cmd.back();
}

TEST(PD109, ReadableScriptsAndRootAreQuiet) {
  EXPECT_TRUE(pd109(app({"python3", "/app/server.py"}, 0755, 0644)).empty());
  EXPECT_TRUE(pd109(app({"node", "server.js"}, 0755, 0644, "/app")).empty());
  EXPECT_TRUE(pd109(app({"python3", "-m", "pkg"}, 0755, 0644, "/app")).empty());
  Image root = app({"python3", "/app/server.py"}, 0644, 0600);
  root.config.user = "";
  EXPECT_TRUE(pd109(root).empty());
}

}  // namespace
}  // namespace pd::testing
