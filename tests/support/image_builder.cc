#include "support/image_builder.h"

#include "fs/elf_dynamic.h"
#include "fs/path.h"

namespace pd::testing {

ImageBuilder::ImageBuilder() : policy_(rulesCapturePolicy()) {
  img_.source = "<test>";
  img_.format = "test";
  img_.config.architecture = "amd64";
  img_.config.os = "linux";
}

ImageBuilder& ImageBuilder::layer(const std::string& createdBy) {
  pending_.emplace_back();
  pending_.back().blob = "layer" + std::to_string(pending_.size());
  img_.config.history.push_back({createdBy, false});
  return *this;
}

ImageBuilder& ImageBuilder::dir(const std::string& path, uint32_t mode, uint32_t uid,
                                uint32_t gid) {
  if (pending_.empty()) layer();
  LayerEntry e;
  e.path = cleanPath(path);
  e.meta.type = FileType::Directory;
  e.meta.mode = mode;
  e.meta.uid = uid;
  e.meta.gid = gid;
  pending_.back().entries.push_back(e);
  return *this;
}

ImageBuilder& ImageBuilder::file(const std::string& path, uint32_t mode, const std::string& content,
                                 uint32_t uid, uint32_t gid, int64_t size) {
  if (pending_.empty()) layer();
  LayerRecord& rec = pending_.back();
  LayerEntry e;
  e.path = cleanPath(path);
  e.meta.type = FileType::Regular;
  e.meta.mode = mode;
  e.meta.uid = uid;
  e.meta.gid = gid;
  e.meta.size = size >= 0 ? size : static_cast<int64_t>(content.size());
  // Capture exactly as the layer scanner would.
  auto want = policy_.wants(e.path, e.meta.size);
  if (want != CapturePolicy::Want::Nothing && !content.empty()) {
    Captured c;
    std::string bytes = want == CapturePolicy::Want::Whole
                            ? content
                            : content.substr(0, std::min(content.size(), policy_.headBytes));
    bool keep = parseHead(bytes, c, nullptr);
    if (c.head == Captured::Head::Elf)
      if (auto layout = elfLayout(content, static_cast<uint64_t>(e.meta.size))) {
        ElfDynamicScan scan(std::move(*layout));
        scan.feed(content);
        scan.finish(c);
      }
    if (want == CapturePolicy::Want::Whole || looksLikePrivateKey(bytes)) {
      c.complete = bytes.size() == content.size();
      c.bytes = bytes;
      keep = true;
    }
    if (keep) {
      e.capture = static_cast<int32_t>(rec.captures.size());
      rec.captures.push_back(c);
    }
  }
  rec.entries.push_back(e);
  return *this;
}

ImageBuilder& ImageBuilder::symlink(const std::string& path, const std::string& target) {
  if (pending_.empty()) layer();
  LayerEntry e;
  e.path = cleanPath(path);
  e.meta.type = FileType::Symlink;
  e.meta.mode = 0777;
  e.meta.link = target;
  pending_.back().entries.push_back(e);
  return *this;
}

ImageBuilder& ImageBuilder::hardlink(const std::string& path, const std::string& target) {
  if (pending_.empty()) layer();
  LayerEntry e;
  e.op = LayerEntry::Op::Hardlink;
  e.path = cleanPath(path);
  e.meta.link = cleanPath(target);
  pending_.back().entries.push_back(e);
  return *this;
}

ImageBuilder& ImageBuilder::whiteout(const std::string& path) {
  if (pending_.empty()) layer();
  LayerEntry e;
  e.op = LayerEntry::Op::Whiteout;
  e.path = cleanPath(path);
  pending_.back().entries.push_back(e);
  return *this;
}

ImageBuilder& ImageBuilder::opaque(const std::string& dir) {
  if (pending_.empty()) layer();
  LayerEntry e;
  e.op = LayerEntry::Op::Opaque;
  e.path = cleanPath(dir);
  pending_.back().entries.push_back(e);
  return *this;
}

ImageBuilder& ImageBuilder::config(const std::function<void(ImageConfig&)>& edit) {
  edit(img_.config);
  return *this;
}

Image ImageBuilder::build() {
  for (size_t i = 0; i < pending_.size(); ++i) {
    LayerInfo li;
    li.index = static_cast<int>(i);
    li.digest = "sha256:" + std::string(63, '0') + std::to_string(i % 10);
    li.createdBy = img_.config.history[i].createdBy;
    for (const auto& e : pending_[i].entries) li.uncompressedSize += e.meta.size;
    img_.uncompressedSize += li.uncompressedSize;
    img_.layers.push_back(li);
    applyLayer(img_, pending_[i], static_cast<int>(i));
  }
  pending_.clear();
  return std::move(img_);
}

LintResult lintImage(const Image& img, const std::string& profile, const std::string& user) {
  LintOptions o;
  o.profile = profile;
  if (!user.empty()) o.user = parseUserOverride(user);
  return lint(img, ruleTable(), o);
}

std::vector<Finding> findingsOf(const LintResult& r, const std::string& rule) {
  std::vector<Finding> out;
  for (const auto& f : r.findings)
    if (f.rule == rule) out.push_back(f);
  return out;
}

ImageBuilder shellBase() {
  ImageBuilder b;
  b.layer("base").file("/bin/sh", 0755, "#!/bin/true\n").config([](ImageConfig& c) {
    c.user = "65534";
    c.cmd = {"/bin/sh"};
  });
  return b;
}

std::string pem(const std::string& label, const std::string& body) {
  return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
}

}  // namespace pd::testing
