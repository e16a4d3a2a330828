#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

Image withUser(const std::string& user) {
  return shellBase()
      .layer("accounts")
      .file("/etc/passwd", 0644,
            "root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001::/home/app:/bin/sh\n")
      .file("/etc/group", 0644, "root:x:0:\napp:x:10001:\n")
      .config([&](ImageConfig& c) { c.user = user; })
      .build();
}

TEST(PD201, NoUserFires) {
  auto fs = findingsOf(lintImage(withUser("")), "PD201");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].message,
            "no USER is set, so the container runs as root; switch to the image's user app by "
            "number");
  EXPECT_EQ(fs[0].fix, "USER 10001:10001");
  EXPECT_FALSE(fs[0].path.has_value());
}

TEST(PD201, RootByNameOrNumberFires) {
  for (const char* u : {"root", "0", "0:0"}) {
    auto fs = findingsOf(lintImage(withUser(u)), "PD201");
    ASSERT_EQ(fs.size(), 1u) << u;
    EXPECT_EQ(fs[0].message.rfind(std::string("USER ") + u + " runs the container as root", 0), 0u);
  }
}

TEST(PD201, NonRootIsQuiet) {
  EXPECT_TRUE(findingsOf(lintImage(withUser("app")), "PD201").empty());
  EXPECT_TRUE(findingsOf(lintImage(withUser("10001:10001")), "PD201").empty());
  // --user (Kubernetes runAsUser) decides, not the image's USER.
  EXPECT_TRUE(findingsOf(lintImage(withUser(""), "kubernetes", "10001"), "PD201").empty());
}

TEST(PD201, LambdaIgnoresUser) {
  Image img = withUser("");
  EXPECT_TRUE(findingsOf(lintImage(img, "lambda"), "PD201").empty());
}

// An entrypoint that drops to another user: still PD201 (the container starts as root), and
// the message says the app itself does not run as root.
TEST(PD201, EntrypointThatDropsToAUserSaysSo) {
  Image img =
      ImageBuilder()
          .layer("base")
          .file("/bin/sh", 0755, "#!/bin/true\n")
          .file("/usr/local/bin/gosu", 0755, "#!/bin/true\n")
          .file("/entrypoint.sh", 0755,
                "#!/bin/sh\nif [ \"$(id -u)\" = '0' ]; then\n  exec gosu app \"$0\" \"$@\"\n"
                "fi\nexec \"$@\"\n")
          .file("/app/server", 0755, "#!/bin/sh\n")
          .config([](ImageConfig& c) {
            c.entrypoint = {"/entrypoint.sh"};
            c.cmd = {"/app/server"};
          })
          .build();
  auto fs = findingsOf(lintImage(img), "PD201");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_NE(fs[0].message.find("drops to app with gosu (line 3)"), std::string::npos)
      << fs[0].message;
  EXPECT_EQ(fs[0].evidence.json()["dropsTo"]["user"], "app");
}

TEST(PD201, TheFixCreatesAUserWithTheImagesOwnTool) {
  // No user of its own: useradd where the image has shadow's tools...
  Image debian = shellBase()
                     .layer("RUN apt-get install passwd")
                     .file("/usr/sbin/useradd", 0755, "x")
                     .file("/etc/passwd", 0644, "root:x:0:0:root:/root:/bin/sh\n")
                     .file("/etc/group", 0644, "root:x:0:\n")
                     .config([](ImageConfig& c) { c.user = ""; })
                     .build();
  auto fs = findingsOf(lintImage(debian), "PD201");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].fix,
            "RUN useradd --system --uid 10001 --user-group --no-create-home app\n"
            "USER 10001:10001");
  // ... busybox's adduser on Alpine (Debian's adduser would refuse -D).
  Image alpine = shellBase()
                     .layer("alpine")
                     .file("/bin/busybox", 0755, "x")
                     .symlink("/usr/sbin/adduser", "/bin/busybox")
                     .file("/etc/passwd", 0644, "root:x:0:0:root:/root:/bin/sh\n")
                     .file("/etc/group", 0644, "root:x:0:\n")
                     .config([](ImageConfig& c) { c.user = ""; })
                     .build();
  fs = findingsOf(lintImage(alpine), "PD201");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].fix.rfind("RUN addgroup -S -g 10001 app && adduser -S -D -H -u 10001", 0), 0u)
      << fs[0].fix;
}

}  // namespace
}  // namespace pd::testing
