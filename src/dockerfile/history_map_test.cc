#include "dockerfile/history_map.h"

#include <gtest/gtest.h>

namespace pd {
namespace {

const char* kDockerfile = R"(FROM python:3.12-slim AS build
RUN pip wheel -w /wheels flask

FROM localhost/pd-base
ARG APP=/srv/app
ENV APP_HOME=$APP
COPY --from=build /wheels /wheels
RUN chmod 600 /srv/app/app.py
USER app
CMD ["python3", "/srv/app/app.py"]
)";

std::vector<HistoryEntry> base() {
  return {{"/bin/sh -c #(nop) COPY file:01b0 in /bin/busybox ", false},
          {"/bin/sh -c #(nop) CMD [\"/bin/sh\"]", true}};
}

TEST(HistoryKeyword, EachBuildersWording) {
  EXPECT_EQ(historyKeyword("/bin/sh -c #(nop) COPY file:972d in /var/task/ "), "COPY");
  EXPECT_EQ(historyKeyword("/bin/sh -c #(nop)  CMD [\"app.handler\"]"), "CMD");
  EXPECT_EQ(historyKeyword("/bin/sh -c chmod 600 /var/task/app.py"), "RUN");
  EXPECT_EQ(historyKeyword("|1 APP=/srv /bin/sh -c mkdir $APP"), "RUN");
  EXPECT_EQ(historyKeyword("/bin/sh -c [\"/bin/busybox\", \"--install\"]"), "RUN");
  EXPECT_EQ(historyKeyword("COPY app.py /var/task/ # buildkit"), "COPY");
  EXPECT_EQ(historyKeyword("RUN /bin/sh -c chmod 600 /x # buildkit"), "RUN");
  EXPECT_EQ(historyKeyword("ENV APP_HOME=/srv/app"), "ENV");
  EXPECT_EQ(historyKeyword("WORKDIR /app"), "WORKDIR");
  EXPECT_EQ(historyKeyword(""), "");
}

TEST(HistoryMap, BuildahAndClassicBuilderHistory) {
  Dockerfile df = parseDockerfile(kDockerfile, "Dockerfile");
  std::vector<HistoryEntry> h = base();
  // No entry for ARG, as buildah writes it.
  h.push_back({"/bin/sh -c #(nop) ENV APP_HOME=/srv/app", true});
  h.push_back({"/bin/sh -c #(nop) COPY dir:77aa in /wheels ", false});
  h.push_back({"|1 APP=/srv/app /bin/sh -c chmod 600 /srv/app/app.py", false});
  h.push_back({"/bin/sh -c #(nop) USER app", true});
  h.push_back({"/bin/sh -c #(nop) CMD [\"python3\", \"/srv/app/app.py\"]", true});
  SourceMap m = mapHistory(df, h);
  ASSERT_TRUE(m.matched) << m.why;
  EXPECT_EQ(m.finalStage, 1);
  ASSERT_EQ(m.byHistory.size(), 7u);
  EXPECT_EQ(m.byHistory[0], nullptr);
  EXPECT_EQ(m.byHistory[1], nullptr);
  EXPECT_EQ(m.byHistory[2]->line, 6);
  EXPECT_EQ(m.byHistory[4]->line, 8);
  EXPECT_EQ(m.byHistory[6]->line, 10);
  // Layers: busybox (base), /wheels, the chmod.
  ASSERT_EQ(m.byLayer.size(), 3u);
  EXPECT_EQ(m.byLayer[0], nullptr);
  EXPECT_TRUE(m.baseLayer[0]);
  EXPECT_EQ(m.byLayer[1]->line, 7);
  EXPECT_FALSE(m.baseLayer[1]);
  EXPECT_EQ(m.byLayer[2]->keyword, "RUN");
}

TEST(HistoryMap, BuildKitRecordsArg) {
  Dockerfile df = parseDockerfile(kDockerfile, "Dockerfile");
  std::vector<HistoryEntry> h = base();
  h.push_back({"ARG APP=/srv/app", true});
  h.push_back({"ENV APP_HOME=/srv/app", true});
  h.push_back({"COPY /wheels /wheels # buildkit", false});
  h.push_back({"RUN |1 APP=/srv/app /bin/sh -c chmod 600 /srv/app/app.py # buildkit", false});
  h.push_back({"USER app", true});
  h.push_back({"CMD [\"python3\" \"/srv/app/app.py\"]", true});
  SourceMap m = mapHistory(df, h);
  ASSERT_TRUE(m.matched) << m.why;
  EXPECT_EQ(m.byHistory[2]->keyword, "ARG");
  EXPECT_EQ(m.byHistory[1], nullptr);
}

TEST(HistoryMap, AStageBuiltOnAnEarlierStageIsTheDockerfilesOwn) {
  Dockerfile df = parseDockerfile(
      "FROM localhost/pd-base AS base\nCOPY settings.conf /app/\n\nFROM base\nUSER app\n", "D");
  std::vector<HistoryEntry> h = base();
  h.push_back({"/bin/sh -c #(nop) COPY file:cd in /app/ ", false});
  h.push_back({"/bin/sh -c #(nop) USER app", true});
  SourceMap m = mapHistory(df, h);
  ASSERT_TRUE(m.matched) << m.why;
  ASSERT_EQ(m.byLayer.size(), 2u);
  EXPECT_TRUE(m.baseLayer[0]);  // pd-base's busybox
  ASSERT_NE(m.byLayer[1], nullptr);
  EXPECT_EQ(m.byLayer[1]->line, 2);
  EXPECT_EQ(m.byLayer[1]->stage, 0);
  EXPECT_FALSE(m.baseLayer[1]);
}

TEST(HistoryMap, AnotherDockerfileMapsNothing) {
  Dockerfile df = parseDockerfile(kDockerfile, "Dockerfile");
  std::vector<HistoryEntry> h = base();
  h.push_back({"/bin/sh -c #(nop) COPY file:aa in /app ", false});
  h.push_back({"/bin/sh -c #(nop) CMD [\"/app/run\"]", true});
  SourceMap m = mapHistory(df, h);
  EXPECT_FALSE(m.matched);
  EXPECT_TRUE(m.byLayer.empty());
  EXPECT_EQ(m.why, "line 9 is USER, where the image's history has COPY");

  SourceMap shorter = mapHistory(df, {{"/bin/sh -c #(nop) CMD [\"x\"]", true}});
  EXPECT_FALSE(shorter.matched);
  EXPECT_EQ(shorter.why, "the image's history is shorter than the Dockerfile's final stage");
  EXPECT_EQ(mapHistory(df, {}).why, "the image has no history");
  EXPECT_EQ(mapHistory(parseDockerfile("# nothing\n", "D"), base()).why, "it has no FROM");
}

}  // namespace
}  // namespace pd
