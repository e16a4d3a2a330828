#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

const char* kPasswd =
    "root:x:0:0:root:/root:/bin/sh\n"
    "app:x:1000:1000:app:/home/app:/bin/sh\n";

ImageBuilder base(std::vector<std::string> extraEnv = {}) {
  ImageBuilder b;
  b.layer("base")
      .file("/etc/passwd", 0644, kPasswd)
      .dir("/root", 0700)
      .dir("/home", 0755)
      .file("/var/task/app.py", 0644, "x")
      .config([extraEnv](ImageConfig& c) {
        c.env = {"LAMBDA_TASK_ROOT=/var/task"};
        c.env.insert(c.env.end(), extraEnv.begin(), extraEnv.end());
        c.cmd = {"app.handler"};
      });
  return b;
}

std::vector<Finding> withPath(const std::vector<Finding>& fs, bool hasPath) {
  std::vector<Finding> out;
  for (const auto& f : fs)
    if (f.path.has_value() == hasPath) out.push_back(f);
  return out;
}

TEST(PD408, RootPlaywrightCacheFires) {
  Image img = base()
                  .layer("RUN npx playwright install chromium")
                  .file("/root/.cache/ms-playwright/chromium-1091/chrome-linux/chrome", 0755, "bin",
                        0, 0, 4096)
                  .file("/root/.cache/ms-playwright/chromium-1091/INSTALLATION_COMPLETE", 0644)
                  .build();
  auto fs = findingsOf(lintImage(img), "PD408");
  ASSERT_EQ(fs.size(), 2u);
  auto caches = withPath(fs, true);
  ASSERT_EQ(caches.size(), 1u);
  EXPECT_EQ(*caches[0].path, "/root/.cache/ms-playwright");
  EXPECT_EQ(caches[0].evidence.json()["blockedBy"], "/root");
  EXPECT_EQ(caches[0].evidence.json()["mode"], "0700");
  EXPECT_EQ(caches[0].evidence.json()["files"], 2);
  EXPECT_EQ(caches[0].evidence.json()["size"], 4096);
  EXPECT_NE(caches[0].fix.find("ENV PLAYWRIGHT_BROWSERS_PATH=/ms-playwright"), std::string::npos);

  auto home = withPath(fs, false);
  ASSERT_EQ(home.size(), 1u);
  EXPECT_NE(home[0].message.find("EROFS: read-only file system, mkdir '/home/sbx_user1051'"),
            std::string::npos);
  EXPECT_EQ(home[0].evidence.json()["caches"],
            nlohmann::json::array({"/root/.cache/ms-playwright"}));
  EXPECT_EQ(home[0].fix.rfind("ENV HOME=/tmp", 0), 0u);
}

TEST(PD408, HomeSetLeavesOnlyTheUnreachableCache) {
  Image img =
      base({"HOME=/tmp"}).layer().file("/root/.cache/huggingface/hub/model.bin", 0644, "w").build();
  auto fs = findingsOf(lintImage(img), "PD408");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(*fs[0].path, "/root/.cache/huggingface");
  EXPECT_NE(fs[0].fix.find("HF_HOME"), std::string::npos);
}

TEST(PD408, TheFixedImageIsQuiet) {
  Image img = base({"PLAYWRIGHT_BROWSERS_PATH=/ms-playwright", "HOME=/tmp"})
                  .layer()
                  .file("/ms-playwright/chromium-1091/chrome-linux/chrome", 0755, "bin")
                  .dir("/root/.cache/pip", 0755)  // an empty cache directory is no cache
                  .build();
  EXPECT_TRUE(findingsOf(lintImage(img), "PD408").empty());
  Image noHome = base().layer().dir("/root/.cache/pip", 0755).build();
  EXPECT_TRUE(findingsOf(lintImage(noHome), "PD408").empty());
}

TEST(PD408, BuildUserHome) {
  // USER app: its home /home/app is private (0750), as useradd makes it on some distributions.
  Image img = base({"HOME=/tmp"})
                  .layer()
                  .dir("/home/app", 0750, 1000, 1000)
                  .file("/home/app/.cache/puppeteer/chrome/chrome", 0755, "bin", 1000, 1000)
                  .file("/home/app/.npm/_cacache/index", 0644, "x", 1000, 1000)
                  .config([](ImageConfig& c) { c.user = "app"; })
                  .build();
  auto fs = findingsOf(lintImage(img), "PD408");
  ASSERT_EQ(fs.size(), 2u);
  std::vector<std::string> paths = {*fs[0].path, *fs[1].path};
  std::sort(paths.begin(), paths.end());
  EXPECT_EQ(paths, (std::vector<std::string>{"/home/app/.cache/puppeteer", "/home/app/.npm"}));
  EXPECT_EQ(fs[0].evidence.json()["blockedBy"], "/home/app");
  EXPECT_EQ(fs[0].evidence.json()["home"], "/home/app");
}

TEST(PD408, UnreadableFileInsideAReachableCache) {
  Image img = base({"HOME=/tmp"})
                  .layer()
                  .dir("/home/app", 0755, 1000, 1000)
                  .dir("/home/app/.cache/ms-playwright", 0755, 1000, 1000)
                  .file("/home/app/.cache/ms-playwright/chrome", 0700, "bin", 1000, 1000)
                  .config([](ImageConfig& c) { c.user = "1000"; })
                  .build();
  auto fs = findingsOf(lintImage(img), "PD408");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(*fs[0].path, "/home/app/.cache/ms-playwright");
  EXPECT_EQ(fs[0].evidence.json()["blockedBy"], "/home/app/.cache/ms-playwright/chrome");
  EXPECT_EQ(fs[0].evidence.json()["mode"], "0700");
}

TEST(PD408, ReadableCachesWithoutHome) {
  // Everything readable, but with no HOME the tool looks under Lambda's own home.
  Image img = base()
                  .layer()
                  .dir("/home/app", 0755)
                  .file("/home/app/.cache/ms-playwright/chrome", 0755, "bin")
                  .build();
  auto fs = findingsOf(lintImage(img), "PD408");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_FALSE(fs[0].path.has_value());
  EXPECT_EQ(fs[0].evidence.json()["caches"],
            nlohmann::json::array({"/home/app/.cache/ms-playwright"}));
  EXPECT_TRUE(findingsOf(lintImage(img, "generic"), "PD408").empty());
}

}  // namespace
}  // namespace pd::testing
