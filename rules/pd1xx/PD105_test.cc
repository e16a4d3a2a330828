#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd {
namespace {
using testing::findingsOf;
using testing::ImageBuilder;
using testing::lintImage;

const char* kPasswd =
    "root:x:0:0:root:/root:/bin/sh\n"
    "app:x:10001:10001:app:/home/app:/bin/sh\n";

// WORKDIR /app, entrypoint /app/run.sh, USER 10001:10001.
ImageBuilder app() {
  ImageBuilder b;
  b.layer("FROM base")
      .file("/etc/passwd", 0644, kPasswd)
      .file("/etc/group", 0644, "root:x:0:\napp:x:10001:\n")
      .layer("COPY run.sh")
      .file("/app/run.sh", 0755, "#!/bin/sh\n")
      .config([](ImageConfig& c) {
        c.user = "10001:10001";
        c.workingDir = "/app";
        c.entrypoint = {"/app/run.sh"};
      });
  return b;
}

std::vector<std::string> pathsOf(const std::vector<Finding>& fs) {
  std::vector<std::string> out;
  for (const auto& f : fs) out.push_back(f.path.value_or(""));
  return out;
}

TEST(PD105, UnreadableFileUnderWorkdirFires) {
  Image img = app().layer("COPY config.json").file("/app/config.json", 0600, "{}").build();
  auto fs = findingsOf(lintImage(img), "PD105");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/app/config.json");
  EXPECT_EQ(fs[0].paths, std::vector<std::string>{"/app/config.json"});
  EXPECT_EQ(fs[0].layer, 2);
  EXPECT_EQ(fs[0].evidence.json()["mode"], "0600");
  EXPECT_EQ(fs[0].evidence.json()["uid"], 0);
  EXPECT_EQ(fs[0].evidence.json()["bits"], "other");
  // The fix is the line to paste; the other way (ownership) is said in the message.
  EXPECT_EQ(fs[0].fix, "COPY --chmod=0644 config.json /app/config.json");
  EXPECT_NE(fs[0].message.find("--chown=10001:10001"), std::string::npos) << fs[0].message;
}

TEST(PD105, ReadableFileIsQuiet) {
  Image img = app().file("/app/config.json", 0644, "{}").build();
  EXPECT_TRUE(findingsOf(lintImage(img), "PD105").empty());
  // Owned by the runtime user: the owner bits apply.
  Image owned = app().file("/app/config.json", 0600, "{}", 10001, 10001).build();
  EXPECT_TRUE(findingsOf(lintImage(owned), "PD105").empty());
  // Group-readable with the user's gid.
  Image group = app().file("/app/config.json", 0640, "{}", 0, 10001).build();
  EXPECT_TRUE(findingsOf(lintImage(group), "PD105").empty());
}

TEST(PD105, OwnerBitsWinOverOtherBits) {
  Image img = app().file("/app/data.txt", 0044, "x", 10001, 10001).build();
  auto fs = findingsOf(lintImage(img), "PD105");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].evidence.json()["bits"], "owner");
  EXPECT_EQ(fs[0].message.find("--chown"), std::string::npos) << fs[0].message;  // no help
}

TEST(PD105, SupplementaryGroupFromEtcGroupAllowsReading) {
  Image img = app()
                  .file("/etc/group", 0644, "root:x:0:\napp:x:10001:\nappdata:x:2000:app\n")
                  .file("/app/data.txt", 0640, "x", 0, 2000)
                  .config([](ImageConfig& c) { c.user = "app"; })
                  .build();
  EXPECT_TRUE(findingsOf(lintImage(img), "PD105").empty());
  // USER app:app names the group explicitly: no supplementary groups.
  Image explicitGroup =
      app()
          .file("/etc/group", 0644, "root:x:0:\napp:x:10001:\nappdata:x:2000:app\n")
          .file("/app/data.txt", 0640, "x", 0, 2000)
          .config([](ImageConfig& c) { c.user = "app:app"; })
          .build();
  EXPECT_EQ(findingsOf(lintImage(explicitGroup), "PD105").size(), 1u);
}

TEST(PD105, RootIdentityIsQuiet) {
  Image img = app()
                  .file("/app/config.json", 0000, "{}")
                  .config([](ImageConfig& c) { c.user = ""; })
                  .build();
  EXPECT_TRUE(findingsOf(lintImage(img), "PD105").empty());
  EXPECT_EQ(findingsOf(lintImage(img, "auto", "1000"), "PD105").size(), 1u);
}

TEST(PD105, TreeWithOneModeIsOneFindingPerCause) {
  Image img = app()
                  .layer("COPY --chmod=0600 static /app/static")
                  .dir("/app/static", 0600)
                  .file("/app/static/index.html", 0600, "x")
                  .dir("/app/static/css", 0600)
                  .file("/app/static/css/site.css", 0600, "x")
                  .dir("/app/static/js", 0600)
                  .file("/app/static/js/app.js", 0600, "x")
                  .build();
  auto fs = findingsOf(lintImage(img), "PD105");
  ASSERT_EQ(fs.size(), 2u);  // the directories, the files
  EXPECT_EQ(pathsOf(fs), (std::vector<std::string>{"/app/static", "/app/static"}));
  std::vector<std::string> dirs = {"/app/static", "/app/static/css", "/app/static/js"};
  std::vector<std::string> files = {"/app/static/css/site.css", "/app/static/index.html",
                                    "/app/static/js/app.js"};
  bool sawDirs = false, sawFiles = false;
  for (const auto& f : fs) {
    if (f.evidence.json()["type"] == "directory") {
      EXPECT_EQ(f.paths, dirs);
      sawDirs = true;
    } else {
      EXPECT_EQ(f.paths, files);
      EXPECT_EQ(f.evidence.json()["count"], 3);
      EXPECT_NE(f.fix.find("chmod -R o+rX /app/static"), std::string::npos) << f.fix;
      sawFiles = true;
    }
  }
  EXPECT_TRUE(sawDirs && sawFiles);
}

TEST(PD105, UntraversableDirectoryIsTheCauseNotItsFiles) {
  Image img = app()
                  .dir("/app/plugins", 0750)
                  .file("/app/plugins/a.py", 0644, "x")
                  .file("/app/plugins/b.py", 0644, "x")
                  .build();
  auto fs = findingsOf(lintImage(img), "PD105");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/app/plugins");
  EXPECT_EQ(fs[0].paths, std::vector<std::string>{"/app/plugins"});
  EXPECT_EQ(fs[0].evidence.json()["type"], "directory");
  EXPECT_NE(fs[0].fix.find("chmod 0755 /app/plugins"), std::string::npos) << fs[0].fix;
}

TEST(PD105, UntraversableAncestorOfARootFires) {
  Image img = app()
                  .dir("/srv", 0700)
                  .file("/srv/data/settings.ini", 0644, "x")
                  .config([](ImageConfig& c) { c.workingDir = "/srv/data"; })
                  .build();
  auto fs = findingsOf(lintImage(img), "PD105");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/srv");
  EXPECT_EQ(fs[0].evidence.json()["ancestorOf"], "/srv/data");
  EXPECT_NE(fs[0].message.find("WORKDIR"), std::string::npos) << fs[0].message;
}

TEST(PD105, SystemTreesAndSlashAreNoRoots) {
  Image img = app()
                  .file("/usr/local/bin/run.sh", 0755, "#!/bin/sh\n")
                  .file("/usr/local/bin/admin-tool", 0700, "x")
                  .file("/etc/app/secret.conf", 0600, "x")
                  .dir("/root", 0700)
                  .file("/root/.profile", 0600, "x")
                  .file("/usr/lib64/private.so", 0600, "x")
                  .config([](ImageConfig& c) {
                    c.workingDir = "/";
                    c.entrypoint = {"/usr/local/bin/run.sh"};
                  })
                  .build();
  EXPECT_TRUE(findingsOf(lintImage(img), "PD105").empty());
  // A WORKDIR left at a system tree itself is no root either.
  for (const char* wd : {"/etc", "/root", "/usr/lib64"}) {
    img.config.workingDir = wd;
    EXPECT_TRUE(findingsOf(lintImage(img), "PD105").empty()) << wd;
  }
}

// Inside a system tree, WORKDIR is the app's own directory (catalog v2): /root/app is a root,
// and /root above it (entered as root by the runtime) is not reported from it.
TEST(PD105, WorkdirInsideASystemTreeIsARoot) {
  Image img = app()
                  .dir("/root", 0700)
                  .dir("/root/app", 0755)
                  .file("/root/app/server.sh", 0755, "#!/bin/sh\n")
                  .file("/root/app/settings.conf", 0600, "x")
                  .file("/etc/app/secret.conf", 0600, "x")
                  .config([](ImageConfig& c) { c.workingDir = "/root/app"; })
                  .build();
  auto fs = findingsOf(lintImage(img), "PD105");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(*fs[0].path, "/root/app/settings.conf");
  img.config.workingDir = "/etc/app";
  fs = findingsOf(lintImage(img), "PD105");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(*fs[0].path, "/etc/app/secret.conf");
}

TEST(PD105, OptAndTheStartProgramDirectoryAreRoots) {
  Image img = app()
                  .file("/opt/vendor/lib/libvendor.so", 0640, "x")
                  .file("/srv/tool/bin/start", 0755, "#!/bin/sh\n")
                  .file("/srv/tool/bin/helper.conf", 0600, "x")
                  .config([](ImageConfig& c) {
                    c.workingDir = "";
                    c.entrypoint = {"/srv/tool/bin/start"};
                  })
                  .build();
  auto fs = findingsOf(lintImage(img), "PD105");
  ASSERT_EQ(fs.size(), 2u);
  EXPECT_EQ(pathsOf(fs), (std::vector<std::string>{"/opt/vendor/lib/libvendor.so",
                                                   "/srv/tool/bin/helper.conf"}));
}

TEST(PD105, NestedRootsReportEachPathOnce) {
  Image img = app()
                  .file("/app/bin/start", 0755, "#!/bin/sh\n")
                  .file("/app/bin/secret", 0600, "x")
                  .config([](ImageConfig& c) { c.entrypoint = {"/app/bin/start"}; })
                  .build();
  auto fs = findingsOf(lintImage(img), "PD105");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].paths, std::vector<std::string>{"/app/bin/secret"});
}

TEST(PD105, SymlinkedRootIsWalkedAtItsTarget) {
  ImageBuilder b;
  b.file("/etc/passwd", 0644, kPasswd)
      .file("/srv/app/run.sh", 0755, "#!/bin/sh\n")
      .file("/srv/app/key.pem", 0600, "x")
      .symlink("/app", "/srv/app")
      .config([](ImageConfig& c) {
        c.user = "10001:10001";
        c.workingDir = "/app";
        c.entrypoint = {"/app/run.sh"};
      });
  auto fs = findingsOf(lintImage(b.build()), "PD105");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/srv/app/key.pem");
}

TEST(PD105, LinkLeadingOutOfTheRootsIsJudgedByItsTarget) {
  Image img = app()
                  .file("/etc/app/secret.conf", 0600, "x")
                  .symlink("/app/secret.conf", "/etc/app/secret.conf")
                  .file("/etc/app/public.conf", 0644, "x")
                  .symlink("/app/public.conf", "/etc/app/public.conf")
                  .build();
  auto fs = findingsOf(lintImage(img), "PD105");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/app/secret.conf");
  EXPECT_EQ(fs[0].evidence.json()["target"], "/etc/app/secret.conf");
}

TEST(PD105, OpenShiftReadsThroughGroupZero) {
  Image img = app().file("/app/config.json", 0640, "{}").build();
  EXPECT_EQ(findingsOf(lintImage(img, "generic"), "PD105").size(), 1u);
  EXPECT_TRUE(findingsOf(lintImage(img, "openshift"), "PD105").empty());
  Image gidApp = app().file("/app/config.json", 0640, "{}", 0, 10001).build();
  auto fs = findingsOf(lintImage(gidApp, "openshift"), "PD105");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_NE(fs[0].fix.find("chgrp -R 0"), std::string::npos) << fs[0].fix;
}

TEST(PD105, LambdaLeavesTheLambdaRootsToPD401) {
  ImageBuilder b;
  b.file("/var/task/app.py", 0600, "x")
      .file("/srv/extra/data.json", 0600, "x")
      .config([](ImageConfig& c) {
        c.env = {"LAMBDA_TASK_ROOT=/var/task"};
        c.workingDir = "/srv/extra";
        c.entrypoint = {"/lambda-entrypoint.sh"};
        c.cmd = {"app.handler"};
      });
  auto r = lintImage(b.build());
  auto pd401 = findingsOf(r, "PD401");
  ASSERT_EQ(pd401.size(), 1u);
  EXPECT_EQ(pd401[0].path, "/var/task/app.py");
  auto fs = findingsOf(r, "PD105");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/srv/extra/data.json");
}

}  // namespace
}  // namespace pd
