#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

const char* kScript = "#!/bin/sh\nexec true\n";

void awsConfig(ImageConfig& c) {
  c.entrypoint = {"/lambda-entrypoint.sh"};
  c.env = {"LAMBDA_TASK_ROOT=/var/task", "LAMBDA_RUNTIME_DIR=/var/runtime"};
}

// A language-base look-alike (/var/lang present); `interpreter` is put in /var/lang/bin.
ImageBuilder languageBase(const std::string& interpreter = "") {
  ImageBuilder b;
  b.layer("base")
      .file("/lambda-entrypoint.sh", 0755, kScript)
      .file("/var/runtime/bootstrap", 0755, kScript)
      .dir("/var/lang/bin", 0755)
      .dir("/var/task", 0755)
      .config(awsConfig);
  if (!interpreter.empty()) b.file("/var/lang/bin/" + interpreter, 0755, "bin");
  return b;
}

// The OS-only base look-alike: no /var/lang, no bootstrap.
ImageBuilder providedBase() {
  ImageBuilder b;
  b.layer("base")
      .file("/lambda-entrypoint.sh", 0755, kScript)
      .dir("/var/runtime", 0755)
      .dir("/var/task", 0755)
      .dir("/opt", 0755)
      .config(awsConfig);
  return b;
}

auto withCmd(std::vector<std::string> cmd) {
  return [cmd](ImageConfig& c) { c.cmd = cmd; };
}

TEST(PD403, MissingPythonModuleFires) {
  Image img = languageBase("python3.12")
                  .layer()
                  .file("/var/task/main.py", 0644, "x")
                  .config(withCmd({"app.handler"}))
                  .build();
  auto fs = findingsOf(lintImage(img), "PD403");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_FALSE(fs[0].path.has_value());
  EXPECT_EQ(fs[0].evidence.json()["handler"], "app.handler");
  EXPECT_EQ(fs[0].evidence.json()["language"], "python");
  EXPECT_EQ(fs[0].evidence.json()["candidates"][0], "/var/task/app.py");
  EXPECT_NE(fs[0].message.find("No module named 'app'"), std::string::npos);
  EXPECT_EQ(fs[0].message.find("Node.js"), std::string::npos);
}

TEST(PD403, ExistingModulesAreQuiet) {
  struct Case {
    std::string handler, file;
  } cases[] = {
      {"app.handler", "/var/task/app.py"},
      {"pkg.sub.mod.handler", "/var/task/pkg/sub/mod.py"},
      {"handlers/api.main", "/var/task/handlers/api.py"},
      {"src/handlers/orders.lambda_handler", "/var/task/src/handlers/orders.py"},
      {"pkg.handler", "/var/task/pkg/__init__.py"},
      {"index.handler", "/var/task/index.mjs"},
      {"index.handler", "/var/task/index.cjs"},
      {"src/index.handler", "/var/task/src/index.js"},
      {"index.obj.method", "/var/task/index.js"},  // Node: the FIRST dot of the file name
  };
  for (const auto& c : cases) {
    // Each module defines the names the handlers use (top-level modules are read).
    Image img = languageBase()
                    .layer()
                    .file(c.file, 0644, "handler = main = lambda_handler = obj = None\n")
                    .config(withCmd({c.handler}))
                    .build();
    EXPECT_TRUE(findingsOf(lintImage(img), "PD403").empty()) << c.handler << " " << c.file;
  }
}

TEST(PD403, LanguageRestrictsTheExtensions) {
  // A Node.js base: app.py does not count for app.handler.
  Image node = languageBase("node")
                   .layer()
                   .file("/var/task/app.py", 0644, "x")
                   .config(withCmd({"app.handler"}))
                   .build();
  auto fs = findingsOf(lintImage(node), "PD403");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].evidence.json()["language"], "nodejs");
  EXPECT_NE(fs[0].message.find("Cannot find module 'app'"), std::string::npos);

  // Unknown runtime: any of the files counts.
  Image any = languageBase()
                  .layer()
                  .file("/var/task/app.py", 0644, "def handler(event, context):\n    pass\n")
                  .config(withCmd({"app.handler"}))
                  .build();
  EXPECT_TRUE(findingsOf(lintImage(any), "PD403").empty());
}

TEST(PD403, NodeSplitsTheFileNameAtItsFirstDot) {
  // index.obj.method needs index.js, not index/obj.js.
  Image img = languageBase("node")
                  .layer()
                  .file("/var/task/index/obj.js", 0644, "x")
                  .config(withCmd({"index.obj.method"}))
                  .build();
  auto fs = findingsOf(lintImage(img), "PD403");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].evidence.json()["candidates"][0], "/var/task/index.js");
}

TEST(PD403, OtherHandlerSyntaxesAreNotChecked) {
  for (std::string h : {"com.example.Handler::handleRequest", "Asm::Ns.Class::Method", "/bin/x"}) {
    Image img = languageBase().config(withCmd({h})).build();
    EXPECT_TRUE(findingsOf(lintImage(img), "PD403").empty()) << h;
  }
  // A Java base: com.example.Handler is a class, not a module file.
  Image java = languageBase("java").config(withCmd({"com.example.Handler"})).build();
  EXPECT_TRUE(findingsOf(lintImage(java), "PD403").empty());
}

TEST(PD403, EmptyCmdOnTheAwsBase) {
  Image img = languageBase().layer().file("/var/task/app.py", 0644, "x").build();
  auto fs = findingsOf(lintImage(img), "PD403");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_FALSE(fs[0].path.has_value());
  EXPECT_NE(fs[0].message.find("entrypoint requires the handler name to be the first argument"),
            std::string::npos);

  // The handler given in ENTRYPOINT itself is an argument too.
  Image inEntrypoint = languageBase()
                           .layer()
                           .file("/var/task/app.py", 0644, "handler = None\n")
                           .config([](ImageConfig& c) {
                             c.entrypoint = {"/lambda-entrypoint.sh", "app.handler"};
                           })
                           .build();
  EXPECT_TRUE(findingsOf(lintImage(inEntrypoint), "PD403").empty());
}

TEST(PD403, CustomRuntimeWithoutBootstrap) {
  Image img = providedBase()
                  .layer()
                  .file("/var/task/function.sh", 0644, kScript)
                  .config(withCmd({"function.handler"}))
                  .build();
  auto fs = findingsOf(lintImage(img), "PD403");
  ASSERT_EQ(fs.size(), 1u);  // the handler means whatever the custom runtime makes of it
  EXPECT_NE(fs[0].message.find("Couldn't find valid bootstrap(s)"), std::string::npos);
  EXPECT_EQ(fs[0].evidence.json()["searched"][0], "/var/runtime/bootstrap");
  EXPECT_EQ(fs[0].fix, "COPY --chmod=0755 bootstrap /var/runtime/bootstrap");
}

TEST(PD403, CustomRuntimeBootstrapInAnyPlace) {
  for (std::string p : {"/var/runtime/bootstrap", "/var/task/bootstrap", "/opt/bootstrap"}) {
    Image img = providedBase()
                    .layer()
                    .file(p, 0755, kScript)
                    .file("/var/task/function.sh", 0644, kScript)
                    .config(withCmd({"function.handler"}))
                    .build();
    EXPECT_TRUE(findingsOf(lintImage(img), "PD403").empty()) << p;
  }
  // A directory named bootstrap is no bootstrap.
  Image dir = providedBase().layer().dir("/opt/bootstrap").config(withCmd({"x"})).build();
  EXPECT_EQ(findingsOf(lintImage(dir), "PD403").size(), 1u);
}

TEST(PD403, CustomEntrypointRunsItself) {
  // AWS's Go recipe: the binary replaces the entrypoint; nothing to look up.
  Image img = providedBase()
                  .layer()
                  .file("/var/task/main", 0755, "bin")
                  .config([](ImageConfig& c) {
                    c.entrypoint = {"./main"};
                    c.workingDir = "/var/task";
                  })
                  .build();
  EXPECT_TRUE(findingsOf(lintImage(img), "PD403").empty());
  EXPECT_TRUE(findingsOf(lintImage(providedBase().build(), "generic"), "PD403").empty());
}

// The module is there but plainly lacks the function CMD names.
TEST(PD403, PythonModuleWithoutTheFunctionFires) {
  Image img = languageBase("python3.12")
                  .layer("COPY app.py")
                  .file("/var/task/app.py", 0644,
                        "import json\n\ndef handler(event, context):\n    return {}\n")
                  .config(withCmd({"app.lambda_handler"}))
                  .build();
  auto fs = findingsOf(lintImage(img), "PD403");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/var/task/app.py");
  EXPECT_EQ(fs[0].layer, 1);
  EXPECT_EQ(fs[0].evidence.json()["function"], "lambda_handler");
  EXPECT_NE(fs[0].message.find("Handler 'lambda_handler' missing on module 'app'"),
            std::string::npos)
      << fs[0].message;
}

TEST(PD403, NodeModuleWithoutTheExportFires) {
  Image img = languageBase("node")
                  .layer("COPY index.mjs")
                  .file("/var/task/index.mjs", 0644, "export const main = async () => 1;\n")
                  .config(withCmd({"index.handler"}))
                  .build();
  auto fs = findingsOf(lintImage(img), "PD403");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_NE(fs[0].message.find("index.handler is undefined or not exported"), std::string::npos);
}

TEST(PD403, DefinitionsOfEveryKindAndDoubtAreQuiet) {
  struct Case {
    const char* file;
    const char* text;
  } cases[] = {
      {"/var/task/app.py", "async def lambda_handler(event, context):\n    pass\n"},
      {"/var/task/app.py", "from impl import run as lambda_handler\n"},
      {"/var/task/app.py", "lambda_handler = make_handler()\n"},
      {"/var/task/app.py", "from impl import *\n"},                    // doubt: star import
      {"/var/task/app.py", "globals()['lambda_' + 'handler'] = f\n"},  // doubt: dynamic
      {"/var/task/index.js", "exports.lambda_handler = async () => 1;\n"},
      {"/var/task/index.js", "module.exports = { lambda_handler };\n"},
      {"/var/task/index.js", "module.exports = require('./impl');\n"},  // doubt
      {"/var/task/index.mjs", "export async function lambda_handler() {}\n"},
      {"/var/task/index.mjs", "export * from './impl.mjs';\n"},  // doubt
  };
  for (const auto& c : cases) {
    std::string handler = std::string(c.file).find("/app.") != std::string::npos
                              ? "app.lambda_handler"
                              : "index.lambda_handler";
    Image img =
        languageBase().layer().file(c.file, 0644, c.text).config(withCmd({handler})).build();
    EXPECT_TRUE(findingsOf(lintImage(img), "PD403").empty()) << c.file << ": " << c.text;
  }
  // A longer name that merely contains the function's is no definition of it.
  Image img = languageBase("python3.12")
                  .layer()
                  .file("/var/task/app.py", 0644, "def my_handler_v2(e, c):\n    pass\n")
                  .config(withCmd({"app.handler"}))
                  .build();
  EXPECT_EQ(findingsOf(lintImage(img), "PD403").size(), 1u);
}

TEST(PD403, ModulesBelowTheTopAreNotReadSoNotJudged) {
  Image img = languageBase("python3.12")
                  .layer()
                  .file("/var/task/src/app.py", 0644, "def other(e, c):\n    pass\n")
                  .config(withCmd({"src/app.handler"}))
                  .build();
  EXPECT_TRUE(findingsOf(lintImage(img), "PD403").empty());
}

}  // namespace
}  // namespace pd::testing
