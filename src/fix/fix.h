// `permdoctor fix`: edits to the Dockerfile that fix findings where they were caused.
//
// Each fixer is one function and one row in the table in fix.cc: it receives a finding whose
// source instruction is known (dockerfile/attribution.h) and rewrites instructions of the
// Dockerfile through Edits, or says why it cannot. Fixers only ever change what the finding's
// source line did (a COPY's --chmod, the mode a RUN chmod set, the USER, an ENV key), so that
// the patched Dockerfile builds the same image but for that.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dockerfile/dockerfile.h"
#include "dockerfile/history_map.h"
#include "engine/finding.h"
#include "fs/image.h"

namespace pd {

// The instructions as they become: each starts as written; a fixer replaces one's text, drops
// it, or adds lines at the end of the final stage.
class Edits {
 public:
  explicit Edits(const Dockerfile& df);
  const std::string& text(size_t instruction) const { return texts_[instruction]; }
  void replace(size_t instruction, std::string text) { texts_[instruction] = std::move(text); }
  void drop(size_t instruction) { texts_[instruction].clear(); }
  bool dropped(size_t instruction) const { return texts_[instruction].empty(); }
  // Lines added after the final stage's last instruction, before anything that follows it.
  void append(std::string line) { appended_.push_back(std::move(line)); }
  const std::vector<std::string>& appended() const { return appended_; }

  // The Dockerfile's text with the edits applied: changed instructions in place of their lines,
  // everything else (comments, blank lines, other stages) byte for byte.
  std::string apply(std::string_view original) const;

 private:
  const Dockerfile& df_;
  std::vector<std::string> texts_;
  std::vector<std::string> appended_;
};

struct FixOutcome {
  std::string rule;
  std::string where;  // the finding's path, or "(image)"
  bool fixed = false;
  std::string what;  // fixed: what changed ("line 5: --chmod=0600 -> 0644"); else why not
};

struct FixResult {
  std::string text;  // the patched Dockerfile ("" when nothing changed)
  std::vector<FixOutcome> outcomes;
};

// The rules `fix` has a fixer for, in catalog order.
std::vector<std::string_view> fixableRules();

// Fixes what it can of `findings` (unsuppressed ones, of the rules fixableRules() names) in `df`,
// whose map onto `img` must have matched. `original` is the Dockerfile's text.
FixResult fixFindings(std::string_view original, const Dockerfile& df, const SourceMap& map,
                      const Image& img, const std::vector<Finding>& findings);

}  // namespace pd
