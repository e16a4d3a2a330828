// What a shell entrypoint script hands over to: the program it finally execs ("exec "$@"" after
// the script's own rewriting of its arguments, as official images do), the PATH it set, and a
// user it switches to on the way (gosu, su-exec, setpriv, runuser, chroot --userspec, and
// `su USER -c 'COMMAND'` when COMMAND is plain words).
//
// The script is followed, not run: only statements whose effect is certain are understood.
// Anything that could change the outcome and cannot be followed for sure (an unknown condition
// around `set --`, a function, `case` on the arguments, `source`, a command that changes files)
// makes the outcome Unknown, and rules then say nothing: blaming the wrong program misleads as
// much as saying nothing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pd {

struct EntryScript {
  enum class Outcome { Execs, Exits, Unknown };
  Outcome outcome = Outcome::Unknown;
  std::vector<std::string> argv;  // Execs: the program and its arguments
  std::string path;               // the PATH in effect at the exec
  int line = 0;                   // Execs: the script line of the exec; Unknown: where it stopped
  std::string why;                // Unknown: what could not be followed
  std::string switchTool;         // "gosu", "su-exec", ... when the exec switches user
  std::string switchUser;         // the user (and group) named to it, as written
  int switchLine = 0;
};

struct ScriptStart {
  std::vector<std::string> args;  // "$@": the words after the script in ENTRYPOINT + CMD
  std::string path;               // PATH from the image config
  bool root = true;               // the script starts as uid 0 (for `[ "$(id -u)" = 0 ]`)
};

// `text` is the whole script.
EntryScript followEntryScript(std::string_view text, const ScriptStart& start);

}  // namespace pd
