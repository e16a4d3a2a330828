// Which Dockerfile instruction made each history entry, and so each layer, of an image.
//
// Every builder writes one history entry per instruction of the final stage after its FROM
// (metadata instructions as empty layers), after the base image's own entries, but each words
// `created_by` its own way: buildah and Docker's classic builder `/bin/sh -c #(nop) COPY file:…
// in /app`, a RUN as its bare shell command (`|1 A=b /bin/sh -c …` with build args); BuildKit
// and kaniko the instruction itself (`COPY app.py /app/ # buildkit`, `RUN /bin/sh -c …`). The
// map aligns the final stage's instructions with the last entries by keyword, from the end (then
// those of the stage it starts FROM, when that is an earlier stage); ARG may have an entry or
// not. Any other disagreement means the Dockerfile is not the one the image was built from, and
// nothing is mapped: never a wrong line.
#pragma once

#include <string>
#include <vector>

#include "dockerfile/dockerfile.h"
#include "fs/image.h"

namespace pd {

struct SourceMap {
  bool matched = false;
  std::string why;  // when not matched, the first disagreement, for the one-line note
  // Per history entry: the instruction that made it, or null for the base image's entries.
  std::vector<const Instruction*> byHistory;
  // Per layer (the non-empty history entries, in order): the same, and whether the layer is
  // the base image's (it precedes the final stage's first own entry).
  std::vector<const Instruction*> byLayer;
  std::vector<bool> baseLayer;
  int finalStage = -1;
};

// The keyword of the instruction a history entry's `created_by` records ("RUN", "COPY"...).
std::string historyKeyword(const std::string& createdBy);

// `df` must outlive the map (it points into df.instructions).
SourceMap mapHistory(const Dockerfile& df, const std::vector<HistoryEntry>& history);

}  // namespace pd
