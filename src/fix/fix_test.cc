#include "fix/fix.h"

#include <gtest/gtest.h>

#include "dockerfile/attribution.h"
#include "support/image_builder.h"

namespace pd::testing {
namespace {

struct Fixed {
  std::string text;
  std::vector<FixOutcome> outcomes;
  std::string outcome(const std::string& rule) const {
    for (const auto& o : outcomes)
      if (o.rule == rule) return (o.fixed ? "fixed: " : "not fixed: ") + o.what;
    return "";
  }
};

// Lints `img` as `profile`, maps `dockerfile` onto it and fixes what can be fixed.
Fixed fix(const Image& img, const std::string& dockerfile, const std::string& profile = "auto") {
  Dockerfile df = parseDockerfile(dockerfile, "Dockerfile");
  SourceMap map = matchDockerfile(df, img);
  EXPECT_TRUE(map.matched) << map.why;
  LintResult r = lintImage(img, profile);
  attributeFindings(r.findings, df, map, img);
  FixResult f = fixFindings(dockerfile, df, map, img, r.findings);
  return {f.text, f.outcomes};
}

void withHistory(ImageBuilder& b, std::initializer_list<const char*> entries) {
  b.config([&](ImageConfig& c) {
    for (const char* e : entries) c.history.push_back({e, true});
  });
}

TEST(Fix, CopyChmodThatLeftTheHandlerUnreadable) {
  ImageBuilder b = shellBase();
  b.layer("/bin/sh -c #(nop) COPY file:ab in /var/task/")
      .file("/var/task/app.py", 0600, "def handler(e, c):\n  return 1\n");
  withHistory(b, {"/bin/sh -c #(nop) CMD [\"app.handler\"]"});
  b.config([](ImageConfig& c) {
    c.env = {"LAMBDA_TASK_ROOT=/var/task"};
    c.entrypoint = {"/lambda-entrypoint.sh"};
    c.cmd = {"app.handler"};
  });
  Fixed f = fix(b.build(),
                "FROM base\n# the handler\nCOPY --chmod=0600 app.py /var/task/\n"
                "CMD [\"app.handler\"]\n",
                "lambda");
  EXPECT_EQ(f.text,
            "FROM base\n# the handler\nCOPY --chmod=0644 app.py /var/task/\n"
            "CMD [\"app.handler\"]\n");
  EXPECT_EQ(f.outcome("PD401"), "fixed: line 3: COPY --chmod=0644 (was 0600)");
}

// /app/config.json written by a COPY with mode `copied`, then by `run` with mode `after`, in an
// image that runs as 10001 from WORKDIR /app.
Image configApp(uint32_t copied, const std::string& run, uint32_t after) {
  ImageBuilder b = shellBase();
  b.layer("/bin/sh -c #(nop) COPY file:ab in /app/config.json ")
      .file("/app/config.json", copied, "{}")
      .layer("/bin/sh -c " + run)
      .file("/app/config.json", after, "{}");
  b.config([](ImageConfig& c) {
    c.workingDir = "/app";
    c.user = "10001";
  });
  withHistory(b, {"/bin/sh -c #(nop) WORKDIR /app", "/bin/sh -c #(nop) USER 10001"});
  return b.build();
}

TEST(Fix, TheRunChmodThatRemovedTheBitsNotTheCopy) {
  Fixed f = fix(configApp(0644, "chmod 600 /app/config.json && echo done", 0600),
                "FROM base\nCOPY config.json /app/config.json\n"
                "RUN chmod 600 /app/config.json && echo done\nWORKDIR /app\nUSER 10001\n");
  EXPECT_EQ(f.outcome("PD105"), "fixed: line 3: chmod 600 -> 644");
  EXPECT_NE(f.text.find("RUN chmod 644 /app/config.json && echo done\n"), std::string::npos)
      << f.text;
  EXPECT_NE(f.text.find("COPY config.json /app/config.json\n"), std::string::npos);
}

TEST(Fix, RecursiveOctalChmodBecomesSymbolicSoDirectoriesKeepX) {
  ImageBuilder b = shellBase();
  b.layer("/bin/sh -c #(nop) COPY dir:ab in /app ")
      .dir("/app/static", 0755)
      .file("/app/static/a.css", 0644)
      .layer("/bin/sh -c chmod -R 600 /app")
      .dir("/app/static", 0600)
      .file("/app/static/a.css", 0600);
  b.config([](ImageConfig& c) {
    c.workingDir = "/app";
    c.user = "10001";
  });
  withHistory(b, {"/bin/sh -c #(nop) WORKDIR /app", "/bin/sh -c #(nop) USER 10001"});
  Fixed f = fix(b.build(),
                "FROM base\nCOPY static /app/static\nRUN chmod -R 600 /app\nWORKDIR /app\n"
                "USER 10001\n");
  EXPECT_NE(f.text.find("RUN chmod -R u=rwX,g=rX,o=rX /app\n"), std::string::npos) << f.text;
}

TEST(Fix, TheCopyThatSetTheModeNotALaterRunThatRewroteTheFile) {
  // `RUN touch` writes the file again with the mode it had: the bits came from the COPY.
  Fixed f = fix(configApp(0600, "touch /app/config.json", 0600),
                "FROM base\nCOPY --chmod=0600 config.json /app/config.json\n"
                "RUN touch /app/config.json\nWORKDIR /app\nUSER 10001\n");
  EXPECT_EQ(f.outcome("PD105"), "fixed: line 2: COPY --chmod=0644 (was 0600)");
}

TEST(Fix, AVeryLongRunIsReadWordByWord) {
  // 200 KB of chmod targets: no regex recursion to overflow the stack.
  std::string targets;
  for (int i = 0; i < 50000; ++i) targets += " a";
  std::string run = "chmod 600 /app/config.json" + targets;
  Fixed f = fix(configApp(0644, run, 0600), "FROM base\nCOPY config.json /app/config.json\nRUN " +
                                                run + "\nWORKDIR /app\nUSER 10001\n");
  EXPECT_EQ(f.outcome("PD105"), "fixed: line 3: chmod 600 -> 644");
}

TEST(Fix, TwoFixesOnOneCopyOnlyAddBits) {
  // PD102 wants x on the start script, PD105 r on the config: one COPY wrote both.
  ImageBuilder b = shellBase();
  b.layer("/bin/sh -c #(nop) COPY multi:ab in /app/ ")
      .file("/app/run.sh", 0600, "#!/bin/sh\nexec sleep 1\n")
      .file("/app/config.json", 0600, "{}");
  b.config([](ImageConfig& c) {
    c.workingDir = "/app";
    c.user = "10001";
    c.entrypoint = {"/app/run.sh"};
  });
  withHistory(b, {"/bin/sh -c #(nop) WORKDIR /app", "/bin/sh -c #(nop) USER 10001",
                  "/bin/sh -c #(nop) ENTRYPOINT [\"/app/run.sh\"]"});
  Fixed f = fix(b.build(),
                "FROM base\nCOPY --chmod=0600 run.sh config.json /app/\nWORKDIR /app\n"
                "USER 10001\nENTRYPOINT [\"/app/run.sh\"]\n");
  EXPECT_NE(f.text.find("COPY --chmod=0755 run.sh config.json /app/\n"), std::string::npos)
      << f.text;
}

TEST(Fix, SymbolicChmodIsNotGuessed) {
  Fixed f = fix(configApp(0644, "chmod go-r /app/config.json", 0600),
                "FROM base\nCOPY config.json /app/config.json\nRUN chmod go-r /app/config.json\n"
                "WORKDIR /app\nUSER 10001\n");
  EXPECT_EQ(f.text, "");
  EXPECT_EQ(f.outcome("PD105").rfind("not fixed: line 3: chmod go-r is symbolic", 0), 0u)
      << f.outcome("PD105");
}

TEST(Fix, BaseImageFindingsAreLeftToTheBaseImage) {
  // The Dockerfile's own instructions are the last two: the COPY and the chmod are the base's.
  Fixed f = fix(configApp(0644, "chmod 600 /app/config.json", 0600),
                "FROM team/base:1\nWORKDIR /app\nUSER 10001\n");
  EXPECT_EQ(f.text, "");
  EXPECT_EQ(f.outcome("PD105"),
            "not fixed: it comes from the base image: fix it there, or --no-fail-on-base");
}

TEST(Fix, ReservedEnvKeyIsDroppedAndTheRestKept) {
  ImageBuilder b = shellBase();
  b.layer("/bin/sh -c #(nop) COPY file:ab in /var/task/")
      .file("/var/task/app.py", 0644, "def handler(e, c):\n  pass\n");
  withHistory(b, {"/bin/sh -c #(nop) ENV AWS_REGION=eu-west-1 APP_MODE=prod",
                  "/bin/sh -c #(nop) CMD [\"app.handler\"]"});
  b.config([](ImageConfig& c) {
    c.env = {"LAMBDA_TASK_ROOT=/var/task", "AWS_REGION=eu-west-1", "APP_MODE=prod"};
    c.entrypoint = {"/lambda-entrypoint.sh"};
    c.cmd = {"app.handler"};
  });
  Fixed f = fix(b.build(),
                "FROM base\nCOPY app.py /var/task/\nENV AWS_REGION=eu-west-1 \\\n"
                "    APP_MODE=prod\nCMD [\"app.handler\"]\n",
                "lambda");
  EXPECT_EQ(f.outcome("PD409"), "fixed: line 3: AWS_REGION removed from the ENV");
  EXPECT_EQ(f.text,
            "FROM base\nCOPY app.py /var/task/\nENV APP_MODE=prod\nCMD [\"app.handler\"]\n");
}

TEST(Fix, NamedUserBecomesNumericAndRootGetsAUser) {
  ImageBuilder named = shellBase();
  named.layer("/bin/sh -c echo app >> /etc/passwd")
      .file("/etc/passwd", 0644, "root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001::/app:/bin/sh\n")
      .file("/etc/group", 0644, "root:x:0:\napp:x:10001:\n");
  named.config([](ImageConfig& c) { c.user = "app"; });
  withHistory(named, {"/bin/sh -c #(nop) USER app"});
  Fixed f = fix(named.build(), "FROM base\nRUN echo app >> /etc/passwd\nUSER app\n");
  EXPECT_EQ(f.outcome("PD203"), "fixed: line 3: USER 10001:10001");
  EXPECT_EQ(f.text, "FROM base\nRUN echo app >> /etc/passwd\nUSER 10001:10001\n");

  ImageBuilder root = shellBase();
  root.layer("/bin/sh -c #(nop) COPY file:ab in /bin/busybox ")
      .file("/bin/busybox", 0755, "x")
      .symlink("/usr/sbin/adduser", "/bin/busybox");
  root.config([](ImageConfig& c) { c.user = ""; });
  Fixed r = fix(root.build(), "FROM base\nCOPY busybox /bin/busybox\n");
  EXPECT_EQ(r.text,
            "FROM base\nCOPY busybox /bin/busybox\n"
            "RUN addgroup -S -g 10001 app && adduser -S -D -H -u 10001 -G app app\n"
            "USER 10001:10001\n");

  // No tool to add a user with (Debian's busybox has no adduser): the entries themselves.
  ImageBuilder bare = shellBase();
  bare.layer("/bin/sh -c #(nop) COPY multi:ab in /etc/ ")
      .file("/etc/passwd", 0644, "root:x:0:0:root:/root:/bin/sh\n")
      .file("/etc/group", 0644, "root:x:0:\n");
  bare.config([](ImageConfig& c) { c.user = ""; });
  Fixed e = fix(bare.build(), "FROM base\nCOPY passwd group /etc/\n");
  EXPECT_EQ(e.text,
            "FROM base\nCOPY passwd group /etc/\n"
            "RUN echo 'app:x:10001:10001::/nonexistent:/sbin/nologin' >> /etc/passwd && echo "
            "'app:x:10001:' >> /etc/group\nUSER 10001:10001\n");
}

TEST(Fix, AptListsAreCleanedInTheRunThatMadeThem) {
  ImageBuilder b = shellBase();
  b.layer("/bin/sh -c apt-get update && apt-get install -y curl")
      .file("/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease", 0644,
            std::string(200000, 'x'));
  Fixed f = fix(b.build(), "FROM base\nRUN apt-get update && apt-get install -y curl\n");
  EXPECT_EQ(f.outcome("PD302"), "fixed: line 2: rm -rf /var/lib/apt/lists/* in the same RUN");
  EXPECT_EQ(f.text,
            "FROM base\nRUN apt-get update && apt-get install -y curl \\\n"
            "    && rm -rf /var/lib/apt/lists/*\n");
}

TEST(Fix, ChmodLayerFoldsIntoTheCopy) {
  ImageBuilder b = shellBase();
  b.layer("/bin/sh -c #(nop) COPY dir:ab in /app ");
  for (int i = 0; i < 4; ++i) b.file("/app/f" + std::to_string(i), 0600, "x", 0, 0, 300000);
  b.layer("/bin/sh -c chmod -R 644 /app");
  for (int i = 0; i < 4; ++i) b.file("/app/f" + std::to_string(i), 0644, "x", 0, 0, 300000);
  Fixed f = fix(b.build(), "FROM base\nCOPY app /app\nRUN chmod -R 644 /app\n");
  EXPECT_EQ(f.outcome("PD307"), "fixed: line 2: COPY --chmod=0644; line 3 dropped");
  EXPECT_EQ(f.text, "FROM base\nCOPY --chmod=0644 app /app\n");
}

}  // namespace
}  // namespace pd::testing
