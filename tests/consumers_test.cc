// The reports as their consumers read them (issue 13). Every fixture image (and again with its
// own Dockerfile, where the findings sit on its lines), stdin, an archive outside the checkout,
// several images in one report, suppressed findings and a hand-made archive of hostile names are
// each linted once into every format, from the source tree as a CI job lints from its checkout.
// tests/consumers/check_reports.py then hands each format to what reads it: SARIF Multitool's
// validate (SARIF and GitHub rules), cmark-gfm and marked, xmllint with a JUnit schema, GitLab's
// documented fields; a failure names the consumer and each report it rejects.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "support/hostile_archive.h"
#include "support/run.h"

namespace pd::testing {
namespace {

namespace fs = std::filesystem;
namespace h = pd::hostile;

std::string q(const std::string& s) {
  return "'" + s + "'";
}

// Names that are markdown, HTML, URI and XML syntax, a backslash before a pipe, control bytes
// and a name that is not UTF-8: each a world-writable file in a layer of its own, so that PD106
// reports each at its own path (one layer would make one group at /srv/app).
const std::vector<std::string>& hostileNameList() {
  static const std::vector<std::string> names = {"with space.txt",
                                                 "<b>bold</b> & <!-- c -->.txt",
                                                 "__init__.py",
                                                 "tick`s``.txt",
                                                 "`",
                                                 "pipe|and\\|.txt",
                                                 "*star* [l](x) #h ~~s~~.txt",
                                                 "50%25 ?q=1#frag.txt",
                                                 "caf\xe9-latin1.txt",
                                                 "ctrl\x1b[31m\ttab.txt",
                                                 "ünïcødé.txt",
                                                 "quote\"'&apos;.txt"};
  return names;
}

std::string hostileNames() {
  h::Image img;
  img.layers.push_back(h::layer([](h::TarWriter& t) {
    t.dir("etc/");
    t.file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/srv:/bin/sh\n");
    t.file("etc/group", "root:x:0:\napp:x:1000:\n");
    t.dir("srv/");
    t.dir("srv/app/");
  }));
  for (const std::string& name : hostileNameList())
    img.layers.push_back(h::layer([&](h::TarWriter& t) { t.file("srv/app/" + name, "x", 0666); }));
  img.config["config"]["User"] = "1000";
  std::string path = h::tempPath("hostile names.tar");
  h::writeFile(path, h::dockerArchive(img));
  return path;
}

// Lints `inputs` (shell words) into DIR/NAME.{json,sarif,md,xml,gitlab.json} from the source
// tree; `extra` (options) goes before the inputs. Returns whether it wrote them.
bool lintInto(const std::string& dir, const std::string& name, const std::string& inputs,
              const std::string& extra = "", const std::string& stdinFile = "") {
  std::string base = dir + "/" + name;
  std::string cmd = "cd " + q(PD_SOURCE_DIR) + " && " + PD_BINARY + " lint " + extra + " " +
                    inputs + " -q --fail-on info --format json -o " + q(base + ".json") +
                    " --format sarif -o " + q(base + ".sarif") + " --format markdown -o " +
                    q(base + ".md") + " --format junit -o " + q(base + ".xml") +
                    " --format gitlab -o " + q(base + ".gitlab.json");
  RunResult r = runShell(cmd, stdinFile);
  if (r.status == 2) {  // an input the reader refuses (hostile fixtures): no report to check
    for (const char* ext : {".json", ".sarif", ".md", ".xml", ".gitlab.json"})
      fs::remove(base + ext);
    return false;
  }
  // --fail-on info: every finding is a failing JUnit test case of its own.
  EXPECT_LE(r.status, 1) << name << ": " << r.err;
  return r.status <= 1;
}

// One test: the reports are made once (about 400 runs), then each consumer reads them all.
TEST(Consumers, EveryReportIsAcceptedByWhatReadsIt) {
  std::string dir = h::tempPath("consumers");
  fs::create_directories(dir);
  size_t reports = 0;
  for (const auto& e : fs::directory_iterator(fixtureImage(""))) {
    if (e.path().extension() != ".tar") continue;
    std::string stem = e.path().stem().string();
    reports += lintInto(dir, stem, q(e.path().string()));
    fs::path dockerfile = fs::path(PD_SOURCE_DIR) / "fixtures/images" / stem / "Dockerfile";
    if (fs::exists(dockerfile))
      reports += lintInto(dir, stem + ".dockerfile", q(e.path().string()),
                          "--dockerfile " + q(dockerfile.string()));
  }
  EXPECT_GE(reports, 300u) << "every fixture image, with and without its Dockerfile";
  std::string demo = fixtureImage("demo-lambda-unreadable.tar");
  std::string secret = q(fixtureImage("pd305-env-secret.tar"));
  std::string outside = h::tempPath("outside-the-checkout.tar");
  fs::copy_file(demo, outside, fs::copy_options::overwrite_existing);
  EXPECT_TRUE(lintInto(dir, "stdin", "-", "", demo));
  EXPECT_TRUE(lintInto(dir, "outside-the-checkout", q(outside)));
  EXPECT_TRUE(
      lintInto(dir, "several-images",
               q(thirdPartyImage("ggcr-hello-world-v25.tar")) + " " + q(demo) + " " + secret));
  EXPECT_TRUE(lintInto(dir, "same-image-twice", secret + " " + secret));
  EXPECT_TRUE(lintInto(dir, "suppressed", secret, "--ignore PD305"));
  ASSERT_TRUE(lintInto(dir, "hostile-names", q(hostileNames())));
  // Each name is a finding's own path, so each reaches every field the consumers check.
  std::ifstream in(dir + "/hostile-names.json", std::ios::binary);
  nlohmann::json hostile = nlohmann::json::parse(in);
  size_t ownPath = 0;
  for (const auto& f : hostile["findings"])
    ownPath += f["rule"] == "PD106" && f["paths"].size() == 1;
  EXPECT_EQ(ownPath, hostileNameList().size()) << hostile["findings"].dump(1);

  for (const char* consumer : {"sarif", "markdown", "junit", "gitlab"}) {
    SCOPED_TRACE(consumer);
    RunResult r = runShell("/usr/bin/python3 " +
                           q(std::string(PD_SOURCE_DIR) + "/tests/consumers/check_reports.py") +
                           " --only " + consumer + " " + q(dir));
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_NE(r.out.find(" 0 problems"), std::string::npos) << r.out << r.err;
  }
}

}  // namespace
}  // namespace pd::testing
