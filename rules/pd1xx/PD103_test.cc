#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd {
namespace {
using testing::findingsOf;
using testing::ImageBuilder;
using testing::lintImage;

// A base with busybox-like tools: /bin/sh and /usr/bin/env executable, as USER 65534.
ImageBuilder base(const std::string& script, uint32_t mode = 0755) {
  ImageBuilder b;
  b.layer("FROM base")
      .file("/bin/busybox", 0755,
            "\x7f"
            "ELF")
      .symlink("/bin/sh", "busybox")
      .symlink("/usr/bin/env", "/bin/busybox")
      .layer("COPY app")
      .file("/app/run.sh", mode, script)
      .config([](ImageConfig& c) {
        c.user = "65534:65534";
        c.entrypoint = {"/app/run.sh"};
      });
  return b;
}

TEST(PD103, MissingInterpreterFires) {
  Image img = base("#!/usr/bin/python3\nprint('hi')\n").build();
  auto fs = findingsOf(lintImage(img), "PD103");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/app/run.sh");
  EXPECT_EQ(fs[0].layer, 1);
  EXPECT_EQ(fs[0].evidence.json()["interpreter"], "/usr/bin/python3");
  EXPECT_NE(fs[0].message.find("does not exist"), std::string::npos) << fs[0].message;
  EXPECT_TRUE(findingsOf(lintImage(img), "PD101").empty());
}

TEST(PD103, ExistingInterpreterThroughSymlinkIsQuiet) {
  Image img = base("#!/usr/bin/python3\nprint('hi')\n")
                  .file("/opt/python/bin/python3.12", 0755, "x")
                  .symlink("/usr/bin/python3", "/opt/python/bin/python3.12")
                  .build();
  EXPECT_TRUE(findingsOf(lintImage(img), "PD103").empty());
}

TEST(PD103, ShebangWithArgumentAndLfIsQuiet) {
  Image img = base("#!/bin/sh -e\necho hi\n").build();
  EXPECT_TRUE(findingsOf(lintImage(img), "PD103").empty());
  Image spaced = base("#! /bin/sh\necho hi\n").build();
  EXPECT_TRUE(findingsOf(lintImage(spaced), "PD103").empty());
}

TEST(PD103, CrlfShebangFires) {
  Image img = base("#!/bin/sh\r\necho hi\r\n").build();
  auto fs = findingsOf(lintImage(img), "PD103");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/app/run.sh");
  EXPECT_EQ(fs[0].evidence.json()["crlf"], true);
  EXPECT_EQ(fs[0].evidence.json()["interpreter"], "/bin/sh");
  EXPECT_NE(fs[0].message.find("\"/bin/sh\\r\""), std::string::npos) << fs[0].message;
  EXPECT_NE(fs[0].fix.find("sed -i 's/\\r$//' /app/run.sh"), std::string::npos) << fs[0].fix;
}

TEST(PD103, CrlfEnvShebangQuotesTheProgramWithCr) {
  Image img =
      base("#!/usr/bin/env python3\r\nprint()\r\n").file("/usr/bin/python3", 0755, "x").build();
  auto fs = findingsOf(lintImage(img), "PD103");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_NE(fs[0].message.find("/usr/bin/env: 'python3\\r': No such file or directory"),
            std::string::npos)
      << fs[0].message;
}

TEST(PD103, EnvShebangLooksTheProgramUpInPath) {
  // env exists, python3 is nowhere on PATH: "/usr/bin/env: 'python3': No such file..."
  Image missing = base("#!/usr/bin/env python3\nprint()\n").build();
  auto fs = findingsOf(lintImage(missing), "PD103");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/app/run.sh");
  EXPECT_EQ(fs[0].evidence.json()["program"], "python3");
  EXPECT_NE(fs[0].message.find("/usr/bin/env: 'python3': No such file or directory"),
            std::string::npos)
      << fs[0].message;

  Image found =
      base("#!/usr/bin/env python3\nprint()\n").file("/usr/local/bin/python3", 0755, "x").build();
  EXPECT_TRUE(findingsOf(lintImage(found), "PD103").empty());

  // Only the config PATH counts.
  Image offPath = base("#!/usr/bin/env python3\nprint()\n")
                      .file("/opt/py/bin/python3", 0755, "x")
                      .config([](ImageConfig& c) { c.env = {"PATH=/usr/bin:/bin"}; })
                      .build();
  EXPECT_EQ(findingsOf(lintImage(offPath), "PD103").size(), 1u);
  Image onPath = base("#!/usr/bin/env python3\nprint()\n")
                     .file("/opt/py/bin/python3", 0755, "x")
                     .config([](ImageConfig& c) { c.env = {"PATH=/opt/py/bin:/usr/bin:/bin"}; })
                     .build();
  EXPECT_TRUE(findingsOf(lintImage(onPath), "PD103").empty());
}

TEST(PD103, EnvItselfMissingFires) {
  ImageBuilder b;
  b.file("/bin/sh", 0755, "x")
      .file("/app/run.sh", 0755, "#!/usr/bin/env sh\necho\n")
      .config([](ImageConfig& c) { c.entrypoint = {"/app/run.sh"}; });
  auto fs = findingsOf(lintImage(b.build()), "PD103");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].evidence.json()["interpreter"], "/usr/bin/env");
}

TEST(PD103, EnvGetsTheRestOfTheLineAsOneArgument) {
  Image img =
      base("#!/usr/bin/env python3 -u\nprint()\n").file("/usr/bin/python3", 0755, "x").build();
  auto fs = findingsOf(lintImage(img), "PD103");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].evidence.json()["program"], "python3 -u");
  // env -S splits it itself.
  Image split =
      base("#!/usr/bin/env -S python3 -u\nprint()\n").file("/usr/bin/python3", 0755, "x").build();
  EXPECT_TRUE(findingsOf(lintImage(split), "PD103").empty());
}

TEST(PD103, InterpreterNotExecutableFires) {
  Image img = base("#!/opt/tool/bin/run\n").file("/opt/tool/bin/run", 0644, "x").build();
  auto fs = findingsOf(lintImage(img), "PD103");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/app/run.sh");
  EXPECT_EQ(fs[0].evidence.json()["mode"], "0644");
  EXPECT_EQ(fs[0].evidence.json()["resolved"], "/opt/tool/bin/run");
  EXPECT_NE(fs[0].fix.find("chmod 0755 /opt/tool/bin/run"), std::string::npos) << fs[0].fix;
}

TEST(PD103, InterpreterExecutableOnlyByItsOwnerDependsOnIdentity) {
  Image img = base("#!/opt/tool/bin/run\n").file("/opt/tool/bin/run", 0700, "x").build();
  EXPECT_EQ(findingsOf(lintImage(img), "PD103").size(), 1u);              // 65534: other bits ---
  EXPECT_TRUE(findingsOf(lintImage(img, "auto", "0"), "PD103").empty());  // root: any x bit
}

TEST(PD103, InterpreterBehindUntraversableDirectoryFires) {
  Image img = base("#!/opt/tool/bin/run\n")
                  .dir("/opt/tool", 0700)
                  .file("/opt/tool/bin/run", 0755, "x")
                  .build();
  auto fs = findingsOf(lintImage(img), "PD103");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].evidence.json()["blockedBy"], "/opt/tool");
}

TEST(PD103, DanglingInterpreterLinkFires) {
  Image img = base("#!/usr/bin/python3\n")
                  .symlink("/usr/bin/python3", "/opt/python/bin/python3.12")
                  .build();
  auto fs = findingsOf(lintImage(img), "PD103");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_NE(fs[0].message.find("dangling symlink"), std::string::npos) << fs[0].message;
  EXPECT_EQ(fs[0].evidence.json()["failedAt"], "/opt");  // /opt is absent
}

TEST(PD103, NotAScriptOrUnresolvableStartIsSkipped) {
  ImageBuilder elf;
  elf.file("/app/server", 0755,
           std::string("\x7f"
                       "ELF\x02\x01\x01",
                       7) +
               std::string(60, '\0'))
      .config([](ImageConfig& c) { c.entrypoint = {"/app/server"}; });
  EXPECT_TRUE(findingsOf(lintImage(elf.build()), "PD103").empty());
  ImageBuilder missing;
  missing.file("/bin/sh", 0755, "x").config([](ImageConfig& c) {
    c.entrypoint = {"/app/gone.sh"};
  });
  Image m = missing.build();
  EXPECT_TRUE(findingsOf(lintImage(m), "PD103").empty());
  EXPECT_EQ(findingsOf(lintImage(m), "PD101").size(), 1u);
}

TEST(PD103, ScriptReachedThroughALinkAndABareName) {
  Image img = base("#!/bin/bash\necho\n")
                  .symlink("/usr/local/bin/start", "/app/run.sh")
                  .config([](ImageConfig& c) {
                    c.entrypoint = {};
                    c.cmd = {"start"};
                  })
                  .build();
  auto fs = findingsOf(lintImage(img), "PD103");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/app/run.sh");  // the script itself
  EXPECT_EQ(fs[0].evidence.json()["interpreter"], "/bin/bash");
}

}  // namespace
}  // namespace pd
