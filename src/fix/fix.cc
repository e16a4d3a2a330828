#include "fix/fix.h"

#include <fnmatch.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "common/text.h"
#include "fs/node.h"
#include "fs/path.h"

namespace pd {
namespace {

// What a fixer sees: the finding, its source instruction, and the image it was found in.
struct FixContext {
  const Dockerfile& df;
  const SourceMap& map;
  const Image& img;
  const Finding& f;
  size_t index;  // the source instruction
  const Instruction& ins;
  int layer;  // the layer it made (-1: none, a config instruction)
  Edits& edits;
};

// A fixer returns what it changed, or throws Unfixable with the reason.
struct Unfixable {
  std::string why;
};
using Fixer = std::string (*)(FixContext&);

std::string lineRef(const Instruction& ins) {
  return "line " + std::to_string(ins.line);
}

// Where an edit continues an instruction on a new line: the Dockerfile's escape character
// (`# escape=` may make it a backtick), a newline and an indent.
std::string continuation(const Dockerfile& df) {
  return std::string(" ") + df.escape + "\n    ";
}

bool isOctal(std::string_view m) {
  return m.size() >= 3 && m.size() <= 4 &&
         std::all_of(m.begin(), m.end(), [](char c) { return c >= '0' && c <= '7'; });
}

// What a COPY/ADD wrote (its layer's paths at or below its destination; the parents a builder
// adds on the way are not the COPY's and get no --chmod): directories, executables.
struct LayerKinds {
  bool dirs = false, executables = false;
};
LayerKinds copiedKinds(const FixContext& c) {
  std::string dest = c.ins.args.empty() ? "" : c.ins.args.back();
  // The destination's variables: the image's Env (LAMBDA_TASK_ROOT from the base), then the
  // stage's ARG defaults.
  VarLookup look = [&](const std::string& name) -> std::optional<std::string> {
    if (auto v = c.img.env(name)) return v;
    for (const auto& ins : c.df.instructions)
      if (ins.stage == c.ins.stage && ins.keyword == "ARG" && !ins.args.empty() &&
          ins.args[0].rfind(name + "=", 0) == 0)
        return ins.args[0].substr(name.size() + 1);
    return std::nullopt;
  };
  std::optional<std::string> d = substitute(dest, look, c.df.escape);
  std::string root;
  if (d && !d->empty()) {
    root = (*d)[0] == '/' ? cleanPath(*d) : cleanPath(c.img.config.workingDir + "/" + *d);
  } else {
    root = c.f.path ? parentOf(*c.f.path) : "/";  // unknown: what lies beside the finding
  }
  LayerKinds k;
  for (const auto& [path, n] : c.img.tree.nodes()) {
    if (n.layer != c.layer || !isUnder(path, root)) continue;
    // `COPY lib /var/task/lib` copies the directory itself; `COPY app.py /var/task/` only into
    // it.
    bool into = path == root && (!d || d->empty() || d->back() == '/');
    if (n.type == FileType::Directory && !into) k.dirs = true;
    if (n.type == FileType::Regular && (n.mode & 0111)) k.executables = true;
  }
  return k;
}

// The bits a mode fixer adds: read for everyone, and x where something must be run or entered.
unsigned neededBits(const FixContext& c, bool exec) {
  unsigned add = 0444;
  for (const auto& p : c.f.paths)
    if (const Node* n = c.img.tree.find(p); n && n->type == FileType::Directory) add |= 0111;
  if (exec) add |= 0111;
  return add;
}

// "COPY app.py /x" -> "COPY --chmod=0644 app.py /x" for flag "chmod"; an existing --chmod=...
// gets `value`.
std::string withFlag(const std::string& text, const std::string& flag, const std::string& value) {
  std::string key = "--" + flag + "=";
  size_t at = text.find(key);
  if (at != std::string::npos &&
      (at == 0 || std::isspace(static_cast<unsigned char>(text[at - 1])))) {
    size_t end = at + key.size();
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    return text.substr(0, at) + key + value + text.substr(end);
  }
  size_t kw = text.find_first_not_of(" \t");
  size_t end = kw == std::string::npos ? std::string::npos : text.find_first_of(" \t", kw);
  if (end == std::string::npos) throw Unfixable{"an instruction with nothing to copy"};
  return text.substr(0, end) + " " + key + value + text.substr(end);
}
std::string withChmod(const std::string& text, const std::string& mode) {
  return withFlag(text, "chmod", mode);
}

// A RUN's words, where they start (std::regex recurses per character and backtracks: a long
// RUN would overflow the stack, so shell text is read word by word).
struct ShellWord {
  size_t at;
  std::string text;
};
std::vector<ShellWord> shellWords(const std::string& s) {
  std::vector<ShellWord> out;
  for (size_t i = 0; i < s.size();) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    size_t j = i;
    while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j]))) ++j;
    if (j > i) out.push_back({i, s.substr(i, j - i)});
    i = j;
  }
  return out;
}
bool separator(const std::string& w) {
  return w == "&&" || w == "||" || w == ";" || w == "|" || w == "&" || w == "(" || w == ")";
}
// chmod's own options (-R, -v, --recursive...), as opposed to a mode such as -x.
bool chmodOption(const std::string& w) {
  if (w.rfind("--", 0) == 0) return true;
  return w.size() > 1 && w[0] == '-' && w.find_first_not_of("Rcfv", 1) == std::string::npos;
}

// The mode of a `chmod` in a RUN that covers `path`, made to grant `add`: an octal mode gets
// the bits, or, with -R, becomes symbolic so that X keeps files without x as they were.
std::string fixRunChmod(FixContext& c, unsigned add) {
  std::string text = c.edits.text(c.index);
  std::vector<ShellWord> w = shellWords(text);
  std::string out;
  size_t last = 0;
  std::string what;
  for (size_t k = 0; k < w.size(); ++k) {
    if (w[k].text != "chmod") continue;
    size_t m = k + 1;
    bool recursive = false;
    for (; m < w.size() && chmodOption(w[m].text); ++m)
      recursive =
          recursive || w[m].text.find('R') != std::string::npos || w[m].text == "--recursive";
    if (m >= w.size()) break;
    const std::string& mode = w[m].text;
    bool covers = false;
    for (size_t t = m + 1; t < w.size(); ++t) {
      std::string raw = w[t].text;
      if (separator(raw)) break;
      if (raw == std::string(1, c.df.escape)) continue;  // a line continuation
      bool ends = !raw.empty() && (raw.back() == ';' || raw.back() == ')');
      while (!raw.empty() && (raw.back() == ';' || raw.back() == ')')) raw.pop_back();
      // The shell expands $LAMBDA_TASK_ROOT from the Env at build time; so does this.
      std::optional<std::string> expanded =
          substitute(raw, [&](const std::string& n) { return c.img.env(n); });
      if (expanded && !expanded->empty()) {
        std::string p = cleanPath(*expanded);
        if (p[0] != '/') p = cleanPath(c.img.config.workingDir + "/" + p);
        for (const auto& f : c.f.paths)
          covers = covers || f == p || (recursive && isUnder(f, p)) ||
                   fnmatch(p.c_str(), f.c_str(), FNM_PATHNAME) == 0;
      }
      if (ends) break;
    }
    if (!covers) continue;
    if (!isOctal(mode))
      throw Unfixable{lineRef(c.ins) + ": chmod " + mode +
                      " is symbolic: change it so that the runtime user keeps read (and x on "
                      "directories)"};
    unsigned old = static_cast<unsigned>(std::stoul(mode, nullptr, 8));
    std::string replacement;
    if (recursive && (add & 0111) && !(old & 0111)) {
      auto cls = [&](unsigned shift) {
        return std::string("r") + ((old >> shift) & 02 ? "w" : "") + "X";
      };
      replacement = "u=" + cls(6) + ",g=" + cls(3) + ",o=" + cls(0);
    } else {
      replacement = octalMode(old | add);
      if (mode.size() == 3) replacement = replacement.substr(1);
    }
    if (replacement == mode) continue;
    out += text.substr(last, w[m].at - last) + replacement;
    last = w[m].at + mode.size();
    what += (what.empty() ? "" : ", ") + std::string("chmod ") + mode + " -> " + replacement;
  }
  if (what.empty()) throw Unfixable{lineRef(c.ins) + ": no chmod there sets the mode of the path"};
  out += text.substr(last);
  c.edits.replace(c.index, out);
  return lineRef(c.ins) + ": " + what;
}

std::string fixMode(FixContext& c, bool exec) {
  unsigned add = neededBits(c, exec);
  if (c.ins.keyword == "COPY" || c.ins.keyword == "ADD") {
    // The mode as other fixes left it: a fix only ever adds bits (PD102's x stays when PD105
    // then asks for r).
    std::optional<std::string> mode;
    if (Dockerfile now = parseDockerfile(c.edits.text(c.index), c.df.path);
        !now.instructions.empty())
      mode = now.instructions[0].flag("chmod");
    LayerKinds k = copiedKinds(c);
    std::string next;
    if (mode) {
      if (!isOctal(*mode)) throw Unfixable{lineRef(c.ins) + ": --chmod=" + *mode + " is not octal"};
      unsigned old = static_cast<unsigned>(std::stoul(*mode, nullptr, 8));
      // One --chmod sets every file and directory the COPY writes.
      if (k.dirs || k.executables) add |= 0111;
      next = octalMode(old | add);
      if (mode->size() == 3) next = next.substr(1);
    } else {
      next = k.dirs || k.executables || exec ? "0755" : "0644";
    }
    if (mode && next == *mode) return lineRef(c.ins) + ": already --chmod=" + next;
    c.edits.replace(c.index, withChmod(c.edits.text(c.index), next));
    return lineRef(c.ins) + ": " + c.ins.keyword + " --chmod=" + next +
           (mode ? " (was " + *mode + ")" : "");
  }
  if (c.ins.keyword == "RUN") return fixRunChmod(c, add);
  throw Unfixable{lineRef(c.ins) + " is " + c.ins.keyword + ", which sets no file modes"};
}

std::string fixReadable(FixContext& c) {
  return fixMode(c, false);
}
std::string fixExecutable(FixContext& c) {
  return fixMode(c, true);
}

// PD409: the reserved key leaves the ENV; an ENV that set nothing else goes.
std::string dropEnvKey(FixContext& c) {
  if (c.ins.keyword != "ENV") throw Unfixable{lineRef(c.ins) + " is no ENV"};
  const nlohmann::json& ev = c.f.evidence.json();
  if (!ev.contains("name") || !ev["name"].is_string()) throw Unfixable{"no variable named"};
  std::string name = ev["name"].get<std::string>();
  // The instruction as other fixes left it (one ENV may hold several reserved keys).
  Dockerfile now = parseDockerfile(c.edits.text(c.index), c.df.path);
  if (now.instructions.empty()) throw Unfixable{lineRef(c.ins) + " is already gone"};
  const auto a = now.instructions[0].args;
  bool legacy = !a.empty() && a[0].find('=') == std::string::npos;  // ENV NAME value
  if (legacy || a.size() == 1) {
    if ((legacy && a[0] != name) || (!legacy && a[0].rfind(name + "=", 0) != 0))
      throw Unfixable{lineRef(c.ins) + " does not set " + name};
    c.edits.drop(c.index);
    return lineRef(c.ins) + ": ENV " + name + " removed";
  }
  std::vector<std::string> kept;
  bool found = false;
  for (const auto& w : a) {
    if (w.rfind(name + "=", 0) == 0) {
      found = true;
      continue;
    }
    // A quoted value with spaces splits into several words: not rewritten blindly.
    if (w.find('=') == std::string::npos || w.find_first_of("\"'") != std::string::npos)
      throw Unfixable{lineRef(c.ins) + ": ENV with quoted values; remove " + name + " by hand"};
    kept.push_back(w);
  }
  if (!found) throw Unfixable{lineRef(c.ins) + " does not set " + name};
  std::string text = "ENV";
  for (const auto& w : kept) text += (text == "ENV" ? " " : continuation(c.df)) + w;
  c.edits.replace(c.index, text);
  return lineRef(c.ins) + ": " + name + " removed from the ENV";
}

// PD203: USER by number, as the image's passwd maps the name.
std::string numericUser(FixContext& c) {
  if (c.ins.keyword != "USER") throw Unfixable{lineRef(c.ins) + " is no USER"};
  const nlohmann::json& ev = c.f.evidence.json();
  if (!ev.contains("uid")) throw Unfixable{"the image's /etc/passwd does not name the user"};
  std::string user = std::to_string(ev["uid"].get<uint32_t>());
  if (ev.contains("gid")) user += ":" + std::to_string(ev["gid"].get<uint32_t>());
  c.edits.replace(c.index, "USER " + user);
  return lineRef(c.ins) + ": USER " + user;
}

// PD201: the rule's own fix is the Dockerfile lines to add (the image's user, or one made with
// the image's own tool, then USER by number): they go at the end of the final stage.
std::string nonRootUser(FixContext& c) {
  if (c.f.fix.rfind("USER ", 0) != 0 && c.f.fix.rfind("RUN ", 0) != 0)
    throw Unfixable{"no Dockerfile lines to add"};
  for (std::string_view line : splitNonEmpty(c.f.fix, '\n')) c.edits.append(std::string(line));
  return "added at the end: " + c.f.fix.substr(c.f.fix.rfind('\n') + 1);
}

// PD302: the RUN that left the cache cleans it in the same step.
std::string cleanInSameRun(FixContext& c) {
  if (c.ins.keyword != "RUN")
    throw Unfixable{lineRef(c.ins) + " is " + c.ins.keyword +
                    ": keep the files out of the build context (.dockerignore)"};
  if (c.ins.json || !c.ins.heredocs.empty())
    throw Unfixable{lineRef(c.ins) + ": a RUN in exec or heredoc form; clean up by hand"};
  const nlohmann::json& ev = c.f.evidence.json();
  std::string kind = ev.contains("kind") ? ev["kind"].get<std::string>() : "";
  std::string text = c.edits.text(c.index);
  std::string what;
  static const std::regex pip(R"(\b(pip3?|python3? -m pip) install\b(?! --no-cache-dir))");
  static const std::regex apk(R"(\bapk add\b(?! --no-cache))");
  if (kind == "apt-lists" || kind == "apt-archives") {
    if (text.find("apt") == std::string::npos) throw Unfixable{lineRef(c.ins) + " runs no apt"};
    std::string clean =
        kind == "apt-lists" ? "rm -rf /var/lib/apt/lists/*" : "rm -f /var/cache/apt/archives/*.deb";
    text += continuation(c.df) + "&& " + clean;
    what = clean + " in the same RUN";
  } else if ((kind == "pip-cache" || kind == "user-cache") && std::regex_search(text, pip)) {
    text = std::regex_replace(text, pip, "$& --no-cache-dir");
    what = "pip install --no-cache-dir";
  } else if (kind == "apk-cache" && std::regex_search(text, apk)) {
    text = std::regex_replace(text, apk, "$& --no-cache");
    what = "apk add --no-cache";
  } else if (kind == "npm-cache" && text.find("npm ") != std::string::npos) {
    text += continuation(c.df) + "&& npm cache clean --force";
    what = "npm cache clean --force in the same RUN";
  } else {
    throw Unfixable{lineRef(c.ins) + ": no known way to clean " +
                    (kind.empty() ? std::string("it") : kind) + " in this RUN"};
  }
  c.edits.replace(c.index, text);
  return lineRef(c.ins) + ": " + what;
}

// PD307: the re-moding RUN goes; the COPY that wrote the files sets the mode and owner itself.
std::string foldChmod(FixContext& c) {
  if (c.ins.keyword != "RUN") throw Unfixable{lineRef(c.ins) + " is no RUN"};
  const nlohmann::json& ev = c.f.evidence.json();
  // Only a RUN that does nothing but chmod/chown can go.
  std::vector<ShellWord> w = shellWords(c.edits.text(c.index));
  bool onlyModes = w.size() > 1;
  for (size_t k = 1, start = 1; k < w.size(); ++k) {
    const std::string& t = w[k].text;
    if (t == std::string(1, c.df.escape)) continue;
    if (t == "&&" || t == ";") {
      start = k + 1;
      continue;
    }
    if (k == start) onlyModes = onlyModes && (t == "chmod" || t == "chown");
    if (t.back() == ';') start = k + 1;
    if (separator(t) || t.find_first_of("|&$`") != std::string::npos) onlyModes = false;
  }
  if (!onlyModes)
    throw Unfixable{lineRef(c.ins) + " does more than chmod/chown: fold those by hand"};
  const auto& orig = ev["originalLayers"];
  if (!orig.is_array() || orig.size() != 1) throw Unfixable{"the files came from several layers"};
  int layer = orig[0].get<int>();
  if (layer < 0 || static_cast<size_t>(layer) >= c.map.byLayer.size() || !c.map.byLayer[layer])
    throw Unfixable{"the files came from the base image"};
  const Instruction& copy = *c.map.byLayer[static_cast<size_t>(layer)];
  if (copy.keyword != "COPY" && copy.keyword != "ADD")
    throw Unfixable{lineRef(copy) + " wrote the files with " + copy.keyword};
  size_t ci = static_cast<size_t>(&copy - c.df.instructions.data());
  std::string text = c.edits.text(ci);
  std::string what;
  if (ev.contains("chmod") && ev["chmod"].is_string()) {
    text = withChmod(text, ev["chmod"].get<std::string>());
    what += " --chmod=" + ev["chmod"].get<std::string>();
  }
  if (ev.contains("chown") && ev["chown"].is_string()) {
    text = withFlag(text, "chown", ev["chown"].get<std::string>());
    what += " --chown=" + ev["chown"].get<std::string>();
  }
  c.edits.replace(ci, text);
  c.edits.drop(c.index);
  return lineRef(copy) + ": " + copy.keyword + what + "; " + lineRef(c.ins) + " dropped";
}

struct FixerRow {
  std::string_view rule;
  Fixer fix;
};
constexpr FixerRow kFixers[] = {
    {"PD102", fixExecutable}, {"PD105", fixReadable},    {"PD201", nonRootUser},
    {"PD203", numericUser},   {"PD302", cleanInSameRun}, {"PD307", foldChmod},
    {"PD401", fixReadable},   {"PD402", fixExecutable},  {"PD409", dropEnvKey},
};

const Instruction* instructionAt(const Dockerfile& df, int line) {
  for (const auto& ins : df.instructions)
    if (ins.line == line) return &ins;
  return nullptr;
}

}  // namespace

Edits::Edits(const Dockerfile& df) : df_(df) {
  for (const auto& ins : df.instructions) texts_.push_back(ins.text);
}

std::string Edits::apply(std::string_view original) const {
  std::vector<std::string_view> lines;
  for (size_t at = 0; at <= original.size();) {
    size_t nl = original.find('\n', at);
    if (nl == std::string_view::npos) {
      if (at < original.size()) lines.push_back(original.substr(at));
      break;
    }
    lines.push_back(original.substr(at, nl - at));
    at = nl + 1;
  }
  bool finalNewline = !original.empty() && original.back() == '\n';
  // Per line: the instruction starting there, and which lines an instruction covers.
  std::vector<int> startOf(lines.size() + 1, -1);
  std::vector<bool> covered(lines.size() + 1, false);
  for (size_t i = 0; i < df_.instructions.size(); ++i) {
    const Instruction& ins = df_.instructions[i];
    // `original` is the text `df_` was parsed from; a line past its end is a caller's bug.
    if (texts_[i] == ins.text || static_cast<size_t>(ins.endLine) > lines.size()) continue;
    startOf[static_cast<size_t>(ins.line - 1)] = static_cast<int>(i);
    for (int l = ins.line; l <= ins.endLine; ++l) covered[static_cast<size_t>(l - 1)] = true;
  }
  size_t appendAfter = lines.size();  // the line after which appended lines go
  if (!appended_.empty() && !df_.stages.empty()) {
    const Stage& last = df_.stages.back();
    appendAfter =
        std::min(lines.size(), static_cast<size_t>(df_.instructions[last.end - 1].endLine));
  }
  std::string out;
  auto put = [&](std::string_view s) {
    out.append(s);
    out += '\n';
  };
  for (size_t l = 0; l <= lines.size(); ++l) {
    if (l == appendAfter)
      for (const auto& a : appended_) put(a);
    if (l == lines.size()) break;
    if (startOf[l] >= 0) {
      if (!texts_[static_cast<size_t>(startOf[l])].empty())
        put(texts_[static_cast<size_t>(startOf[l])]);
      continue;
    }
    if (covered[l]) continue;
    put(lines[l]);
  }
  if (!finalNewline && !out.empty() && appended_.empty()) out.pop_back();
  return out;
}

std::vector<std::string_view> fixableRules() {
  std::vector<std::string_view> out;
  for (const auto& r : kFixers) out.push_back(r.rule);
  return out;
}

FixResult fixFindings(std::string_view original, const Dockerfile& df, const SourceMap& map,
                      const Image& img, const std::vector<Finding>& findings) {
  FixResult res;
  Edits edits(df);
  for (const Finding& f : findings) {
    if (f.suppressed) continue;
    const FixerRow* row = nullptr;
    for (const auto& r : kFixers)
      if (r.rule == f.rule) row = &r;
    FixOutcome o{f.rule, f.path.value_or("(image)"), false, ""};
    if (!row) {
      o.what = "no automatic fix for " + f.rule + (f.fix.empty() ? "" : ": " + f.fix);
      res.outcomes.push_back(std::move(o));
      continue;
    }
    try {
      if (f.origin == "base")
        throw Unfixable{"it comes from the base image: fix it there, or --no-fail-on-base"};
      // PD201 needs no source line: the fix adds one.
      const Instruction* ins = f.source ? instructionAt(df, f.source->line) : nullptr;
      if (!ins && f.rule != "PD201") throw Unfixable{"no Dockerfile line made it"};
      if (ins && edits.dropped(static_cast<size_t>(ins - df.instructions.data())))
        throw Unfixable{lineRef(*ins) + " was already dropped by another fix"};
      static const Instruction none;
      int layer = -1;
      for (size_t l = 0; ins && l < map.byLayer.size(); ++l)
        if (map.byLayer[l] == ins) layer = static_cast<int>(l);
      FixContext c{df,
                   map,
                   img,
                   f,
                   ins ? static_cast<size_t>(ins - df.instructions.data()) : 0,
                   ins ? *ins : none,
                   layer,
                   edits};
      o.what = row->fix(c);
      o.fixed = true;
    } catch (const Unfixable& u) {
      o.what = u.why;
    } catch (const std::exception& e) {
      // Evidence or an instruction of a shape no fixer expected: that finding stays unfixed.
      o.what = std::string("not understood here: ") + e.what();
    }
    res.outcomes.push_back(std::move(o));
  }
  std::string patched = edits.apply(original);
  if (patched != original) res.text = std::move(patched);
  return res;
}

}  // namespace pd
