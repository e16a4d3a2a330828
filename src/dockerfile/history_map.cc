#include "dockerfile/history_map.h"

#include <array>
#include <cctype>

namespace pd {
namespace {

constexpr std::array<std::string_view, 18> kKeywords = {
    "ADD",    "ARG",   "CMD",         "COPY",  "ENTRYPOINT", "ENV",
    "EXPOSE", "FROM",  "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD",
    "RUN",    "SHELL", "STOPSIGNAL",  "USER",  "VOLUME",     "WORKDIR"};

bool isKeyword(std::string_view w) {
  for (auto k : kKeywords)
    if (k == w) return true;
  return false;
}

std::string firstWord(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  size_t j = i;
  while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j]))) ++j;
  return std::string(s.substr(i, j - i));
}

}  // namespace

std::string historyKeyword(const std::string& createdBy) {
  size_t nop = createdBy.find("#(nop)");
  if (nop != std::string::npos) return firstWord(std::string_view(createdBy).substr(nop + 6));
  std::string w = firstWord(createdBy);
  if (isKeyword(w)) return w;     // BuildKit, kaniko
  return w.empty() ? "" : "RUN";  // a shell command: buildah's and the classic builder's RUN
}

SourceMap mapHistory(const Dockerfile& df, const std::vector<HistoryEntry>& history) {
  SourceMap m;
  if (df.stages.empty()) {
    m.why = "it has no FROM";
    return m;
  }
  if (history.empty()) {
    m.why = "the image has no history";
    return m;
  }
  const Stage& last = df.stages.back();
  m.finalStage = last.index;
  m.byHistory.assign(history.size(), nullptr);
  long h = static_cast<long>(history.size()) - 1;
  // The final stage, then the stage it starts FROM when that is an earlier stage of this
  // Dockerfile (FROM base), and so on: all of them are the Dockerfile's own layers.
  for (const Stage* st = &last; st;) {
    for (size_t k = st->end; k-- > st->from + 1;) {
      const Instruction& ins = df.instructions[k];
      std::string kw = h >= 0 ? historyKeyword(history[static_cast<size_t>(h)].createdBy) : "";
      if (kw == ins.keyword) {
        m.byHistory[static_cast<size_t>(h--)] = &ins;
        continue;
      }
      if (ins.keyword == "ARG") continue;  // not every builder records an ARG
      m.byHistory.clear();
      m.why = h < 0 ? "the image's history is shorter than the Dockerfile's final stage"
                    : "line " + std::to_string(ins.line) + " is " + ins.keyword +
                          ", where the image's history has " + (kw.empty() ? "nothing" : kw);
      return m;
    }
    const Stage* parent = df.stage(st->base);
    st = parent && parent->index < st->index ? parent : nullptr;
  }
  for (size_t e = 0; e < history.size(); ++e) {
    if (history[e].emptyLayer) continue;
    m.byLayer.push_back(m.byHistory[e]);
    m.baseLayer.push_back(static_cast<long>(e) <= h);
  }
  m.matched = true;
  return m;
}

}  // namespace pd
