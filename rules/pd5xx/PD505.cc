// PD505: the image's platform is not the deploy target named with --platform. A single-platform
// image built on an arm64 laptop and deployed to an x86_64 function or node fails with
// `exec format error`; without --platform nothing is assumed.
#include <nlohmann/json.hpp>

#include "common/text.h"
#include "engine/rule_table.h"
#include "fs/capture.h"

namespace pd {
namespace {

// arm64's only variant is v8: "linux/arm64" and "linux/arm64/v8" are one platform.
std::string canonicalVariant(const std::string& arch, const std::string& v) {
  return arch == "arm64" && v == "v8" ? "" : v;
}

class PD505 : public Rule {
 public:
  void check(Context& ctx) const override {
    const std::string& want = ctx.options.text("PD505.platform");
    if (want.empty()) return;
    std::vector<std::string_view> p = splitNonEmpty(want, '/');
    if (p.size() < 2) return;  // RuleOptions let only OS/ARCH[/VARIANT] through
    std::string os(p[0]), arch = goArch(std::string(p[1]));
    std::string variant = canonicalVariant(arch, p.size() > 2 ? std::string(p[2]) : "");
    const ImageConfig& c = ctx.image.config;
    std::string imageArch = goArch(c.architecture);
    std::string imageVariant = canonicalVariant(imageArch, c.variant);
    // A variant left out on either side matches any: the image says too little to refuse it.
    if (c.os == os && imageArch == arch &&
        (variant.empty() || imageVariant.empty() || variant == imageVariant))
      return;
    std::string have = (c.os.empty() ? "(no os)" : c.os) + "/" +
                       (c.architecture.empty() ? "(no architecture)" : c.architecture) +
                       (c.variant.empty() ? "" : "/" + c.variant);
    Finding f;
    f.message = "the deploy target is " + want + " but the image is " + have +
                ": its programs cannot run there (`exec format error`" +
                (ctx.profile == Profile::Lambda ? ", Runtime.InvalidEntrypoint on Lambda" : "") +
                ")";
    f.evidence = {
        {"target", want}, {"os", c.os}, {"architecture", c.architecture}, {"variant", c.variant}};
    f.message += "; build for the target, or deploy to a " + have +
                 " one (the function's architecture, the node pool)";
    f.fix = "docker buildx build --platform " + want + " .";
    ctx.diag(std::move(f));
  }
};

constexpr RuleOption kOptions[] = {
    {"platform", RuleOption::Kind::Platform, "", "the deploy target (also --platform)"},
};

}  // namespace

extern const RuleEntry kPD505{
    .id = "PD505",
    .severity = Severity::Error,
    .title = "The image's platform is not the deploy target",
    .doc = "pd5xx/PD505.md",
    .options = kOptions,
    .make = makeRule<PD505>,
};

}  // namespace pd
