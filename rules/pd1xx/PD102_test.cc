#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

// USER 65534 (shellBase) runs /app/start; its mode and its directory's mode vary.
Image withStart(uint32_t mode, const std::string& content, uint32_t dirMode = 0755) {
  return shellBase()
      .layer("COPY start")
      .dir("/app", dirMode)
      .file("/app/start", mode, content)
      .config([](ImageConfig& c) { c.entrypoint = {"/app/start"}; })
      .build();
}

const std::string kElf =
    "\x7f"
    "ELF";
const std::string kScript = "#!/bin/sh\necho hi\n";

TEST(PD102, NoExecuteBitForTheUserFires) {
  auto fs = findingsOf(lintImage(withStart(0644, kElf)), "PD102");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/app/start");
  EXPECT_EQ(fs[0].layer, 1);
  EXPECT_EQ(fs[0].evidence.json()["mode"], "0644");
  EXPECT_NE(fs[0].message.find("cannot execute it"), std::string::npos) << fs[0].message;
}

TEST(PD102, AScriptMustAlsoBeReadable) {
  auto fs = findingsOf(lintImage(withStart(0711, kScript)), "PD102");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_NE(fs[0].message.find("cannot read the script"), std::string::npos) << fs[0].message;
  // The same mode is fine for a binary: the kernel maps it, nobody reads it as the user.
  EXPECT_TRUE(findingsOf(lintImage(withStart(0711, kElf)), "PD102").empty());
}

TEST(PD102, AnUntraversableDirectoryFiresOnIt) {
  auto fs = findingsOf(lintImage(withStart(0755, kElf, 0700)), "PD102");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].evidence.json()["blockedBy"], "/app");
  EXPECT_EQ(fs[0].fix, "RUN chmod 0755 /app");
}

TEST(PD102, ExecutableIsQuietAndRootExecutesAnyXBit) {
  EXPECT_TRUE(findingsOf(lintImage(withStart(0755, kScript)), "PD102").empty());
  EXPECT_TRUE(findingsOf(lintImage(withStart(0700, kElf), "auto", "0"), "PD102").empty());
}

// execve("./server") from WORKDIR /root/app: runc entered it as root, so /root (0700) above it
// does not stop a relative name; an absolute one it does.
TEST(PD102, RelativeProgramIsLookedUpFromWorkdir) {
  auto under = [](const std::string& entry) {
    return ImageBuilder()
        .layer("base")
        .dir("/root", 0700)
        .dir("/root/app", 0755)
        .file("/root/app/server", 0755, std::string("\x7f") + "ELF")
        .config([&](ImageConfig& c) {
          c.entrypoint = {entry};
          c.user = "10001:10001";
          c.workingDir = "/root/app";
        })
        .build();
  };
  EXPECT_TRUE(findingsOf(lintImage(under("./server")), "PD102").empty());
  auto fs = findingsOf(lintImage(under("/root/app/server")), "PD102");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].evidence.json()["blockedBy"], "/root");
}

}  // namespace
}  // namespace pd::testing
