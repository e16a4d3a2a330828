// Secret material in a file, as PD303 (final tree) and PD304 (deleted by a whiteout) see it.
// One classifier for both, so that a file is a secret or not whichever layer holds it.
#pragma once

#include <optional>
#include <string>

#include "fs/capture.h"
#include "fs/node.h"

namespace pd {

struct Secret {
  std::string kind;    // "private key", "SSH private key file", "npm token", ...
  std::string detail;  // something safe to print: the PEM label, the key's name, the registry
  int line = 0;        // 1-based line where it sits; 0 when the whole file is the secret
};

// What secret `path` (metadata `m`, captured content `c` or null) holds, if any. Never returns
// the secret itself.
std::optional<Secret> classifySecret(const std::string& path, const Meta& m, const Captured* c);

// A Dockerfile line that keeps this secret out of every layer.
std::string secretFix(const std::string& path, const Secret& s);

}  // namespace pd
