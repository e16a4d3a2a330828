// PD403: what CMD asks Lambda to run is not in the image: the handler's module file, the
// handler argument itself, or a custom runtime's bootstrap.
//
// Which base the image is on decides what CMD means, so the rule first tells them apart:
//  - AWS base: ENTRYPOINT starts with /lambda-entrypoint.sh. Its script needs exactly one
//    argument, the handler (the words after the script in ENTRYPOINT+CMD).
//  - Language base (python, nodejs, java, ...): an AWS base that ships a language runtime under
//    /var/lang. Its runtime client imports the handler's module from the task root.
//  - OS-only base (provided.al2 / al2023): an AWS base without /var/lang. Its entrypoint execs
//    a bootstrap from LAMBDA_RUNTIME_DIR, the task root or /opt, and the handler means whatever
//    that custom runtime makes of it, so only the bootstrap is checked.
// The handler's language is known when /var/lang/bin (else /usr/bin) holds a python or node
// interpreter; then only that language's module files count. When both or neither are found,
// any of them does. Other languages (java, dotnet, ruby) have their own handler syntax and are
// not checked.
#include <cctype>
#include <optional>

#include <nlohmann/json.hpp>

#include "common/text.h"
#include "engine/rule_table.h"
#include "fs/path.h"

namespace pd {
namespace {

constexpr const char* kAwsEntrypoint = "/lambda-entrypoint.sh";

struct Runtimes {
  bool python = false, node = false, other = false;
};

// Interpreters in `dir` (directly), by file name.
Runtimes runtimesIn(const Tree& tree, const std::string& dir) {
  Runtimes rt;
  auto [a, b] = tree.below(dir);
  for (auto it = a; it != b; ++it) {
    if (parentOf(it->first) != dir || it->second.type == FileType::Directory) continue;
    std::string_view name = baseName(it->first);
    if (name.rfind("python", 0) == 0 && name.find("-config") == std::string_view::npos)
      rt.python = true;
    else if (name == "node")
      rt.node = true;
    else if (name == "java" || name == "dotnet" || name == "ruby")
      rt.other = true;
  }
  return rt;
}

// A handler of the `module.func` form the Python and Node.js clients accept: a dot after the
// last slash, not absolute, no "::" (Java and .NET), no spaces.
bool looksLikeModuleHandler(const std::string& h) {
  if (h.empty() || h[0] == '/' || h.find("::") != std::string::npos ||
      h.find_first_of(" \t") != std::string::npos)
    return false;
  size_t slash = h.rfind('/');
  std::string last = slash == std::string::npos ? h : h.substr(slash + 1);
  size_t dot = last.find('.');
  return dot != std::string::npos && dot > 0 && last.back() != '.';
}

class PD403 : public Rule {
 public:
  void check(Context& ctx) const override {
    const Image& img = ctx.image;
    const auto& ep = img.config.entrypoint;
    if (ep.empty() || ep.front() != kAwsEntrypoint) return;  // a custom ENTRYPOINT runs itself

    std::vector<std::string> args(ep.begin() + 1, ep.end());
    args.insert(args.end(), img.config.cmd.begin(), img.config.cmd.end());
    const std::string& taskRoot = ctx.lambdaTaskRoot();
    const std::string& runtimeDir = ctx.lambdaRuntimeDir();
    const Node* lang = img.tree.find("/var/lang");
    bool osOnly = !lang || lang->type != FileType::Directory;

    if (args.empty()) {
      Finding f;
      f.message = "the entrypoint is ";  // appended, not +: GCC 12 warns falsely on the +
      f.message += kAwsEntrypoint;
      f.message +=
          " and CMD is empty: the script exits with \"entrypoint requires the handler name to "
          "be the first argument\" (Runtime.ExitError, exit status 142)";
      f.evidence = {{"entrypoint", ep}, {"cmd", img.config.cmd}};
      f.message += osOnly ? "; CMD names the handler your bootstrap expects"
                          : "; CMD names the handler as module.function";
      f.fix = osOnly ? "CMD [\"function.handler\"]" : "CMD [\"app.handler\"]";
      ctx.diag(std::move(f));
    }
    if (osOnly)
      checkBootstrap(ctx, runtimeDir, taskRoot);
    else if (!args.empty())
      checkHandler(ctx, args.front(), taskRoot);
  }

 private:
  // The OS-only base's entrypoint runs the first executable bootstrap it finds.
  static void checkBootstrap(Context& ctx, const std::string& runtimeDir,
                             const std::string& taskRoot) {
    std::vector<std::string> places = {runtimeDir + "/bootstrap", taskRoot + "/bootstrap",
                                       "/opt/bootstrap"};
    for (const auto& p : places) {
      Resolved r = ctx.access.resolve(cleanPath(p));
      if (r.ok() && r.node && r.node->type != FileType::Directory) return;  // PD402 checks it
    }
    Finding f;
    std::string list;
    for (const auto& p : places) list += (list.empty() ? "" : ", ") + cleanPath(p);
    f.message = "custom runtime on the OS-only base (no /var/lang) without a bootstrap in " + list +
                ": the entrypoint fails with \"Couldn't find valid bootstrap(s): [" +
                cleanPath(taskRoot + "/bootstrap") + " /opt/bootstrap]\"";
    f.evidence = {{"searched", {cleanPath(places[0]), cleanPath(places[1]), places[2]}}};
    f.fix = "COPY --chmod=0755 bootstrap " + cleanPath(runtimeDir + "/bootstrap");
    ctx.diag(std::move(f));
  }

  static void checkHandler(Context& ctx, const std::string& handler, const std::string& taskRoot) {
    if (!looksLikeModuleHandler(handler)) return;
    const Tree& tree = ctx.image.tree;
    Runtimes rt = runtimesIn(tree, "/var/lang/bin");
    if (!rt.python && !rt.node && !rt.other) rt = runtimesIn(tree, "/usr/bin");
    if (rt.other && !rt.python && !rt.node) return;  // java/dotnet/ruby: another syntax
    bool py = rt.python || !rt.node, js = rt.node || !rt.python;

    // Module files the runtime client would load, most usual first.
    std::vector<std::string> candidates;
    std::string dirPackage;  // a node_modules package: a directory is fine there
    auto under = [&](const std::string& rel) { return cleanPath(taskRoot + "/" + rel); };
    std::string pyModule = handler.substr(0, handler.rfind('.'));
    size_t slash = handler.rfind('/');
    std::string jsModule =
        handler.substr(0, handler.find('.', slash == std::string::npos ? 0 : slash + 1));
    if (py) {
      // awslambdaric: rsplit('.', 1), then '/' -> '.' and importlib: dots and slashes are both
      // package separators.
      std::string mod = pyModule;
      for (char& ch : mod)
        if (ch == '.') ch = '/';
      candidates.push_back(under(mod + ".py"));
      candidates.push_back(under(mod + "/__init__.py"));
      candidates.push_back(under(mod + ".pyc"));
      candidates.push_back(under(mod + ".so"));
    }
    if (js) {
      // The Node.js client splits the last path component at its FIRST dot (index.obj.method
      // -> index), tries .js, .mjs, .cjs and the bare name, then require.resolve: a directory
      // with index.js, or a package in node_modules.
      for (const char* ext : {".js", ".mjs", ".cjs", ""})
        candidates.push_back(under(jsModule + ext));
      candidates.push_back(under(jsModule + "/index.js"));
      dirPackage = under("node_modules/" + jsModule);
    }
    for (const auto& c : candidates)
      if (exists(ctx, c, false)) {
        checkDefinesFunction(ctx, handler, c);
        return;
      }
    if (!dirPackage.empty() && exists(ctx, dirPackage, true)) return;
    if (py && hasExtensionModule(ctx, candidates.front())) return;

    std::vector<std::string> shown;  // the usual source files, for the message and the fix
    for (const auto& c : candidates) {
      std::string_view b = baseName(c);
      for (std::string_view ext : {".py", ".js", ".mjs", ".cjs"})
        if (b.size() > ext.size() && b.substr(b.size() - ext.size()) == ext) shown.push_back(c);
    }
    std::string list;
    for (const auto& s : shown) list += (list.empty() ? "" : ", ") + s;
    std::string errs;
    if (py)
      errs += "Python: Runtime.ImportModuleError: Unable to import module '" + pyModule +
              "': No module named '" + pyModule + "'";
    if (js)
      errs += std::string(py ? "; " : "") +
              "Node.js: Runtime.ImportModuleError: Error: Cannot find module '" + jsModule + "'";
    Finding f;
    f.message = "the handler \"" + handler + "\" names a module that is not in the task root " +
                taskRoot + ": none of " + list + " exists (" + errs + ")";
    candidates.push_back(dirPackage);
    if (candidates.back().empty()) candidates.pop_back();
    f.evidence = {{"handler", handler},
                  {"taskRoot", taskRoot},
                  {"candidates", candidates},
                  {"language", py && js ? "unknown"
                               : py     ? "python"
                                        : "nodejs"}};
    f.message += "; copy the handler in, or fix CMD to name the module relative to " + taskRoot;
    f.fix = dockerCopy("", baseName(shown.front()), shown.front());
    ctx.diag(std::move(f));
  }

  // The module is there: does it plainly lack the function? Only a source file kept whole (the
  // reader keeps /var/task/*.py, *.js, *.mjs, *.cjs) is read; a name that appears anywhere in
  // it, or a module that can define names at run time, leaves the rule silent.
  static void checkDefinesFunction(Context& ctx, const std::string& handler,
                                   const std::string& module) {
    std::string_view file = baseName(module);
    bool python = file.ends_with(".py");
    bool node = file.ends_with(".js") || file.ends_with(".mjs") || file.ends_with(".cjs");
    if (!python && !node) return;
    Resolved r = ctx.access.resolve(module);
    if (!r.ok()) return;
    const Captured* c = ctx.image.capture(r.node->capture);
    if (!c || !c->complete) return;
    std::string function;
    if (python) {
      function = handler.substr(handler.rfind('.') + 1);
    } else {
      // index.obj.method: the client reads obj from the module, then method from it.
      size_t slash = handler.rfind('/');
      size_t dot = handler.find('.', slash == std::string::npos ? 0 : slash + 1);
      function = handler.substr(dot + 1);
      function = function.substr(0, function.find('.'));
    }
    if (function.empty() || !plainlyLacks(c->bytes, function, python)) return;
    std::string moduleName = handler.substr(0, handler.rfind('.'));
    Finding f;
    f.at(r.path);
    f.layer = r.node->layer;
    f.message = "the handler \"" + handler + "\" names the function " + function + ", which " +
                r.path +
                " does not define (no definition, assignment, import or export of that name): " +
                (python ? "Runtime.HandlerNotFound: Handler '" + function +
                              "' missing on module '" + moduleName + "'"
                        : "Runtime.HandlerNotFound: " + handler + " is undefined or not exported");
    f.evidence = {{"handler", handler},
                  {"module", r.path},
                  {"function", function},
                  {"language", python ? "python" : "nodejs"}};
    f.message += "; name the function the module defines in CMD, or " +
                 (python ? "define def " + function + "(event, context) in " + r.path
                         : "export it: export const " + function + " = async (event) => {...}");
    f.fix = "CMD [\"" + moduleName + ".<function>\"]";
    ctx.diag(std::move(f));
  }

  // No whole-word `name` anywhere in `text` (code, comments and strings alike: any mention is
  // doubt enough), and none of the constructs that define names at run time.
  static bool plainlyLacks(std::string_view text, std::string_view name, bool python) {
    static const std::vector<std::string_view> pyDynamic = {
        "globals(", "locals(", "setattr(", "exec(", "__getattr__", "import *", "__dict__"};
    static const std::vector<std::string_view> jsDynamic = {
        "exports[", "Object.assign", "defineProperty", "export *",
        "eval(",    "= require(",    "=require("};
    for (std::string_view d : python ? pyDynamic : jsDynamic)
      if (text.find(d) != std::string_view::npos) return false;
    auto word = [](char ch) {
      return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '$' ||
             static_cast<unsigned char>(ch) >= 0x80;
    };
    for (size_t at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
      bool before = at > 0 && word(text[at - 1]);
      bool after = at + name.size() < text.size() && word(text[at + name.size()]);
      if (!before && !after) return false;
    }
    return true;
  }

  // True when `path` resolves to a file (or to anything, with `anyType`).
  static bool exists(const Context& ctx, const std::string& path, bool anyType) {
    Resolved r = ctx.access.resolve(path);
    return r.ok() && r.node && (anyType || r.node->type != FileType::Directory);
  }

  // Compiled extension modules: app.cpython-312-x86_64-linux-gnu.so, app.abi3.so.
  static bool hasExtensionModule(const Context& ctx, const std::string& pyFile) {
    std::string dir = parentOf(pyFile);
    std::string stem(baseName(pyFile));
    stem = stem.substr(0, stem.size() - 3);  // drop ".py"
    auto [a, b] = ctx.image.tree.below(dir);
    for (auto it = a; it != b; ++it) {
      if (parentOf(it->first) != dir) continue;
      std::string_view n = baseName(it->first);
      if (n.size() > stem.size() + 4 && n.rfind(stem + ".", 0) == 0 &&
          n.substr(n.size() - 3) == ".so")
        return true;
    }
    return false;
  }
};

}  // namespace

extern const RuleEntry kPD403{
    .id = "PD403",
    .severity = Severity::Error,
    .title = "Lambda: the handler or bootstrap cannot be found",
    .doc = "pd4xx/PD403.md",
    .profiles = profiles({Profile::Lambda}),
    .make = makeRule<PD403>,
    .setBy = "ENTRYPOINT CMD",
};

}  // namespace pd
