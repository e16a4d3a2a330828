#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

ImageBuilder lambda() {
  ImageBuilder b;
  b.layer("base")
      .dir("/root", 0700)
      .dir("/var/task", 0755)
      .file("/var/task/app.py", 0644, "import shipping_rates\n")
      .config([](ImageConfig& c) {
        c.env = {"LAMBDA_TASK_ROOT=/var/task"};
        c.entrypoint = {"/lambda-entrypoint.sh"};
        c.cmd = {"app.handler"};
      });
  return b;
}

TEST(PD413, PipUserInstallAsRootFires) {
  const std::string sp = "/root/.local/lib/python3.12/site-packages";
  Image img = lambda()
                  .layer("RUN pip install --user -r requirements.txt")
                  .file(sp + "/shipping_rates/__init__.py", 0644, "")
                  .dir(sp + "/shipping_rates-1.0.dist-info", 0755)
                  .file(sp + "/six.py", 0644, "")
                  .dir(sp + "/__pycache__", 0755)
                  .build();
  auto fs = findingsOf(lintImage(img, "lambda"), "PD413");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, sp);
  EXPECT_EQ(fs[0].paths, (std::vector<std::string>{sp + "/shipping_rates", sp + "/six"}));
  EXPECT_NE(fs[0].message.find("2 packages (shipping_rates, six) installed in " + sp),
            std::string::npos)
      << fs[0].message;
  EXPECT_NE(fs[0].message.find("No module named 'shipping_rates'"), std::string::npos);
  EXPECT_NE(fs[0].fix.find("pip install --target"), std::string::npos);
}

TEST(PD413, NpmUserPrefixUnderRootFires) {
  Image img = lambda()
                  .layer("RUN npm install -g")
                  .file("/root/.npm-global/lib/node_modules/left-pad/index.js", 0644, "")
                  .build();
  auto fs = findingsOf(lintImage(img, "lambda"), "PD413");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_NE(fs[0].message.find("Cannot find module 'left-pad'"), std::string::npos);
}

TEST(PD413, PackagesInTheTaskRootOrOtherProfilesAreQuiet) {
  Image ok = lambda()
                 .layer("RUN pip install --target /var/task")
                 .file("/var/task/shipping_rates/__init__.py", 0644, "")
                 .file("/root/.cache/pip/http/x", 0644, "")
                 .build();
  EXPECT_TRUE(findingsOf(lintImage(ok, "lambda"), "PD413").empty());
  Image user = lambda()
                   .layer("RUN pip install --user x")
                   .file("/root/.local/lib/python3.12/site-packages/x.py", 0644, "")
                   .build();
  EXPECT_TRUE(findingsOf(lintImage(user, "generic"), "PD413").empty());
}

}  // namespace
}  // namespace pd::testing
