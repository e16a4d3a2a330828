// PD404: Lambda runs only linux/amd64 (x86_64 functions) and linux/arm64 (arm64 functions)
// images, natively: any other os or architecture in the config cannot start.
#include <nlohmann/json.hpp>

#include "engine/rule_table.h"

namespace pd {
namespace {

class PD404 : public Rule {
 public:
  void check(Context& ctx) const override {
    const ImageConfig& c = ctx.image.config;
    bool osOk = c.os == "linux";
    bool archOk = c.architecture == "amd64" || c.architecture == "arm64";
    if (osOk && archOk) return;
    std::string platform = (c.os.empty() ? "(no os)" : c.os) + "/" +
                           (c.architecture.empty() ? "(no architecture)" : c.architecture) +
                           (c.variant.empty() ? "" : "/" + c.variant);
    Finding f;
    f.message =
        "the image is " + platform + ": Lambda runs only linux/amd64 and linux/arm64 images";
    if (!osOk)
      f.message += " (Lambda supports only Linux-based container images)";
    else
      f.message +=
          " (the first invocation fails with Runtime.InvalidEntrypoint: \"IMAGE Launch "
          "error: fork/exec /lambda-entrypoint.sh: exec format error\")";
    f.evidence = {{"os", c.os}, {"architecture", c.architecture}, {"variant", c.variant}};
    f.fix =
        "docker buildx build --platform linux/amd64 (or linux/arm64, matching the function's "
        "architecture) --provenance=false --sbom=false";
    ctx.diag(std::move(f));
  }
};

}  // namespace

extern const RuleEntry kPD404{
    .id = "PD404",
    .severity = Severity::Error,
    .title = "Lambda: image platform is not linux/amd64 or linux/arm64",
    .doc = "pd4xx/PD404.md",
    .profiles = profiles({Profile::Lambda}),
    .make = makeRule<PD404>,
};

}  // namespace pd
