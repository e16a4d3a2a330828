// A Dockerfile read the way BuildKit and buildah read one, for pointing findings at the line
// that caused them. Everything real Dockerfiles use is understood: parser directives (`syntax`,
// `escape`), comments, line continuations, JSON and shell forms, flags (`--chmod`, `--from`),
// heredocs (`RUN <<EOF`), multi-stage builds. Unknown instructions are kept, never fatal: the
// parser only fails on input that is no text (a NUL byte) or too large.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pd {

struct Heredoc {
  std::string name;  // the delimiter, quotes removed
  std::string body;  // the lines between, each ending in \n (tabs stripped for <<-)
};

struct Instruction {
  std::string keyword;  // upper-cased: "COPY"; for ONBUILD, "ONBUILD"
  int line = 0;         // 1-based, where the keyword stands
  int endLine = 0;      // the last line it spans (continuations and heredoc bodies included)
  std::string text;     // the source lines it spans, as written (no trailing newline)
  std::vector<std::string> flags;  // "--chmod=0644", "--from=build", as written
  bool json = false;               // exec form: `args` are the array's strings
  std::vector<std::string> args;   // exec form: the strings; shell form: whitespace-split words
  std::string rest;                // after the keyword and flags, continuations joined
  std::vector<Heredoc> heredocs;
  int stage = -1;  // index of the stage it belongs to (-1: before the first FROM)

  // The value of flag `name` ("chmod" for --chmod=0644), if given.
  std::optional<std::string> flag(std::string_view name) const;
};

struct Stage {
  int index = 0;
  std::string name;  // `AS name`, lower-cased as BuildKit compares it; "" when none
  std::string base;  // the image or stage it starts FROM, as written
  size_t from = 0;   // index of its FROM in Dockerfile::instructions
  size_t end = 0;    // one past its last instruction
};

struct Dockerfile {
  std::string path;  // as given, for messages and reports
  char escape = '\\';
  std::string syntax;  // the `# syntax=` directive, if any
  std::vector<Instruction> instructions;
  std::vector<Stage> stages;

  // The stage a name or index (`--from=build`, `--from=0`) refers to, if any.
  const Stage* stage(std::string_view nameOrIndex) const;
};

// Throws InputError (common/error.h) naming `path` for binary input or a file over 4 MiB.
Dockerfile parseDockerfile(std::string_view text, std::string path);

// Variable substitution as in ENV, ARG, COPY, WORKDIR...: $NAME, ${NAME}, ${NAME:-word},
// ${NAME-word}, ${NAME:+word}, ${NAME+word}; the escape character makes `$` literal. `lookup`
// answers a variable's value, or nothing when it is not set. Nothing when the word uses a form
// this does not know (the caller then does not guess).
using VarLookup = std::function<std::optional<std::string>(const std::string&)>;
std::optional<std::string> substitute(std::string_view word, const VarLookup& lookup,
                                      char escape = '\\');

}  // namespace pd
