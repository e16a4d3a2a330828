#include "fs/applier.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "support/image_builder.h"

namespace pd {
namespace {
using testing::ImageBuilder;

TEST(Applier, WhiteoutRemovesLowerFileAndRecordsIt) {
  Image img = ImageBuilder()
                  .layer("ADD a")
                  .file("/a/secret", 0600, "xxxx")
                  .file("/a/keep", 0644, "k")
                  .layer("RUN rm /a/secret")
                  .whiteout("/a/secret")
                  .build();
  EXPECT_EQ(img.tree.find("/a/secret"), nullptr);
  ASSERT_NE(img.tree.find("/a/keep"), nullptr);
  ASSERT_EQ(img.removed.size(), 1u);
  EXPECT_EQ(img.removed[0].path, "/a/secret");
  EXPECT_TRUE(img.removed[0].deleted);
  EXPECT_EQ(img.removed[0].layer, 0);
  EXPECT_EQ(img.removed[0].byLayer, 1);
  EXPECT_EQ(img.removed[0].storedSize, 4);
}

TEST(Applier, DirectoryWhiteoutThenRecreation) {
  Image img = ImageBuilder()
                  .layer()
                  .file("/a/foo")
                  .layer()
                  .file("/b/bar")
                  .layer()
                  .whiteout("/a")
                  .layer()
                  .dir("/a")
                  .file("/a/baz")
                  .build();
  EXPECT_EQ(img.tree.find("/a/foo"), nullptr);
  ASSERT_NE(img.tree.find("/a/baz"), nullptr);
  EXPECT_EQ(img.tree.find("/a")->layer, 3);
  ASSERT_NE(img.tree.find("/b/bar"), nullptr);
}

TEST(Applier, OpaqueDirectoryHidesOnlyLowerLayers) {
  Image img = ImageBuilder()
                  .layer()
                  .file("/d/old")
                  .layer()
                  .file("/d/new")  // the same layer's entry survives, whatever the order
                  .opaque("/d")
                  .build();
  EXPECT_EQ(img.tree.find("/d/old"), nullptr);
  EXPECT_NE(img.tree.find("/d/new"), nullptr);
}

TEST(Applier, HardlinkToLowerLayerSharesInode) {
  Image img = ImageBuilder()
                  .layer()
                  .file("/bin/busybox", 04755, "", 0, 0, 100)
                  .layer()
                  .hardlink("/bin/sh", "/bin/busybox")
                  .build();
  const Node* n = img.tree.find("/bin/sh");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->mode, 04755u);
  EXPECT_EQ(n->size, 100);
  EXPECT_EQ(n->storedSize, 0);
  EXPECT_EQ(n->layer, 1);
}

TEST(Applier, HardlinkToMissingPathIsAnInputError) {
  ImageBuilder b;
  b.layer().hardlink("/x", "/nowhere");
  EXPECT_THROW(b.build(), InputError);
}

TEST(Applier, ReplacementRecordsOverwrite) {
  Image img = ImageBuilder()
                  .layer()
                  .file("/app/big", 0644, "", 0, 0, 1000)
                  .layer("RUN chmod -R 0755 /app")
                  .file("/app/big", 0755, "", 0, 0, 1000)
                  .build();
  ASSERT_EQ(img.removed.size(), 1u);
  EXPECT_FALSE(img.removed[0].deleted);
  ASSERT_TRUE(img.removed[0].replacement.has_value());
  EXPECT_EQ(img.removed[0].replacement->mode, 0755u);
}

TEST(Applier, FileReplacingDirectoryDropsItsChildren) {
  Image img = ImageBuilder().layer().file("/x/y/z").layer().file("/x").build();
  EXPECT_EQ(img.tree.find("/x/y/z"), nullptr);
  EXPECT_EQ(img.tree.find("/x/y"), nullptr);
  EXPECT_EQ(img.tree.find("/x")->type, FileType::Regular);
}

TEST(Applier, MissingParentsAppearAsRootDirectories) {
  Image img = ImageBuilder().layer().file("/deep/er/file").build();
  const Node* d = img.tree.find("/deep/er");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->type, FileType::Directory);
  EXPECT_EQ(d->mode, 0755u);
  EXPECT_TRUE(d->implicit);
}

}  // namespace
}  // namespace pd
