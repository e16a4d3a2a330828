#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

TEST(PD301, WholeToolchainIsOneFinding) {
  Image img = shellBase()
                  .layer("RUN apt-get install -y build-essential golang")
                  .file("/usr/lib/gcc/x86_64-linux-gnu/12/cc1", 0755,
                        "\x7f"
                        "ELF")
                  .file("/usr/bin/x86_64-linux-gnu-gcc-12", 0755,
                        "\x7f"
                        "ELF")
                  .symlink("/usr/bin/gcc", "gcc-12")
                  .symlink("/usr/bin/gcc-12", "x86_64-linux-gnu-gcc-12")
                  .file("/usr/bin/make", 0755,
                        "\x7f"
                        "ELF")
                  .file("/usr/local/go/bin/go", 0755,
                        "\x7f"
                        "ELF")
                  .file("/usr/bin/clang++-17", 0755,
                        "\x7f"
                        "ELF")
                  .build();
  auto fs = findingsOf(lintImage(img), "PD301");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(*fs[0].path, "/usr/bin/gcc");  // the driver in a bin directory
  EXPECT_EQ(fs[0].layer, 1);
  std::vector<std::string> want = {"/usr/bin/gcc",
                                   "/usr/bin/clang++-17",
                                   "/usr/bin/gcc-12",
                                   "/usr/bin/make",
                                   "/usr/bin/x86_64-linux-gnu-gcc-12",
                                   "/usr/lib/gcc/x86_64-linux-gnu/12/cc1",
                                   "/usr/local/go/bin/go"};
  EXPECT_EQ(fs[0].paths, want);
  EXPECT_EQ(fs[0].evidence.json()["tools"],
            nlohmann::json::array({"gcc", "clang++", "cc1", "make", "go"}));
  EXPECT_EQ(fs[0].evidence.json()["count"], 7);
}

TEST(PD301, NamesInPathComponentsAndLookAlikesAreQuiet) {
  Image img = shellBase()
                  .file("/usr/share/gcc/python/libstdcxx/__init__.py", 0644, "x")
                  .file("/usr/lib/x86_64-linux-gnu/libgcc_s.so.1", 0755,
                        "\x7f"
                        "ELF")
                  .file("/usr/lib/gcc/x86_64-linux-gnu/12/liblto_plugin.so", 0755, "x")
                  .file("/usr/lib/go-1.22/src/make.bash", 0755, "#!/bin/sh\n")
                  .file("/usr/bin/gcc-ar-12", 0755, "x")
                  .file("/usr/bin/c++filt", 0755, "x")
                  .file("/usr/bin/cmake", 0755, "x")
                  .file("/usr/bin/gofmt", 0755, "x")
                  .file("/usr/bin/my-make", 0755, "x")
                  .file("/usr/share/bash-completion/completions/make", 0644, "x")  // not exec
                  .symlink("/usr/bin/cc", "/nonexistent/gcc")                      // dangling
                  .build();
  EXPECT_TRUE(findingsOf(lintImage(img), "PD301").empty());
}

TEST(PD301, SymlinkToNonExecutableIsQuiet) {
  Image img =
      shellBase().file("/opt/gcc.txt", 0644, "x").symlink("/usr/bin/gcc", "/opt/gcc.txt").build();
  EXPECT_TRUE(findingsOf(lintImage(img), "PD301").empty());
}

TEST(PD301, CrossCompilerAndVersionedForms) {
  Image img = shellBase()
                  .file("/usr/bin/aarch64-alpine-linux-musl-g++", 0755, "x")
                  .file("/usr/local/bin/go1.22.3", 0755, "x")
                  .file("/usr/local/cargo/bin/cargo", 0700, "x")  // any x bit
                  .build();
  auto fs = findingsOf(lintImage(img), "PD301");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].paths.size(), 3u);
  EXPECT_EQ(*fs[0].path, "/usr/bin/aarch64-alpine-linux-musl-g++");
  EXPECT_EQ(fs[0].evidence.json()["tools"], nlohmann::json::array({"g++", "go", "cargo"}));
}

}  // namespace
}  // namespace pd::testing
