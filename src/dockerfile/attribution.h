// Points each finding at the Dockerfile instruction that caused it: the one that made the
// finding's layer, or, for a finding from the config, the USER / ENTRYPOINT / CMD / ENV that
// set the value. A finding from a layer the base image brought is marked origin "base".
#pragma once

#include <string>
#include <vector>

#include "dockerfile/dockerfile.h"
#include "dockerfile/history_map.h"
#include "engine/finding.h"
#include "fs/image.h"

namespace pd {

// What the report says about the Dockerfile it was given or found.
struct DockerfileUse {
  std::string path;    // "" when linted without one
  bool found = false;  // taken from the current directory, not named by --dockerfile
  bool matched = false;
  std::string why;  // when not matched: why its lines are not the image's
};

// Maps `df` onto the image's history; also refuses a history whose non-empty entries are not
// one per layer (then no layer can be told from another).
SourceMap matchDockerfile(const Dockerfile& df, const Image& img);

// Where `ins` is, as reports give it.
SourceLocation locationOf(const Dockerfile& df, const Instruction& ins);

// Sets `source` and `origin` on the findings from `map` (which must have matched). A finding about
// a mode (RuleEntry::aboutMode) points at the layer that set the mode, not a later one that only
// rewrote the file unchanged.
void attributeFindings(std::vector<Finding>& findings, const Dockerfile& df, const SourceMap& map,
                       const Image& img);

// Without a Dockerfile that matched: a finding from a layer whose diff_id `base` has is the base
// image's (origin "base"), one from any other layer the image's own ("image"). Findings that
// already have an origin keep it.
void attributeToBase(std::vector<Finding>& findings, const Image& img, const Image& base);

}  // namespace pd
