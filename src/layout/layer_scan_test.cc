// The layer scanner on a tar built in memory: names that climb out of the root are cleaned into
// it and marked as escaped (PD502), for plain entries, hardlinks and whiteouts alike.
#include "layout/layer_scan.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <cstring>

#include "engine/engine.h"
#include "fs/applier.h"
#include "source/container.h"
#include "support/memory_container.h"

namespace pd {
namespace {

using pd::testing::MemoryContainer;

struct TarEntry {
  std::string name;
  mode_t type = AE_IFREG;
  std::string content{};
  std::string hardlink{}, symlink{};  // defaulted: entries name only what they use
};

std::string makeTar(const std::vector<TarEntry>& entries) {
  std::vector<char> buf(1 << 20);
  size_t used = 0;
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  EXPECT_EQ(archive_write_open_memory(a, buf.data(), buf.size(), &used), ARCHIVE_OK);
  for (const auto& t : entries) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, t.name.c_str());
    archive_entry_set_filetype(e, t.type);
    archive_entry_set_perm(e, t.type == AE_IFDIR ? 0755 : 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(t.content.size()));
    if (!t.hardlink.empty()) {
      archive_entry_set_hardlink(e, t.hardlink.c_str());
      archive_entry_set_size(e, 0);
    }
    if (!t.symlink.empty()) archive_entry_set_symlink(e, t.symlink.c_str());
    EXPECT_EQ(archive_write_header(a, e), ARCHIVE_OK) << t.name;
    if (!t.content.empty()) archive_write_data(a, t.content.data(), t.content.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return std::string(buf.data(), used);
}

LayerRecord scan(const std::string& tar) {
  MemoryContainer c(tar, 1 << 20, "memory.tar");
  BlobStream blob(c, "memory.tar", true, 0);
  return scanLayer(blob, rulesCapturePolicy(), 0);
}

const LayerEntry* entryFor(const LayerRecord& rec, const std::string& path) {
  for (const auto& e : rec.entries)
    if (e.path == path) return &e;
  return nullptr;
}

TEST(LayerScan, MarksEscapingNames) {
  std::string tar = makeTar({
      {"ok/file", AE_IFREG, "hi"},
      {"../../etc/evil", AE_IFREG, "evil"},
      {"/abs/file", AE_IFREG, "abs"},
      {"etc/shadow", AE_IFREG, "root:*:1::::::\n"},
      {"app/passwd", AE_IFREG, "", "../../etc/shadow"},       // hardlink climbing out
      {"app/link", AE_IFLNK, "", "", "../../../etc/passwd"},  // symlink targets are legal
      {"etc/.wh...", AE_IFREG, ""},  // whiteout of "..": the parent of /etc
      {".wh..", AE_IFREG, ""},       // whiteout of "." at the root
  });
  LayerRecord rec = scan(tar);
  ASSERT_EQ(rec.entries.size(), 8u);

  const LayerEntry* ok = entryFor(rec, "/ok/file");
  ASSERT_NE(ok, nullptr);
  EXPECT_FALSE(ok->escaped());

  const LayerEntry* evil = entryFor(rec, "/etc/evil");
  ASSERT_NE(evil, nullptr);
  EXPECT_TRUE(evil->escaped());
  EXPECT_EQ(rec.rawNameOf(*evil), "../../etc/evil");
  EXPECT_EQ(evil->op, LayerEntry::Op::Add);

  const LayerEntry* abs = entryFor(rec, "/abs/file");
  ASSERT_NE(abs, nullptr);
  EXPECT_TRUE(abs->escaped());
  EXPECT_EQ(rec.rawNameOf(*abs), "/abs/file");

  const LayerEntry* hl = entryFor(rec, "/app/passwd");
  ASSERT_NE(hl, nullptr);
  EXPECT_EQ(hl->op, LayerEntry::Op::Hardlink);
  EXPECT_TRUE(hl->escaped());
  EXPECT_EQ(hl->linkTarget(), "/etc/shadow");
  EXPECT_EQ(rec.rawNameOf(*hl), "app/passwd => ../../etc/shadow");

  const LayerEntry* sl = entryFor(rec, "/app/link");
  ASSERT_NE(sl, nullptr);
  EXPECT_FALSE(sl->escaped());
  EXPECT_EQ(sl->meta.link, "../../../etc/passwd");

  // Both whiteouts point outside what they may remove: escaped, and dropped (no path).
  int whiteouts = 0;
  for (const auto& e : rec.entries) {
    if (e.op != LayerEntry::Op::Whiteout) continue;
    ++whiteouts;
    EXPECT_TRUE(e.escaped()) << rec.rawNameOf(e);
    EXPECT_TRUE(e.path.empty()) << rec.rawNameOf(e);
  }
  EXPECT_EQ(whiteouts, 2);
  EXPECT_EQ(entryFor(rec, "/etc/.wh..."), nullptr);

  // Applied, the escapes reach the image for PD502, with the paths they were kept as.
  Image img;
  applyLayer(img, rec, 0);
  ASSERT_EQ(img.escapes.size(), 5u);
  std::vector<std::string> raw, kept;
  for (const auto& e : img.escapes) {
    EXPECT_EQ(e.layer, 0);
    raw.push_back(e.rawName);
    kept.push_back(e.keptAs);
  }
  EXPECT_EQ(raw,
            (std::vector<std::string>{"../../etc/evil", "/abs/file",
                                      "app/passwd => ../../etc/shadow", "etc/.wh...", ".wh.."}));
  EXPECT_EQ(kept, (std::vector<std::string>{"/etc/evil", "/abs/file", "/app/passwd", "", ""}));
  ASSERT_NE(img.tree.find("/etc/evil"), nullptr);  // clamped into the root, as runtimes do
  ASSERT_NE(img.tree.find("/etc"), nullptr);       // the escaped whiteouts removed nothing
}

TEST(LayerScan, CleanLayerHasNoEscapes) {
  LayerRecord rec = scan(makeTar({{"./usr/bin/tool", AE_IFREG, "x"}, {"usr/.wh.old", AE_IFREG}}));
  ASSERT_EQ(rec.entries.size(), 2u);
  for (const auto& e : rec.entries) EXPECT_FALSE(e.escaped()) << e.path;
  EXPECT_EQ(rec.entries[1].op, LayerEntry::Op::Whiteout);
  EXPECT_EQ(rec.entries[1].path, "/usr/old");
}

// Entries no runtime can extract are kept out of the tree and recorded for PD504; the rest of
// the layer is read as usual.
TEST(LayerScan, OverLongNamesAreRecordedNotApplied) {
  std::string longComponent(300, 'c');
  std::string deep;
  while (deep.size() <= 4200) deep += std::string(200, 'd') + "/";
  deep += "leaf";
  LayerRecord rec = scan(makeTar({
      {"app/" + longComponent},
      {deep},
      {"app/link", AE_IFLNK, "", "", std::string(4100, 't')},
      {"app/hard", AE_IFREG, "", deep},
      {"app/ok", AE_IFREG, "x"},
      {"app/" + std::string(255, 'n')},  // NAME_MAX itself is fine
  }));
  ASSERT_EQ(rec.entries.size(), 2u);
  EXPECT_EQ(rec.entries[0].path, "/app/ok");
  EXPECT_EQ(rec.unextractableCount, 4);
  ASSERT_EQ(rec.unextractable.size(), 4u);
  using W = Unextractable::Why;
  EXPECT_EQ(rec.unextractable[0].why, W::Component);
  EXPECT_EQ(rec.unextractable[0].bytes, 300);
  EXPECT_EQ(rec.unextractable[0].head.size(), Unextractable::kHeadBytes);
  EXPECT_EQ(rec.unextractable[1].why, W::Name);
  EXPECT_EQ(rec.unextractable[1].bytes, static_cast<int64_t>(deep.size()) + 1);
  EXPECT_EQ(rec.unextractable[2].why, W::SymlinkTarget);
  EXPECT_EQ(rec.unextractable[2].head, "app/link");
  EXPECT_EQ(rec.unextractable[3].why, W::HardlinkTarget);
}

TEST(LayerScan, UnextractableEntriesAreCountedButFewAreKept) {
  std::vector<TarEntry> many;
  for (int i = 0; i < 100; ++i) many.push_back({std::to_string(i) + "/" + std::string(256, 'x')});
  LayerRecord rec = scan(makeTar(many));
  EXPECT_EQ(rec.unextractableCount, 100);
  EXPECT_EQ(rec.unextractable.size(), LayerRecord::kMaxUnextractable);
  EXPECT_TRUE(rec.entries.empty());
}

}  // namespace
}  // namespace pd
