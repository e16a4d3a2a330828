// A finding: what a rule reports through Context::diag().
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/evidence.h"

namespace pd {

enum class Severity { Info = 0, Warning = 1, Error = 2 };
const char* severityName(Severity s);
// Parses "info" / "warning" / "error"; false when not one of them.
bool parseSeverity(const std::string& s, Severity& out);

// The Dockerfile instruction a finding comes from (dockerfile/attribution.h).
struct SourceLocation {
  std::string file;         // the Dockerfile as given (--dockerfile, or "Dockerfile")
  int line = 0;             // 1-based
  int endLine = 0;          // its last line (continuations, heredocs)
  std::string instruction;  // as written, all its lines
  std::string stage;        // the stage's name, or its index when it has none
  std::string fromStage;    // COPY --from=NAME: the stage (or image) the files came from
};

struct Finding {
  // Filled by the engine from the rule table; a rule leaves them alone.
  std::string rule;
  Severity severity = Severity::Info;
  std::string title;
  std::string message;
  // Where the finding points: set through at() or over(), so that `paths` is empty exactly when
  // `path` is (the engine checks it; reporters read both).
  std::optional<std::string> path;  // image path, or none for image-wide findings
  std::vector<std::string> paths;   // every path with this cause; [path] if single
  int layer = -1;  // layer that last wrote `path`; the engine fills it from the tree when -1
  Evidence evidence;
  std::string fix;
  // Set when the image is linted with its Dockerfile (or --base): the instruction that made
  // the layer or set the config value, and whether that is the base image's ("base") or the
  // Dockerfile's own ("image"); "" when unknown.
  std::optional<SourceLocation> source;
  std::string origin;
  bool suppressed = false;
  std::string suppressedBy;  // "--ignore" or the config entry's reason

  // One path.
  void at(std::string p) {
    paths = {p};
    path = std::move(p);
  }
  // A group: `top` is where it points (one of `all`, or their common directory), `all` every
  // path with this cause. An empty `all` means just `top`.
  void over(std::string top, std::vector<std::string> all) {
    paths = all.empty() ? std::vector<std::string>{top} : std::move(all);
    path = std::move(top);
  }
};

}  // namespace pd
