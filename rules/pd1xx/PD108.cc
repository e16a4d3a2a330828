// PD108: a symlink loop, or a chain of more than 40 links, met while resolving a path the other
// rules need. Each loop (or over-long chain) is reported once, whichever paths lead into it.
#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include <nlohmann/json.hpp>

#include "common/text.h"
#include "engine/rule_table.h"
#include "fs/path.h"

namespace pd {
namespace {

struct Hit {
  std::string via;   // the path being resolved
  std::string what;  // why the rules need it
  Resolved r;
  std::vector<std::string> chain;  // links followed, then the one that failed
};

std::string joinChain(const std::vector<std::string>& c) {
  std::string s;
  for (size_t i = 0; i < c.size(); ++i) {
    if (c.size() > 8 && i == 3) {
      s += " -> … (" + std::to_string(c.size() - 5) + " more)";
      i = c.size() - 2;
    }
    s += (s.empty() ? "" : " -> ") + c[i];
  }
  return s;
}

class PD108 : public Rule {
 public:
  void check(Context& ctx) const override {
    const Image& img = ctx.image;
    std::vector<Hit> hits;
    std::set<std::string> probed;
    auto probe = [&](const std::string& p, const std::string& what) {
      if (p.empty() || !probed.insert(p).second) return;
      Resolved r = ctx.access.resolve(p);
      if (r.status != Resolved::Status::Loop && r.status != Resolved::Status::TooManyLinks) return;
      Hit h{p, what, r, r.links};
      h.chain.push_back(r.failedAt);
      hits.push_back(std::move(h));
    };
    // The run path: the start program, then its #! interpreter or ELF loader.
    const StartProgram& sp = ctx.startProgram();
    probe(sp.path, "the start program");
    if (!sp.path.empty()) {
      Resolved r = ctx.access.resolve(sp.path);
      const Captured* c = r.ok() ? img.capture(r.node->capture) : nullptr;
      if (c && !c->interp.empty()) {
        if (c->head == Captured::Head::Script) {
          std::string interp = splitShebang(c->interp).interp;
          if (!interp.empty()) probe(ctx.absolute(interp), "the #! interpreter of " + r.path);
        } else if (c->head == Captured::Head::Elf) {
          probe(ctx.absolute(c->interp), "the ELF loader of " + r.path);
        }
      }
    }
    probe(ctx.identity.home, "the runtime user's home directory");

    // The application roots (PD105's) and the Lambda roots, and every link under them.
    std::vector<std::pair<std::string, std::string>> roots;
    for (const auto& r : ctx.applicationRoots()) roots.emplace_back(r.path, r.why);
    roots.emplace_back(ctx.lambdaTaskRoot(), "the Lambda task root");
    roots.emplace_back(ctx.lambdaRuntimeDir(), "the Lambda runtime directory");
    roots.emplace_back("/opt", "/opt");
    std::vector<std::string> walked;
    for (const auto& [path, why] : roots) {
      probe(path, "the application root " + path + " (" + why + ")");
      Resolved r = ctx.access.resolve(path);
      if (!r.ok() || r.node->type != FileType::Directory || r.path == "/") continue;
      bool done = false;
      for (const auto& w : walked) done = done || isUnder(r.path, w);
      if (done) continue;
      walked.push_back(r.path);
      auto [a, b] = img.tree.below(r.path);
      for (auto it = a; it != b; ++it)
        if (it->second.type == FileType::Symlink)
          probe(it->first, "a link under the application root " + path);
    }

    // Hits whose chains share a link are one loop (or one over-long chain): union them.
    std::vector<size_t> parent(hits.size());
    std::iota(parent.begin(), parent.end(), 0);
    auto find = [&](size_t i) {
      while (parent[i] != i) i = parent[i] = parent[parent[i]];
      return i;
    };
    std::map<std::string, size_t> owner;
    for (size_t i = 0; i < hits.size(); ++i)
      for (const auto& l : hits[i].chain) {
        auto [it, fresh] = owner.emplace(l, i);
        if (!fresh) {
          size_t x = find(i), y = find(it->second);
          if (x != y) parent[std::max(x, y)] = std::min(x, y);  // the earliest hit leads
        }
      }
    std::map<size_t, std::set<std::string>> links;
    for (const auto& [l, i] : owner) links[find(i)].insert(l);

    for (const auto& [lead, set] : links) {
      const Hit& h = hits[lead];
      bool loop = h.r.status == Resolved::Status::Loop;
      std::string path = loop ? h.r.failedAt : h.chain.front();
      Finding f;
      // The looping link, the lead chain in the order it was followed, then the other links.
      std::vector<std::string> paths = {path};
      for (const auto& l : h.chain)
        if (std::find(paths.begin(), paths.end(), l) == paths.end()) paths.push_back(l);
      for (const auto& l : set)
        if (std::find(h.chain.begin(), h.chain.end(), l) == h.chain.end()) paths.push_back(l);
      f.over(path, std::move(paths));
      f.evidence = {{"status", loop ? "loop" : "too many links"},
                    {"via", h.via},
                    {"neededAs", h.what},
                    {"chain", h.chain},
                    {"linksFollowed", h.r.links.size()}};
      std::string viaText = h.via == path ? "" : " (met while resolving " + h.via + ")";
      if (loop) {
        std::vector<std::string> cycle(std::find(h.chain.begin(), h.chain.end(), h.r.failedAt),
                                       h.chain.end());
        std::string targets;
        for (size_t i = 0; i + 1 < cycle.size(); ++i) {
          const Node* n = img.tree.find(cycle[i]);
          targets += (targets.empty() ? "" : ", ") + cycle[i] + " -> " + (n ? n->link : "?");
        }
        f.message = "symlink loop " + joinChain(cycle) + " (" + targets + "), needed as " + h.what +
                    viaText +
                    ": opening it fails with ELOOP (\"too many levels of symbolic links\")";
        f.fix = "RUN ln -sfn <the real target> " + shellQuote(path);
      } else {
        f.message = "resolving " + h.via + " follows more than " +
                    std::to_string(Access::kMaxLinks) + " symlinks (" + joinChain(h.chain) +
                    "), needed as " + h.what +
                    ": the kernel gives up with ELOOP (\"too many levels of symbolic links\")";
        Resolved rest = ctx.access.resolve(h.r.failedAt);
        f.message += "; point " + path + " at the final target directly";
        f.fix = "RUN ln -sfn " + (rest.ok() ? shellQuote(rest.path) : "<the real target>") + " " +
                shellQuote(path);
      }
      ctx.diag(std::move(f));
    }
  }
};

}  // namespace

extern const RuleEntry kPD108{
    .id = "PD108",
    .severity = Severity::Warning,
    .title = "Symlink loop or a chain of more than 40 links",
    .doc = "pd1xx/PD108.md",
    .make = makeRule<PD108>,
};

}  // namespace pd
