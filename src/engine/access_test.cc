#include "engine/access.h"

#include <gtest/gtest.h>

#include "engine/accounts.h"
#include "engine/identity.h"
#include "support/image_builder.h"

namespace pd {
namespace {
using testing::ImageBuilder;

Identity user(uint32_t uid, uint32_t gid, std::vector<uint32_t> groups = {}) {
  Identity id;
  id.uid = uid;
  id.gid = gid;
  id.groups = std::move(groups);
  return id;
}

Meta file(uint32_t mode, uint32_t uid, uint32_t gid, FileType type = FileType::Regular) {
  Meta m;
  m.type = type;
  m.mode = mode;
  m.uid = uid;
  m.gid = gid;
  return m;
}

Identity identityOf(const Image& img, Profile p, const IdentityOverride& o = {}) {
  return resolveIdentity(img, readAccounts(img), p, o);
}

const char* kPasswd =
    "root:x:0:0:root:/root:/bin/sh\n"
    "app:x:10001:10001:app:/home/app:/bin/sh\n";

// --- mode bits -------------------------------------------------------------------------------

TEST(Access, OwnerBitsApplyToTheOwnerEvenWhenGroupOrOtherWouldAllow) {
  Tree t;
  Identity id = user(1000, 1000);
  Access a(t, id);
  // 0044 owned by the user: the owner class applies and has nothing.
  EXPECT_FALSE(a.allows(file(0044, 1000, 1000), kRead));
  EXPECT_STREQ(a.bitsFor(file(0044, 1000, 1000)), "owner");
  EXPECT_TRUE(a.allows(file(0400, 1000, 0), kRead));
  EXPECT_FALSE(a.allows(file(0400, 1000, 0), kWrite));
  EXPECT_FALSE(a.allows(file(0400, 1000, 0), kRead | kWrite));
  EXPECT_TRUE(a.allows(file(0600, 1000, 0), kRead | kWrite));
}

TEST(Access, GroupBitsApplyWhenTheGidMatchesAndNotOwner) {
  Tree t;
  Identity id = user(1000, 2000);
  Access a(t, id);
  EXPECT_TRUE(a.allows(file(0640, 0, 2000), kRead));
  EXPECT_STREQ(a.bitsFor(file(0640, 0, 2000)), "group");
  // 0604 with the gid matching: the group class (---) applies, not other (r--).
  EXPECT_FALSE(a.allows(file(0604, 0, 2000), kRead));
  // Not in the group: other bits.
  EXPECT_FALSE(a.allows(file(0640, 0, 3000), kRead));
  EXPECT_TRUE(a.allows(file(0604, 0, 3000), kRead));
  EXPECT_STREQ(a.bitsFor(file(0604, 0, 3000)), "other");
}

TEST(Access, SupplementaryGroupsCount) {
  Tree t;
  Identity id = user(1000, 1000, {2000, 27});
  Access a(t, id);
  EXPECT_TRUE(a.allows(file(0640, 0, 27), kRead));
  EXPECT_TRUE(a.allows(file(0750, 0, 2000, FileType::Directory), kExec));
  EXPECT_FALSE(a.allows(file(0750, 0, 2001, FileType::Directory), kExec));
}

TEST(Access, RootReadsEverythingButExecutesOnlyWithSomeXBit) {
  Tree t;
  Identity id = user(0, 0);
  Access a(t, id);
  EXPECT_TRUE(a.allows(file(0000, 1000, 1000), kRead));
  EXPECT_TRUE(a.allows(file(0000, 1000, 1000), kWrite));
  EXPECT_FALSE(a.allows(file(0644, 0, 0), kExec));
  EXPECT_FALSE(a.allows(file(0666, 1000, 1000), kExec));
  EXPECT_TRUE(a.allows(file(0001, 1000, 1000), kExec));  // any x bit, even other's
  EXPECT_TRUE(a.allows(file(0010, 1000, 1000), kExec));
  EXPECT_TRUE(a.allows(file(0000, 1000, 1000, FileType::Directory), kExec));  // traverse
  EXPECT_STREQ(a.bitsFor(file(0000, 1000, 1000)), "root");
}

// --- what a program needs: open, list, run ------------------------------------------------

TEST(Access, CanOpenNeedsXOnDirectoriesAndROnFiles) {
  Tree t;
  Identity id = user(1000, 1000);
  Access a(t, id);
  EXPECT_TRUE(a.canOpen(file(0711, 0, 0, FileType::Directory)));   // pass through, unlisted
  EXPECT_FALSE(a.canOpen(file(0754, 0, 0, FileType::Directory)));  // r without x
  EXPECT_TRUE(a.canOpen(file(0604, 0, 0)));
  EXPECT_FALSE(a.canOpen(file(0640, 0, 0)));
  EXPECT_TRUE(a.canOpen(file(0000, 0, 0, FileType::Symlink)));  // not judged
  EXPECT_FALSE(a.canList(file(0711, 0, 0, FileType::Directory)));
  EXPECT_TRUE(a.canList(file(0755, 0, 0, FileType::Directory)));
  EXPECT_FALSE(a.canList(file(0600, 0, 0)));
}

TEST(Access, CanRunNeedsReadOnlyForScripts) {
  Tree t;
  Identity id = user(1000, 1000);
  Access a(t, id);
  EXPECT_TRUE(a.canRun(file(0711, 0, 0), false));  // a binary: x is enough
  EXPECT_FALSE(a.canRun(file(0711, 0, 0), true));  // a script: the interpreter opens it
  EXPECT_TRUE(a.canRun(file(0755, 0, 0), true));
  EXPECT_FALSE(a.canRun(file(0644, 0, 0), false));
}

TEST(Access, ChmodForNamesTheClassThatDecides) {
  Tree t;
  Identity app = user(1000, 1000, {50});
  Access a(t, app);
  EXPECT_EQ(a.chmodFor(file(0600, 1000, 0), 'x'), "u+x");
  EXPECT_EQ(a.chmodFor(file(0600, 0, 50), 'r'), "g+r");
  EXPECT_EQ(a.chmodFor(file(0600, 0, 0), 'r'), "o+r");
  Identity root = user(0, 0);
  EXPECT_EQ(Access(t, root).chmodFor(file(0644, 0, 0), 'x'), "a+x");
  EXPECT_EQ(chmodClass("owner"), 'u');
  EXPECT_EQ(chmodClass("other"), 'o');
}

// --- identities ------------------------------------------------------------------------------

TEST(Access, SupplementaryGroupsFromEtcGroupMemberLists) {
  Image img = ImageBuilder()
                  .file("/etc/passwd", 0644, kPasswd)
                  .file("/etc/group", 0644,
                        "root:x:0:\napp:x:10001:\nappdata:x:2000:other,app\nnope:x:3000:\n")
                  .dir("/data", 0750, 0, 2000)
                  .dir("/nope", 0750, 0, 3000)
                  .config([](ImageConfig& c) { c.user = "app"; })
                  .build();
  Identity id = identityOf(img, Profile::Generic);
  EXPECT_EQ(id.uid, 10001u);
  EXPECT_EQ(id.gid, 10001u);
  EXPECT_EQ(id.groups, std::vector<uint32_t>{2000});
  Access a(img.tree, id);
  EXPECT_TRUE(a.allows(*img.tree.find("/data"), kExec));
  EXPECT_FALSE(a.allows(*img.tree.find("/nope"), kExec));

  // The numeric uid of a known user gets the same supplementary groups.
  img.config.user = "10001";
  EXPECT_EQ(identityOf(img, Profile::Generic).groups, std::vector<uint32_t>{2000});
  // An explicit group replaces them (runc's GetExecUser): only that group.
  img.config.user = "app:3000";
  Identity explicitGroup = identityOf(img, Profile::Generic);
  EXPECT_EQ(explicitGroup.gid, 3000u);
  EXPECT_TRUE(explicitGroup.groups.empty());
  // --user UID of a known user: its member-list groups too.
  IdentityOverride o;
  o.uid = 10001;
  EXPECT_EQ(identityOf(img, Profile::Kubernetes, o).groups, std::vector<uint32_t>{2000});
}

TEST(Access, LambdaIdentityOnlyGetsOtherBits) {
  Image img = ImageBuilder()
                  .file("/etc/passwd", 0644, kPasswd)
                  .dir("/var/task", 0750, 993, 990)
                  .file("/var/task/app.py", 0604, "x", 993, 990)
                  .config([](ImageConfig& c) { c.user = "app"; })
                  .build();
  Identity id = identityOf(img, Profile::Lambda);
  EXPECT_TRUE(id.otherOnly);
  EXPECT_FALSE(id.isRoot());
  Access a(img.tree, id);
  // Even a file whose uid/gid happen to equal the sandbox ids: only "other" counts.
  EXPECT_STREQ(a.bitsFor(*img.tree.find("/var/task")), "other");
  EXPECT_FALSE(a.allows(*img.tree.find("/var/task"), kExec));
  EXPECT_TRUE(a.allows(*img.tree.find("/var/task/app.py"), kRead));
  Resolved r = a.resolve("/var/task/app.py");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.blockedBy, "/var/task");
  EXPECT_FALSE(a.can("/var/task/app.py", kRead));
  // A root-owned 0644 file is readable through other.
  EXPECT_TRUE(a.allows(file(0644, 0, 0), kRead));
  EXPECT_FALSE(a.allows(file(0640, 0, 0), kRead));
}

TEST(Access, OpenShiftIdentityHasGroupZero) {
  Image img = ImageBuilder()
                  .file("/etc/passwd", 0644, kPasswd)
                  .file("/app/config.json", 0640, "{}", 0, 0)
                  .file("/app/other.json", 0640, "{}", 0, 10001)
                  .config([](ImageConfig& c) { c.user = "app"; })
                  .build();
  Identity id = identityOf(img, Profile::OpenShift);
  EXPECT_FALSE(id.isRoot());
  EXPECT_NE(id.uid, 0u);
  EXPECT_NE(id.uid, 10001u);  // USER is ignored: an arbitrary uid
  EXPECT_EQ(id.gid, 0u);
  Access a(img.tree, id);
  EXPECT_TRUE(a.can("/app/config.json", kRead));
  EXPECT_STREQ(a.bitsFor(*img.tree.find("/app/config.json")), "group");
  EXPECT_FALSE(a.can("/app/other.json", kRead));
  // The same image in the generic profile: app (10001) is neither owner nor group 0.
  Identity gen = identityOf(img, Profile::Generic);
  Access g(img.tree, gen);
  EXPECT_FALSE(g.can("/app/config.json", kRead));
  EXPECT_TRUE(g.can("/app/other.json", kRead));
}

// --- resolution ------------------------------------------------------------------------------

TEST(Access, UntraversableAncestorIsReportedAsBlockedBy) {
  Image img = ImageBuilder()
                  .dir("/srv", 0755)
                  .dir("/srv/locked", 0700)
                  .dir("/srv/locked/inner", 0755)
                  .file("/srv/locked/inner/app.py", 0644, "x")
                  .dir("/srv/readonly", 0711)  // x without r: traversable
                  .file("/srv/readonly/f", 0644, "x")
                  .build();
  Identity id = user(1000, 1000);
  Access a(img.tree, id);
  Resolved r = a.resolve("/srv/locked/inner/app.py");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.path, "/srv/locked/inner/app.py");
  EXPECT_EQ(r.blockedBy, "/srv/locked");  // the first one, not /srv/locked/inner
  std::string why;
  EXPECT_FALSE(a.can("/srv/locked/inner/app.py", kRead, &why));
  EXPECT_NE(why.find("/srv/locked"), std::string::npos) << why;
  // The final directory itself is not an ancestor.
  EXPECT_TRUE(a.resolve("/srv/locked").blockedBy.empty());
  EXPECT_TRUE(a.can("/srv/readonly/f", kRead));
  // Root traverses anything.
  Identity root = user(0, 0);
  EXPECT_TRUE(Access(img.tree, root).resolve("/srv/locked/inner/app.py").blockedBy.empty());
}

TEST(Access, BlockedByCountsDirectoriesOnTheLinkPath) {
  Image img = ImageBuilder()
                  .dir("/hidden", 0700)
                  .file("/hidden/bin/tool", 0755, "x")
                  .symlink("/usr/bin/tool", "/hidden/bin/tool")
                  .build();
  Identity id = user(1000, 1000);
  Access a(img.tree, id);
  Resolved r = a.resolve("/usr/bin/tool");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.path, "/hidden/bin/tool");
  EXPECT_EQ(r.blockedBy, "/hidden");
}

TEST(Access, RelativeAndAbsoluteSymlinkChains) {
  Image img = ImageBuilder()
                  .file("/opt/py/bin/python3.12", 0755, "x")
                  .symlink("/opt/py/bin/python3", "python3.12")        // relative, same dir
                  .symlink("/usr/bin/python3", "/opt/py/bin/python3")  // absolute
                  .symlink("/usr/bin/python", "python3")               // relative to /usr/bin
                  .symlink("/usr/local/bin/py", "../../bin/python")    // climbs with ..
                  .build();
  Identity id = user(1000, 1000);
  Access a(img.tree, id);
  Resolved r = a.resolve("/usr/local/bin/py");
  ASSERT_TRUE(r.ok()) << static_cast<int>(r.status);
  EXPECT_EQ(r.path, "/opt/py/bin/python3.12");
  EXPECT_EQ(r.links, (std::vector<std::string>{"/usr/local/bin/py", "/usr/bin/python",
                                               "/usr/bin/python3", "/opt/py/bin/python3"}));
  ASSERT_NE(r.node, nullptr);
  EXPECT_EQ(r.node->type, FileType::Regular);
  // Without following the last component the link itself is the answer.
  Resolved l = a.resolve("/usr/bin/python", false);
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l.path, "/usr/bin/python");
  EXPECT_EQ(l.node->type, FileType::Symlink);
}

TEST(Access, DirectorySymlinksInTheMiddleAndDotDotAfterThem) {
  Image img = ImageBuilder()
                  .file("/opt/app/releases/v2/bin/server", 0755, "x")
                  .file("/opt/app/releases/v2/config.yaml", 0644, "x")
                  .file("/opt/app/shared.txt", 0644, "x")
                  .symlink("/opt/app/current", "releases/v2")
                  .symlink("/srv/app", "/opt/app/current")
                  // ".." after a directory link climbs from the link's target, as the kernel does
                  .symlink("/srv/cfg", "app/bin/../config.yaml")
                  .symlink("/srv/shared", "app/../../shared.txt")
                  // ".." can never climb above the image root
                  .symlink("/srv/up", "../../../../opt/app/shared.txt")
                  .build();
  Identity id = user(1000, 1000);
  Access a(img.tree, id);
  Resolved r = a.resolve("/srv/app/bin/server");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.path, "/opt/app/releases/v2/bin/server");
  Resolved c = a.resolve("/srv/cfg");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c.path, "/opt/app/releases/v2/config.yaml");
  Resolved s = a.resolve("/srv/shared");
  ASSERT_TRUE(s.ok()) << static_cast<int>(s.status) << " " << s.failedAt;
  EXPECT_EQ(s.path, "/opt/app/shared.txt");  // /opt/app/releases/v2/../../shared.txt
  Resolved u = a.resolve("/srv/up");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u.path, "/opt/app/shared.txt");
  // ".." in the requested path itself
  EXPECT_EQ(a.resolve("/srv/app/bin/../config.yaml").path, "/opt/app/releases/v2/config.yaml");
}

TEST(Access, MissingAndDanglingLinks) {
  Image img = ImageBuilder()
                  .symlink("/usr/bin/gone", "/opt/nothing/here")
                  .symlink("/usr/bin/empty", "")
                  .build();
  Identity id = user(1000, 1000);
  Access a(img.tree, id);
  Resolved m = a.resolve("/usr/bin/absent");
  EXPECT_EQ(m.status, Resolved::Status::Missing);
  EXPECT_EQ(m.failedAt, "/usr/bin/absent");
  Resolved d = a.resolve("/usr/bin/gone");
  EXPECT_EQ(d.status, Resolved::Status::Missing);
  EXPECT_EQ(d.failedAt, "/opt");
  EXPECT_EQ(d.links, std::vector<std::string>{"/usr/bin/gone"});
  // An empty target is ENOENT for the kernel, not the directory holding the link.
  Resolved e = a.resolve("/usr/bin/empty");
  EXPECT_EQ(e.status, Resolved::Status::Missing);
  EXPECT_EQ(e.failedAt, "/usr/bin/empty");
}

TEST(Access, LinkThroughANonDirectoryIsNotDirectory) {
  Image img = ImageBuilder()
                  .file("/etc/app.conf", 0644, "x")
                  .symlink("/app/conf", "/etc/app.conf/sub")
                  .build();
  Identity id = user(1000, 1000);
  Access a(img.tree, id);
  Resolved r = a.resolve("/app/conf");
  EXPECT_EQ(r.status, Resolved::Status::NotDirectory);
  EXPECT_EQ(r.failedAt, "/etc/app.conf");
  Resolved direct = a.resolve("/etc/app.conf/x");
  EXPECT_EQ(direct.status, Resolved::Status::NotDirectory);
  EXPECT_EQ(a.resolve("/etc/app.conf/.").status, Resolved::Status::NotDirectory);
  EXPECT_EQ(a.resolve("/etc/app.conf/..").status, Resolved::Status::NotDirectory);
}

TEST(Access, SymlinkLoopIsLoopNotAHang) {
  Image img = ImageBuilder()
                  .symlink("/opt/py/bin/python", "python3")
                  .symlink("/opt/py/bin/python3", "python")
                  .symlink("/self", "/self")
                  .symlink("/dot", "./dot")
                  .symlink("/x/a", "/x/b/c")  // a directory-component loop
                  .symlink("/x/b", "/x/a")
                  .build();
  Identity id = user(1000, 1000);
  Access a(img.tree, id);
  Resolved r = a.resolve("/opt/py/bin/python");
  EXPECT_EQ(r.status, Resolved::Status::Loop);
  EXPECT_EQ(r.failedAt, "/opt/py/bin/python");
  EXPECT_EQ(r.links, (std::vector<std::string>{"/opt/py/bin/python", "/opt/py/bin/python3"}));
  EXPECT_EQ(a.resolve("/self").status, Resolved::Status::Loop);
  EXPECT_EQ(a.resolve("/dot").status, Resolved::Status::Loop);
  // A path through the loop, not ending in it
  EXPECT_EQ(a.resolve("/opt/py/bin/python/lib").status, Resolved::Status::Loop);
  // Growing loops never repeat a state: the 40-link limit ends them.
  Resolved g = a.resolve("/x/a");
  EXPECT_TRUE(g.status == Resolved::Status::Loop || g.status == Resolved::Status::TooManyLinks);
  EXPECT_LE(g.links.size(), static_cast<size_t>(Access::kMaxLinks));
  // Without following the last component a looping link is just a link.
  EXPECT_TRUE(a.resolve("/self", false).ok());
}

TEST(Access, SameLinkTwiceIsNotALoopWhenTheRestDiffers) {
  // /a -> /d and /d/p -> /a/z: resolving /a/p/q meets /a twice with two components left each
  // time (first "p q", then "z q"), yet resolves: /a/p/q = /d/p/q = /a/z/q = /d/z/q.
  Image img =
      ImageBuilder().file("/d/z/q", 0644, "x").symlink("/a", "/d").symlink("/d/p", "/a/z").build();
  Identity id = user(1000, 1000);
  Access a(img.tree, id);
  Resolved r = a.resolve("/a/p/q");
  ASSERT_TRUE(r.ok()) << static_cast<int>(r.status) << " at " << r.failedAt;
  EXPECT_EQ(r.path, "/d/z/q");
  EXPECT_EQ(r.links, (std::vector<std::string>{"/a", "/d/p", "/a"}));
}

Image chain(int links) {
  ImageBuilder b;
  b.file("/chain/target", 0755, "x");
  for (int i = 1; i < links; ++i)
    b.symlink("/chain/" + std::to_string(i), "/chain/" + std::to_string(i + 1));
  b.symlink("/chain/" + std::to_string(links), "target");
  return b.build();
}

TEST(Access, FortyLinksResolveFortyOneAreTooMany) {
  Image forty = chain(40);
  Identity id = user(1000, 1000);
  Resolved ok = Access(forty.tree, id).resolve("/chain/1");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.path, "/chain/target");
  EXPECT_EQ(ok.links.size(), 40u);

  Image fortyOne = chain(41);
  Access a(fortyOne.tree, id);
  Resolved r = a.resolve("/chain/1");
  EXPECT_EQ(r.status, Resolved::Status::TooManyLinks);
  EXPECT_EQ(r.failedAt, "/chain/41");
  EXPECT_EQ(r.links.size(), 40u);
  EXPECT_TRUE(a.resolve("/chain/2").ok());  // 40 from there
}

TEST(Access, ThousandLinkChainStaysFast) {
  Image img = chain(1000);
  Identity id = user(1000, 1000);
  Access a(img.tree, id);
  int tooMany = 0;
  for (int i = 1; i <= 1000; ++i) {
    Resolved r = a.resolve("/chain/" + std::to_string(i));
    if (r.status == Resolved::Status::TooManyLinks) ++tooMany;
    ASSERT_LE(r.links.size(), static_cast<size_t>(Access::kMaxLinks));
  }
  // (Speed is the benchmark's business; a resolution that looped would hit ctest's timeout.)
  EXPECT_EQ(tooMany, 960);  // /chain/961 .. /chain/1000 are 40 links or fewer from the target
}

}  // namespace
}  // namespace pd
