// The one access model: can identity I read / write / execute / traverse path P, with POSIX
// semantics and symlinks resolved inside the image root. Rules never do mode arithmetic.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/identity.h"
#include "fs/tree.h"

namespace pd {

enum Perm : int { kExec = 1, kWrite = 2, kRead = 4 };

struct Resolved {
  enum class Status { Ok, Missing, NotDirectory, Loop, TooManyLinks };
  Status status = Status::Ok;
  std::string path;                // the final path after following links (for Ok)
  const Node* node = nullptr;      // the final node (for Ok)
  std::string failedAt;            // the path where resolution stopped (Missing / NotDirectory)
  std::vector<std::string> links;  // symlinks followed, in order
  std::string blockedBy;           // first ancestor directory the identity cannot traverse
  bool ok() const { return status == Status::Ok; }
};

class Access {
 public:
  static constexpr int kMaxLinks = 40;  // the kernel's limit (MAXSYMLINKS)

  Access(const Tree& tree, const Identity& id) : tree_(tree), id_(id) {}

  // Mode-bit check on one node. Root reads and writes anything, traverses any directory, and
  // executes a file when any x bit is set.
  bool allows(const Meta& m, int perm) const;
  // Which class of bits applies to this identity for `m`: "owner", "group", "other", "root".
  const char* bitsFor(const Meta& m) const;
  // "o+x" style: the chmod class whose `perm` bit decides for this identity (u, g, o; a for root).
  std::string chmodFor(const Meta& m, char perm) const;

  // What a program needs of a node on its way: a directory it passes needs x, a file it opens
  // needs r. Other types are not judged (true).
  bool canOpen(const Meta& m) const;
  // canOpen, where a directory is listed as well (r and x): an import path, a task root.
  bool canList(const Meta& m) const;
  // execve: x, and r as well for a script, which its interpreter opens.
  bool canRun(const Meta& m, bool script) const;

  // Resolves `path` (absolute), following symlinks in every component (and the last one too
  // when `followLast`), recording the first directory the identity cannot traverse.
  Resolved resolve(const std::string& path, bool followLast = true) const;

  // Resolves and checks `perm` on the final node; fills `why` with a reason when denied.
  bool can(const std::string& path, int perm, std::string* why = nullptr) const;

  const Identity& identity() const { return id_; }
  const Tree& tree() const { return tree_; }

 private:
  const Tree& tree_;
  const Identity& id_;
};

// The chmod class letter of a bitsFor() answer: u, g, o, and a for root.
char chmodClass(std::string_view bits);

}  // namespace pd
