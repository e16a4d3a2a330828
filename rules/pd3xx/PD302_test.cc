#include <gtest/gtest.h>

#include <map>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

ImageBuilder base() {
  ImageBuilder b;
  b.layer("base")
      .file("/etc/passwd", 0644,
            "root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001:app:/srv/app:/bin/sh\n")
      .file("/bin/sh", 0755, "#!/bin/true\n")
      .dir("/root", 0700)
      .config([](ImageConfig& c) {
        c.user = "65534";
        c.cmd = {"/bin/sh"};
      });
  return b;
}

std::map<std::string, Finding> byPath(const std::vector<Finding>& fs) {
  std::map<std::string, Finding> m;
  for (const auto& f : fs) m[*f.path] = f;
  return m;
}

TEST(PD302, AptListsAndDebsOneFindingPerKind) {
  Image img = base()
                  .layer("RUN apt-get update && apt-get install -y curl")
                  .dir("/var/lib/apt/lists/partial")
                  .file("/var/lib/apt/lists/lock", 0640)
                  .file("/var/lib/apt/lists/deb_Packages.lz4", 0644, "x", 0, 0, 40000)
                  .file("/var/lib/apt/lists/deb_InRelease", 0644, "Origin: Debian\n")
                  .file("/var/cache/apt/archives/curl_7.88_amd64.deb", 0644, "x", 0, 0, 20000)
                  .file("/var/cache/apt/archives/lock", 0640)
                  .build();
  auto fs = byPath(findingsOf(lintImage(img), "PD302"));
  ASSERT_EQ(fs.size(), 2u);
  const Finding& lists = fs.at("/var/lib/apt/lists");
  EXPECT_EQ(lists.evidence.json()["kind"], "apt-lists");
  EXPECT_EQ(lists.evidence.json()["bytes"], 40015);
  EXPECT_EQ(lists.evidence.json()["files"], 2);
  EXPECT_EQ(lists.paths, (std::vector<std::string>{"/var/lib/apt/lists/deb_InRelease",
                                                   "/var/lib/apt/lists/deb_Packages.lz4"}));
  EXPECT_EQ(lists.layer, 1);
  EXPECT_NE(lists.fix.find("rm -rf /var/lib/apt/lists/*"), std::string::npos);
  const Finding& debs = fs.at("/var/cache/apt/archives");
  EXPECT_EQ(debs.evidence.json()["bytes"], 20000);
  EXPECT_EQ(debs.paths.size(), 1u);
}

TEST(PD302, EmptyCachesAreQuiet) {
  Image img = base()
                  .dir("/var/lib/apt/lists/partial")
                  .dir("/var/lib/apt/lists/auxfiles")
                  .file("/var/lib/apt/lists/lock", 0640)
                  .dir("/var/cache/apk")
                  .dir("/root/.cache")
                  .file("/root/.cache/empty", 0644)
                  .dir("/srv/app/.npm/_cacache")
                  .dir("/src/repo/.git")
                  .file("/app/.gitignore", 0644, "node_modules/\n")
                  .file("/app/.github/workflows/ci.yml", 0644, "on: push\n")
                  .file("/app/Dockerfile.md", 0644, "notes\n")
                  .build();
  EXPECT_TRUE(findingsOf(lintImage(img), "PD302").empty());
}

TEST(PD302, HomeCachesGroupAtTheCacheDirectory) {
  Image img = base()
                  .layer("RUN pip install && npm ci && cargo build && mvn package")
                  .file("/root/.cache/pip/http/a/b/0123", 0644, "x", 0, 0, 10000)
                  .file("/root/.cache/other/x", 0644, "x")
                  .file("/srv/app/.npm/_cacache/index-v5/00", 0644, "{}\n", 10001, 10001)
                  .file("/home/bob/.m2/repository/org/ex/lib-1.0.jar", 0644, "x", 0, 0, 10000)
                  .file("/root/.cargo/registry/cache/serde-1.0.0.crate", 0644, "x", 0, 0, 10000)
                  .build();
  auto fs = byPath(findingsOf(lintImage(img), "PD302"));
  ASSERT_EQ(fs.size(), 5u);
  EXPECT_EQ(fs.at("/root/.cache/pip").evidence.json()["kind"], "pip-cache");
  EXPECT_EQ(fs.at("/root/.cache").evidence.json()["kind"],
            "user-cache");  // pip's files are not here
  EXPECT_EQ(fs.at("/root/.cache").paths, std::vector<std::string>{"/root/.cache/other/x"});
  EXPECT_EQ(fs.at("/srv/app/.npm").evidence.json()["kind"], "npm-cache");  // home from /etc/passwd
  EXPECT_EQ(fs.at("/home/bob/.m2/repository").evidence.json()["kind"], "maven-repository");
  EXPECT_EQ(fs.at("/root/.cargo/registry").evidence.json()["bytes"], 10000);
  EXPECT_EQ(fs.at("/root/.cargo/registry").fix,
            "RUN --mount=type=cache,target=/root/.cargo/registry cargo build --release");
}

TEST(PD302, RepoLeftovers) {
  Image img = base()
                  .layer("COPY . /app")
                  .file("/app/Dockerfile", 0644, "FROM x\n")
                  .file("/app/svc/Dockerfile", 0644, "FROM y\n")
                  .file("/app/.git/HEAD", 0644, "ref: refs/heads/main\n")
                  .file("/app/.git/objects/pack/p.pack", 0644, "x", 0, 0, 5000)
                  .layer("COPY compose")
                  .file("/opt/stack/docker-compose.yml", 0644, "services: {}\n")
                  .build();
  auto fs = byPath(findingsOf(lintImage(img), "PD302"));
  ASSERT_EQ(fs.size(), 3u);
  const Finding& git = fs.at("/app/.git");
  EXPECT_EQ(git.evidence.json()["files"], 2);
  EXPECT_EQ(git.evidence.json()["bytes"], 5021);
  // Both Dockerfiles came with one COPY: one finding at their common directory.
  const Finding& df = fs.at("/app");
  EXPECT_EQ(df.evidence.json()["kind"], "dockerfile");
  EXPECT_EQ(df.paths, (std::vector<std::string>{"/app/Dockerfile", "/app/svc/Dockerfile"}));
  EXPECT_EQ(fs.at("/opt/stack/docker-compose.yml").evidence.json()["kind"], "compose-file");
  EXPECT_EQ(fs.at("/opt/stack/docker-compose.yml").layer, 2);
  EXPECT_EQ(fs.at("/app/.git").fix, "echo .git >> .dockerignore");
}

TEST(PD302, FilesAnInstalledPackageShipsAreNoLeftovers) {
  // Debian's golang-1.19-src ships Dockerfiles among Go's sources; a Python package, its own.
  Image img = base()
                  .layer("RUN apt-get install golang-1.19-src")
                  .file("/usr/share/go-1.19/src/crypto/internal/boring/Dockerfile", 0644, "FROM x\n")
                  .file("/usr/lib/python3/dist-packages/pkg/docker-compose.yml", 0644, "s: {}\n")
                  .layer("COPY . /usr/src/app")
                  .file("/usr/src/app/Dockerfile", 0644, "FROM y\n")
                  .build();
  auto fs = byPath(findingsOf(lintImage(img), "PD302"));
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs.begin()->second.paths, std::vector<std::string>{"/usr/src/app/Dockerfile"});
}

}  // namespace
}  // namespace pd::testing
