#include "dockerfile/dockerfile.h"

#include <gtest/gtest.h>

#include <map>

#include "common/error.h"

namespace pd {
namespace {

using Words = std::vector<std::string>;

// A Python service shaped like real ones: directives, comments, continuations with comments
// inside, a build stage, JSON and shell forms, flags, a heredoc.
const char* kMultiStage = R"(# syntax=docker/dockerfile:1.7
# escape=\

# Build the wheels in a stage of their own.
ARG PYTHON=3.12
FROM python:${PYTHON}-slim AS Build
WORKDIR /src
COPY requirements.txt .
RUN pip wheel --wheel-dir /wheels \
      # pinned in requirements.txt
      -r requirements.txt

FROM python:${PYTHON}-slim
ENV APP_HOME=/srv/app
RUN --mount=type=cache,target=/root/.cache <<EOF
set -e
useradd --system app
EOF
COPY --from=build --chown=app:app /wheels /wheels
COPY --chmod=0644 app.py ${APP_HOME}/
USER app
cmd ["python3", "/srv/app/app.py"]
)";

TEST(Dockerfile, ParsesWhatRealDockerfilesUse) {
  Dockerfile df = parseDockerfile(kMultiStage, "Dockerfile");
  EXPECT_EQ(df.syntax, "docker/dockerfile:1.7");
  ASSERT_EQ(df.stages.size(), 2u);
  EXPECT_EQ(df.stages[0].name, "build");
  EXPECT_EQ(df.stages[0].base, "python:${PYTHON}-slim");
  EXPECT_EQ(df.stages[1].name, "");
  ASSERT_EQ(df.instructions.size(), 12u);

  const Instruction& arg = df.instructions[0];
  EXPECT_EQ(arg.keyword, "ARG");
  EXPECT_EQ(arg.stage, -1);
  EXPECT_EQ(arg.line, 5);

  const Instruction& wheel = df.instructions[4];
  EXPECT_EQ(wheel.keyword, "RUN");
  EXPECT_EQ(wheel.line, 9);
  EXPECT_EQ(wheel.endLine, 11);
  EXPECT_EQ(wheel.rest, "pip wheel --wheel-dir /wheels       -r requirements.txt");
  EXPECT_EQ(wheel.stage, 0);

  const Instruction& heredoc = df.instructions[7];
  EXPECT_EQ(heredoc.keyword, "RUN");
  EXPECT_EQ(heredoc.line, 15);
  EXPECT_EQ(heredoc.endLine, 18);
  EXPECT_EQ(heredoc.flags, Words{"--mount=type=cache,target=/root/.cache"});
  ASSERT_EQ(heredoc.heredocs.size(), 1u);
  EXPECT_EQ(heredoc.heredocs[0].name, "EOF");
  EXPECT_EQ(heredoc.heredocs[0].body, "set -e\nuseradd --system app\n");
  EXPECT_EQ(heredoc.text,
            "RUN --mount=type=cache,target=/root/.cache <<EOF\nset -e\n"
            "useradd --system app\nEOF");

  const Instruction& from = df.instructions[8];
  EXPECT_EQ(from.flag("from"), "build");
  EXPECT_EQ(from.flag("chown"), "app:app");
  EXPECT_EQ(from.flag("chmod"), std::nullopt);
  EXPECT_EQ(from.args, (Words{"/wheels", "/wheels"}));
  EXPECT_EQ(df.stage(*from.flag("from")), &df.stages[0]);

  const Instruction& cmd = df.instructions[11];
  EXPECT_EQ(cmd.keyword, "CMD");  // keywords are case-insensitive
  EXPECT_TRUE(cmd.json);
  EXPECT_EQ(cmd.args, (Words{"python3", "/srv/app/app.py"}));
  EXPECT_EQ(cmd.stage, 1);
  EXPECT_EQ(df.stage("1"), &df.stages[1]);
  EXPECT_EQ(df.stage("2"), nullptr);
}

TEST(Dockerfile, EscapeDirectiveAndWindowsStyleContinuations) {
  Dockerfile df =
      parseDockerfile("# escape=`\r\nFROM base\r\nCOPY a.txt `\r\n  C:\\app\\\r\n", "D");
  EXPECT_EQ(df.escape, '`');
  ASSERT_EQ(df.instructions.size(), 2u);
  EXPECT_EQ(df.instructions[1].args, (Words{"a.txt", "C:\\app\\"}));
  EXPECT_EQ(df.instructions[1].endLine, 4);
}

TEST(Dockerfile, DirectivesOnlyAtTheTop) {
  Dockerfile df = parseDockerfile("FROM base\n# escape=`\nRUN a \\\n b\n", "D");
  EXPECT_EQ(df.escape, '\\');
  ASSERT_EQ(df.instructions.size(), 2u);
  EXPECT_EQ(df.instructions[1].rest, "a  b");
}

TEST(Dockerfile, UnknownInstructionsAndOnbuildAreKept) {
  Dockerfile df = parseDockerfile(
      "FROM base\nFROBNICATE x y\nONBUILD COPY . /app\n"
      "HEALTHCHECK --interval=5s CMD [\"/bin/check\"]\n",
      "D");
  ASSERT_EQ(df.instructions.size(), 4u);
  EXPECT_EQ(df.instructions[1].keyword, "FROBNICATE");
  EXPECT_EQ(df.instructions[2].keyword, "ONBUILD");
  EXPECT_EQ(df.instructions[2].args, (Words{"COPY", ".", "/app"}));
  EXPECT_EQ(df.instructions[3].flag("interval"), "5s");
  EXPECT_EQ(df.instructions[3].rest, "CMD [\"/bin/check\"]");
}

TEST(Dockerfile, CopyHeredocAndStrippedTabs) {
  Dockerfile df = parseDockerfile(
      "FROM base\nCOPY <<-\"EOT\" /etc/app.conf\n\tlisten=80\n\tEOT\nUSER app\n", "D");
  ASSERT_EQ(df.instructions.size(), 3u);
  ASSERT_EQ(df.instructions[1].heredocs.size(), 1u);
  EXPECT_EQ(df.instructions[1].heredocs[0].body, "listen=80\n");
  EXPECT_EQ(df.instructions[1].endLine, 4);
  EXPECT_EQ(df.instructions[2].line, 5);
  // `<<` inside quotes, or with no word after it, is no heredoc.
  Dockerfile q = parseDockerfile("FROM b\nRUN echo '<<EOF' && cat <<< x\nUSER a\n", "D");
  EXPECT_TRUE(q.instructions[1].heredocs.empty());
  EXPECT_EQ(q.instructions.size(), 3u);
}

TEST(Dockerfile, EndsWithoutNewlineOrInsideAContinuation) {
  EXPECT_EQ(parseDockerfile("FROM a\nRUN x \\", "D").instructions.size(), 2u);
  EXPECT_EQ(parseDockerfile("", "D").instructions.size(), 0u);
  EXPECT_EQ(parseDockerfile("FROM a\nRUN <<EOF\nnever closed\n", "D").instructions[1].endLine, 3);
}

TEST(Dockerfile, BinaryInputIsAnInputError) {
  try {
    parseDockerfile(std::string("FROM a\0b", 8), "ci/Dockerfile");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "ci/Dockerfile: not a Dockerfile (binary data)");
  }
}

TEST(Substitute, TheFormsDockerfilesUse) {
  std::map<std::string, std::string> vars{{"ROOT", "/var/task"}, {"EMPTY", ""}};
  VarLookup look = [&](const std::string& n) -> std::optional<std::string> {
    auto it = vars.find(n);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  EXPECT_EQ(substitute("${ROOT}/", look), "/var/task/");
  EXPECT_EQ(substitute("$ROOT/app", look), "/var/task/app");
  EXPECT_EQ(substitute("${UNSET:-/opt}/x", look), "/opt/x");
  EXPECT_EQ(substitute("${EMPTY:-d}", look), "d");
  EXPECT_EQ(substitute("${EMPTY-d}", look), "");
  EXPECT_EQ(substitute("${ROOT:+set}", look), "set");
  EXPECT_EQ(substitute("${UNSET:+set}", look), "");
  EXPECT_EQ(substitute("\\$ROOT", look), "$ROOT");
  EXPECT_EQ(substitute("`$ROOT", look, '`'), "$ROOT");
  EXPECT_EQ(substitute("$UNSET", look), "");
  EXPECT_EQ(substitute("price$", look), "price$");
  EXPECT_EQ(substitute("${ROOT#/var}", look), std::nullopt);
  EXPECT_EQ(substitute("${ROOT", look), std::nullopt);
}

}  // namespace
}  // namespace pd
