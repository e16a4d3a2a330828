// PD110: the program that runs is a dynamically linked ELF file whose needed libraries
// (DT_NEEDED, and theirs in turn) are nowhere ld.so looks in the image. The loader stops with
// "error while loading shared libraries: libjq.so.1: cannot open shared object file" (exit 127):
// typical of a binary copied alone from a build stage.
//
// The search is ld.so's, made generous wherever the image cannot tell (the loader cache, hwcaps,
// $LIB): RPATH, LD_LIBRARY_PATH, RUNPATH, the directories of /etc/ld.so.conf (and musl's
// /etc/ld-musl-*.path), then the default and multiarch directories. A library found in any of
// them counts as found; a dynamic section that was not read, or a path that cannot be expanded,
// makes the rule say nothing about what depends on it.
#include <deque>
#include <set>

#include <nlohmann/json.hpp>

#include "common/text.h"
#include "engine/rule_table.h"
#include "fs/path.h"

namespace pd {
namespace {

constexpr size_t kMaxObjects = 512;  // objects followed before giving up (silently)

std::vector<std::string> splitList(std::string_view s, std::string_view seps) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find_first_of(seps, i);
    if (j == std::string_view::npos) j = s.size();
    std::string_view part = s.substr(i, j - i);
    while (!part.empty() && (part.front() == ' ' || part.front() == '\t')) part.remove_prefix(1);
    while (!part.empty() && (part.back() == ' ' || part.back() == '\t' || part.back() == '\r'))
      part.remove_suffix(1);
    if (!part.empty()) out.emplace_back(part);
    i = j + 1;
  }
  return out;
}

struct Object {
  std::string path;  // where it was found (links followed)
  const Captured* capture = nullptr;
};

class Search {
 public:
  Search(const Context& ctx, Object program) : ctx_(ctx), program_(std::move(program)) {
    if (auto v = ctx.image.env("LD_LIBRARY_PATH")) libraryPath_ = splitList(*v, ":;");
    configDirs_ = confDirs();
    for (const char* d :
         {"/lib", "/usr/lib", "/lib64", "/usr/lib64", "/lib32", "/usr/lib32", "/usr/local/lib"})
      defaults_.push_back(d);
    if (const char* t =
            multiarchTriplet(program_.capture->elfMachine, program_.capture->elfClass)) {
      defaults_.push_back(std::string("/lib/") + t);
      defaults_.push_back(std::string("/usr/lib/") + t);
    }
  }

  // Where `name`, needed by `by`, is found (an empty path when nowhere). `uncertain` is set
  // when a directory could not be expanded, so "nowhere" cannot be claimed.
  Object find(const std::string& name, const Object& by, bool* uncertain,
              std::vector<std::string>* searched) const {
    if (name.find('/') != std::string::npos) return usable(name);
    std::vector<std::string> dirs;
    auto add = [&](const std::string& list, const Object& o) {
      for (auto& d : splitList(list, ":")) {
        std::string e = expand(d, o);
        if (e.empty())
          *uncertain = true;
        else
          dirs.push_back(e);
      }
    };
    if (by.capture->dynamic->runpath.empty()) add(by.capture->dynamic->rpath, by);
    // The executable's RPATH serves every object it loads (unless it has a RUNPATH).
    if (program_.capture->dynamic->runpath.empty() && by.capture != program_.capture)
      add(program_.capture->dynamic->rpath, program_);
    for (const auto& d : libraryPath_) add(d, by);
    add(by.capture->dynamic->runpath, by);
    dirs.insert(dirs.end(), configDirs_.begin(), configDirs_.end());
    dirs.insert(dirs.end(), defaults_.begin(), defaults_.end());
    std::set<std::string> seen;
    for (const auto& d : dirs) {
      std::string dir = cleanPath(d);
      if (!seen.insert(dir).second) continue;
      if (searched) searched->push_back(dir);
      Object hit = usable((dir == "/" ? "" : dir) + "/" + name);
      if (!hit.path.empty()) return hit;
    }
    return {};
  }

 private:
  // $ORIGIN is the directory of the object; $LIB and $PLATFORM depend on the machine ld.so runs
  // on: not expanded ("" = unknown).
  static std::string expand(const std::string& dir, const Object& o) {
    std::string out;
    for (size_t i = 0; i < dir.size(); ++i) {
      if (dir[i] != '$') {
        out += dir[i];
        continue;
      }
      std::string_view rest = std::string_view(dir).substr(i + 1);
      if (rest.starts_with("ORIGIN")) {
        out += parentOf(o.path);
        i += 6;
      } else if (rest.starts_with("{ORIGIN}")) {
        out += parentOf(o.path);
        i += 8;
      } else {
        return "";
      }
    }
    // ld.so takes a relative directory from the working directory.
    return out;
  }

  // The object at `path` (resolved) when it is a regular file ld.so could load: an ELF file of
  // the program's machine, or one whose head was not kept. An empty path otherwise.
  Object usable(const std::string& path) const {
    Resolved r = ctx_.access.resolve(ctx_.absolute(path));
    if (!r.ok() || r.node->type != FileType::Regular) return {};
    const Captured* c = ctx_.image.capture(r.node->capture);
    if (c && c->head == Captured::Head::Elf &&
        (c->elfMachine != program_.capture->elfMachine ||
         c->elfClass != program_.capture->elfClass))
      return {};  // ld.so skips a library for another machine and searches on
    return {r.path, c};
  }

  // The directories named in /etc/ld.so.conf (following `include`) and musl's path files.
  std::vector<std::string> confDirs() const {
    std::vector<std::string> out;
    std::vector<std::string> files{"/etc/ld.so.conf"};
    std::set<std::string> read;
    for (size_t i = 0; i < files.size() && i < 256; ++i) {
      if (!read.insert(files[i]).second) continue;
      const std::string* text = contentOf(files[i]);
      if (!text) continue;
      for (const auto& line : splitList(*text, "\n")) {
        if (line[0] == '#') continue;
        if (line.rfind("include", 0) == 0 && line.size() > 7 &&
            (line[7] == ' ' || line[7] == '\t')) {
          for (const auto& pattern : splitList(line.substr(8), " \t")) {
            std::string glob = cleanPath(pattern[0] == '/' ? pattern : "/etc/" + pattern);
            auto [a, b] = ctx_.image.tree.below(parentOf(glob));
            for (auto it = a; it != b; ++it)
              if (globMatch(glob, it->first)) files.push_back(it->first);
          }
          continue;
        }
        for (const auto& d : splitList(line, " \t:,")) out.push_back(d);
      }
    }
    auto [a, b] = ctx_.image.tree.below("/etc");
    for (auto it = a; it != b; ++it)
      if (globMatch("/etc/ld-musl-*.path", it->first))
        if (const std::string* text = contentOf(it->first))
          for (const auto& d : splitList(*text, ":\n")) out.push_back(d);
    return out;
  }

  const std::string* contentOf(const std::string& path) const {
    Resolved r = ctx_.access.resolve(path);
    if (!r.ok() || r.node->type != FileType::Regular) return nullptr;
    const Captured* c = ctx_.image.capture(r.node->capture);
    return c && c->complete ? &c->bytes : nullptr;
  }

  const Context& ctx_;
  Object program_;
  std::vector<std::string> libraryPath_, configDirs_, defaults_;
};

class PD110 : public ProgramRule {
 private:
  void checkProgram(Context& ctx, const RunningProgram& rp) const override {
    const StartProgram& sp = *rp.program;
    Object program = programThatRuns(ctx, sp);
    if (!program.capture || !program.capture->dynamic) return;
    // Without its loader (PD104) the program never gets as far as its libraries: one cause.
    if (const std::string& interp = program.capture->interp; !interp.empty()) {
      Resolved l = ctx.access.resolve(ctx.absolute(interp));
      if (!l.ok() || l.node->type == FileType::Directory) return;
    }
    Search search(ctx, program);

    struct Missing {
      std::string name, neededBy;
      std::vector<std::string> searched;
    };
    std::vector<Missing> missing;
    std::set<std::string> loaded;
    if (!program.capture->interp.empty())
      loaded.insert(std::string(baseName(program.capture->interp)));
    std::deque<Object> queue{program};
    size_t objects = 0;
    while (!queue.empty()) {
      Object o = queue.front();
      queue.pop_front();
      if (++objects > kMaxObjects) return;  // past any real program: say nothing
      for (const auto& name : o.capture->dynamic->needed) {
        if (!loaded.insert(name).second) continue;
        bool uncertain = false;
        std::vector<std::string> searched;
        Object lib = search.find(name, o, &uncertain, &searched);
        if (lib.path.empty()) {
          if (!uncertain) missing.push_back({name, o.path, std::move(searched)});
          continue;
        }
        if (lib.capture && lib.capture->head == Captured::Head::Elf && lib.capture->dynamic)
          queue.push_back(std::move(lib));
      }
    }
    if (missing.empty()) return;

    std::string names;
    nlohmann::json list = nlohmann::json::array();
    for (size_t i = 0; i < missing.size(); ++i) {
      const Missing& m = missing[i];
      if (i) names += i + 1 == missing.size() ? " and " : ", ";
      names += escapeControl(m.name);
      if (m.neededBy != program.path) names += " (needed by " + escapeControl(m.neededBy) + ")";
      list.push_back({{"name", m.name}, {"neededBy", m.neededBy}});
    }
    Resolved r = ctx.access.resolve(program.path);
    Finding f;
    f.at(program.path);
    f.layer = r.ok() ? r.node->layer : -1;
    bool direct = program.path == sp.path || ctx.access.resolve(sp.path).path == program.path;
    std::string who = escapeControl(program.path);
    if (direct)
      who = rp.name(who);
    else if (rp.handOver)
      who = "the interpreter of " + rp.name(escapeControl(sp.path), "script") + " " + who + ",";
    else
      who = "the interpreter of the start script, " + who + ",";
    f.message = who + " is dynamically linked and needs " + names + ", which " +
                (missing.size() == 1 ? "is" : "are") +
                " nowhere on its library search path in the image: it fails with `error while "
                "loading shared libraries: " +
                escapeControl(missing.front().name) +
                ": cannot open shared object file: No such file or directory` (exit 127)";
    f.evidence = {{"program", program.path},
                  {"missing", std::move(list)},
                  {"searched", missing.front().searched}};
    if (program.path != sp.path) f.evidence["startProgram"] = sp.path;
    addHandOver(f, rp);
    f.fix = "copy the libraries with the binary (COPY --from=<stage> for each one " +
            escapeControl(program.path) +
            " needs: `ldd` in the build stage lists them), install the package that provides "
            "them in the final stage, or link the program statically";
    ctx.diag(std::move(f));
  }

  // The ELF file the kernel runs: the program, or the interpreter of a script.
  static Object programThatRuns(const Context& ctx, const StartProgram& sp) {
    if (sp.path.empty()) return {};
    Resolved r = ctx.access.resolve(sp.path);
    if (!r.ok() || r.node->type != FileType::Regular) return {};
    const Captured* c = ctx.image.capture(r.node->capture);
    if (!c) return {};
    if (c->head == Captured::Head::Elf) return {r.path, c};
    if (c->head != Captured::Head::Script || c->interpCr) return {};
    auto [interp, arg] = splitShebang(c->interp);
    std::vector<std::string> candidates;
    if (baseName(interp) == "env") {
      std::vector<std::string> words = splitList(arg, " \t");
      if (words.empty() || words.front()[0] == '-') return {};
      const std::string& first = words.front();
      candidates = first.find('/') != std::string::npos ? std::vector<std::string>{first}
                                                        : ctx.pathCandidates(first);
    } else if (!interp.empty() && interp[0] == '/') {
      candidates = {interp};
    }
    for (const auto& p : candidates) {
      Resolved i = ctx.access.resolve(p);
      if (!i.ok() || i.node->type != FileType::Regular) continue;
      const Captured* ic = ctx.image.capture(i.node->capture);
      if (ic && ic->head == Captured::Head::Elf) return {i.path, ic};
      return {};
    }
    return {};
  }
};

}  // namespace

extern const RuleEntry kPD110{
    .id = "PD110",
    .severity = Severity::Error,
    .title = "The program that runs lacks shared libraries it needs",
    .doc = "pd1xx/PD110.md",
    .make = makeRule<PD110>,
    .setBy = "ENTRYPOINT CMD",
};

}  // namespace pd
