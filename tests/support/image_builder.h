// Builds small image views in memory for unit tests of rules and of the access model. Layers go
// through the real applier, so whiteouts, hardlinks and replacement behave as for real archives.
// End-to-end behaviour is proved on real images (fixtures_test.cc); this is for edge cases.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "fs/applier.h"
#include "fs/image.h"

namespace pd::testing {

class ImageBuilder {
 public:
  ImageBuilder();
  // Starts a new layer with the given history instruction.
  ImageBuilder& layer(const std::string& createdBy = "");
  ImageBuilder& dir(const std::string& path, uint32_t mode = 0755, uint32_t uid = 0,
                    uint32_t gid = 0);
  ImageBuilder& file(const std::string& path, uint32_t mode = 0644, const std::string& content = "",
                     uint32_t uid = 0, uint32_t gid = 0, int64_t size = -1);
  ImageBuilder& symlink(const std::string& path, const std::string& target);
  ImageBuilder& hardlink(const std::string& path, const std::string& target);
  ImageBuilder& whiteout(const std::string& path);
  ImageBuilder& opaque(const std::string& dir);
  ImageBuilder& config(const std::function<void(ImageConfig&)>& edit);
  // Applies the pending layers and returns the image.
  Image build();

 private:
  void flush();
  Image img_;
  std::vector<LayerRecord> pending_;
  CapturePolicy policy_;
};

// The smallest runnable image: one "base" layer with /bin/sh (a script), USER 65534, CMD
// /bin/sh. Rule tests add the layers under test on top of it.
ImageBuilder shellBase();
// A PEM block built at run time, so that no key-looking text sits in the repository.
std::string pem(const std::string& label, const std::string& body);

// Lints `img` with the given profile ("auto" by default) and returns the findings.
LintResult lintImage(const Image& img, const std::string& profile = "auto",
                     const std::string& user = "");
// Findings of one rule.
std::vector<Finding> findingsOf(const LintResult& r, const std::string& rule);

}  // namespace pd::testing
