// PD503: the digest a deploy pins (--expect-digest) is not the image's. After `podman push` or
// `buildah push` the registry holds recompressed layers under another manifest digest than the
// local image's, and Lambda answers "Source image ...@sha256:... does not exist".
#include <nlohmann/json.hpp>

#include "engine/rule_table.h"

namespace pd {
namespace {

class PD503 : public Rule {
 public:
  void check(Context& ctx) const override {
    const std::string& want = ctx.options.text("PD503.expect-digest");
    if (want.empty()) return;
    const Image& img = ctx.image;
    // What the registry serves for the tag (an index for a multi-platform image), and the
    // platform manifest linted: a deploy may pin either.
    std::string served = img.repoDigest.substr(img.repoDigest.find('@') + 1);
    if (img.repoDigest.empty()) served.clear();
    if (want == img.manifestDigest || want == served) return;
    Finding f;
    if (img.manifestDigest.empty()) {
      f.message = "the deploy pins " + want + ", but this input (" + img.format +
                  ") holds no registry manifest: its digest exists only once a push writes it, "
                  "and a push that compresses layers gives it another one";
      f.fix =
          "push, then lint the pushed image (permdoctor lint docker://REPO:TAG) and deploy "
          "by the digest it reports";
    } else {
      f.message = "the deploy pins " + want + ", but the image read has manifest digest " +
                  img.manifestDigest +
                  (served.empty() || served == img.manifestDigest
                       ? std::string()
                       : " (the registry serves " + served + " for the tag)") +
                  ": a registry holding this image has no manifest " + want +
                  ", so the deploy fails with \"does not exist\"";
      f.fix = img.repoDigest.empty() ? "deploy by the digest the registry reports after the push"
                                     : "deploy by " + img.repoDigest;
    }
    f.evidence = {
        {"expectedDigest", want},
        {"manifestDigest",
         img.manifestDigest.empty() ? nlohmann::json(nullptr) : nlohmann::json(img.manifestDigest)},
        {"repoDigest",
         img.repoDigest.empty() ? nlohmann::json(nullptr) : nlohmann::json(img.repoDigest)}};
    ctx.diag(std::move(f));
  }
};

constexpr RuleOption kOptions[] = {
    {"expect-digest", RuleOption::Kind::Digest, "",
     "the manifest digest a deploy pins (also --expect-digest)"},
};

}  // namespace

extern const RuleEntry kPD503{
    .id = "PD503",
    .severity = Severity::Error,
    .title = "The digest the deploy pins is not the image's manifest digest",
    .doc = "pd5xx/PD503.md",
    .options = kOptions,
    .make = makeRule<PD503>,
};

}  // namespace pd
