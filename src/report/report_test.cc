// The helpers every reporter shares: where a whole-image finding points, and the Dockerfile line.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "report/report.h"
#include "support/image_builder.h"

namespace pd {
namespace {

Image imageFrom(const std::string& source, std::vector<std::string> references) {
  Image img = testing::ImageBuilder().layer().file("/x").build();
  img.source = source;
  img.references = std::move(references);
  return img;
}

TEST(ImageLocation, NeverAHostPathOutsideTheWorkingDirectory) {
  std::string cwd = std::filesystem::current_path().string();
  EXPECT_EQ(imageLocation(imageFrom(cwd + "/out/app.tar", {"app:1"})), "out/app.tar");
  EXPECT_EQ(imageLocation(imageFrom("out/app.tar", {"app:1"})), "out/app.tar");
  EXPECT_EQ(imageLocation(imageFrom("/nowhere/else/app.tar", {"app:1"})), "app:1");
  EXPECT_EQ(imageLocation(imageFrom("/nowhere/else/app.tar", {})), "app.tar");
  EXPECT_EQ(imageLocation(imageFrom("<stdin>", {"app:1"})), "app:1");
  EXPECT_EQ(imageLocation(imageFrom("<stdin>", {})), "<stdin>");
  EXPECT_EQ(imageLocation(imageFrom("docker://registry.example/app:1", {})),
            "docker://registry.example/app:1");
  EXPECT_EQ(repositoryPath(cwd + "/Dockerfile"), "Dockerfile");
  EXPECT_EQ(repositoryPath("/elsewhere/Dockerfile"), "/elsewhere/Dockerfile");
  EXPECT_EQ(imageLocation(imageFrom("../../../../../../elsewhere/app.tar", {"app:1"})), "app:1");
}

// A CI workspace is often reached through a symlink: paths through the link, through the real
// directory, or climbing out and back in all name the same repository file.
TEST(ImageLocation, WorkingDirectoryReachedThroughASymlink) {
  namespace fs = std::filesystem;
  fs::path real = fs::temp_directory_path() / ("pd-location-" + std::to_string(getpid()));
  fs::path link = real.string() + "-link";
  fs::create_directories(real / "out");
  fs::create_directory_symlink(real, link);
  fs::path before = fs::current_path();
  fs::current_path(link);
  std::string viaLink = repositoryPath(link.string() + "/out/app.tar");
  std::string viaReal = repositoryPath(real.string() + "/out/app.tar");
  std::string climbing =
      imageLocation(imageFrom("../" + real.filename().string() + "/out/app.tar", {"app:1"}));
  fs::current_path(before);
  fs::remove(link);
  fs::remove_all(real);
  EXPECT_EQ(viaLink, "out/app.tar");
  EXPECT_EQ(viaReal, "out/app.tar");
  EXPECT_EQ(climbing, "out/app.tar");
}

TEST(SourceLine, LongInstructionIsCutBetweenCharacters) {
  Finding f;
  SourceLocation s;
  s.file = "Dockerfile";
  s.line = s.endLine = 3;
  s.instruction = "RUN echo " + std::string(89, 'a') + "é and more";
  f.source = s;
  std::string line = sourceLine(f);
  EXPECT_TRUE(validUtf8(line)) << line;
  EXPECT_EQ(line, "Dockerfile:3  RUN echo " + std::string(89, 'a') + "…");
  f.origin = "base";
  EXPECT_TRUE(sourceLine(f).ends_with("…  (base image)"));
}

// Two groups of one cause at one directory (two layers): the second is "#2", so fingerprints and
// JUnit names stay unique, and the first keeps the fingerprint it had.
TEST(FindingRepeats, OnlyRepeatsAreNumbered) {
  auto finding = [](const std::string& rule, const std::string& path) {
    Finding f;
    f.rule = rule;
    f.path = path;
    return f;
  };
  std::vector<Finding> fs = {finding("PD106", "/app/data"), finding("PD106", "/srv"),
                             finding("PD106", "/app/data"), finding("PD105", "/app/data")};
  std::vector<std::string> repeats = findingRepeats(fs);
  EXPECT_EQ(repeats, (std::vector<std::string>{"", "", "#2", ""}));
  EXPECT_NE(findingFingerprint("", fs[0], repeats[0]), findingFingerprint("", fs[2], repeats[2]));
  EXPECT_EQ(findingFingerprint("", fs[0], ""), findingFingerprint("", fs[0], repeats[0]));
  EXPECT_EQ(findingSubject(fs[2], repeats[2]), "/app/data (#2)");
}

}  // namespace
}  // namespace pd
