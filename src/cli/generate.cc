// `permdoctor generate man|man-rules|bash|zsh|fish`: the man pages and the shell completions,
// written from the CLI11 definition that parses the command line and from the embedded rule docs,
// so they cannot drift from the binary. Hidden from --help; the build runs it
// (cmake/install.cmake).
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "common/error.h"
#include "engine/embedded.h"
#include "engine/finding.h"
#include "engine/identity.h"
#include "engine/rule_table.h"
#include "report/report.h"

namespace pd {
namespace {

// ---- The command line as data ----------------------------------------------------------------

// What a value of an option or positional is, for completion and the man page's metavariable.
enum class Values { Free, Files, Formats, Profiles, FailOn, Rules, Platforms };

struct ValueSpec {
  bool positional;
  std::string_view name;  // long option name without dashes, or the positional's name
  std::string_view metavar;
  Values values;
};

// An option missing here still works everywhere: it gets CLI11's type name and no value list.
const ValueSpec kValueSpecs[] = {
    {false, "format", "FORMAT", Values::Formats},
    {false, "output", "FILE", Values::Files},
    {false, "profile", "PROFILE", Values::Profiles},
    {false, "user", "UID[:GID]", Values::Free},
    {false, "fail-on", "SEVERITY", Values::FailOn},
    {false, "platform", "OS/ARCH[/VARIANT]", Values::Platforms},
    {false, "image", "REF|N", Values::Free},
    {false, "ignore", "RULE", Values::Rules},
    {false, "config", "FILE", Values::Files},
    {false, "max-bytes", "N", Values::Free},
    {false, "max-entries", "N", Values::Free},
    {false, "creds", "USER[:PASSWORD]", Values::Free},
    {false, "images-from", "FILE", Values::Files},
    {false, "pick", "N", Values::Free},
    {false, "expect-digest", "sha256:DIGEST", Values::Free},
    {false, "rule-option", "RULE.NAME=VALUE", Values::Free},
    {false, "color", "auto|always|never", Values::Free},
    {false, "authfile", "FILE", Values::Files},
    {false, "ca-file", "FILE", Values::Files},
    {true, "images", "IMAGE", Values::Files},
    {true, "image", "IMAGE", Values::Files},
    {true, "rule", "RULE", Values::Rules},
};

struct Opt {
  std::vector<std::string> shorts, longs;  // without dashes; both empty for a positional
  std::string positional;                  // its name
  std::string metavar;                     // empty for a flag
  std::string help, def;                   // def: the default shown by --help, if any
  Values values = Values::Free;
  bool repeatable = false, required = false;
};

struct Cmd {
  std::string name, help;  // name is empty for the top level
  std::vector<Opt> opts;   // options first, then positionals, as --help lists them
};

std::vector<Opt> optionsOf(const CLI::App& app, bool withHelp) {
  std::vector<Opt> opts;
  auto all = app.get_options();
  std::stable_partition(all.begin(), all.end(),
                        [](const CLI::Option* o) { return o->nonpositional(); });
  for (const CLI::Option* o : all) {
    if (!withHelp && o == app.get_help_ptr()) continue;
    Opt opt;
    opt.shorts = o->get_snames();
    opt.longs = o->get_lnames();
    if (!o->nonpositional()) opt.positional = o->get_name(true);
    opt.help = o->get_description();
    opt.def = o->get_default_str();
    opt.required = o->get_required();
    opt.repeatable = o->get_items_expected_max() > 1;
    if (o->get_type_size_max() > 0) {
      opt.metavar = o->get_type_name();
      std::string key = opt.longs.empty() ? opt.positional : opt.longs.front();
      for (const auto& s : kValueSpecs)
        if (s.positional == opt.longs.empty() && s.name == key) {
          opt.metavar = s.metavar;
          opt.values = s.values;
        }
    }
    opts.push_back(std::move(opt));
  }
  return opts;
}

// The top level (its own options), then every visible command.
std::vector<Cmd> commandsOf(const CLI::App& root) {
  std::vector<Cmd> cmds;
  cmds.push_back({"", root.get_description(), optionsOf(root, true)});
  for (const CLI::App* sub : root.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_group().empty()) continue;  // hidden, like `generate`
    cmds.push_back({sub->get_name(), sub->get_description(), optionsOf(*sub, false)});
  }
  return cmds;
}

std::vector<std::string> valueList(Values v) {
  std::vector<std::string> out;
  switch (v) {
    case Values::Formats: {
      std::string names = reportFormatNames();  // "text, json, ..."
      for (size_t pos = 0; pos <= names.size();) {
        size_t end = names.find(", ", pos);
        if (end == std::string::npos) end = names.size();
        out.push_back(names.substr(pos, end - pos));
        pos = end + 2;
      }
      break;
    }
    case Values::Profiles:
      out = {"auto"};
      for (Profile p : {Profile::Generic, Profile::Lambda, Profile::Kubernetes, Profile::OpenShift})
        out.push_back(profileName(p));
      break;
    case Values::FailOn:
      for (Severity s : {Severity::Error, Severity::Warning, Severity::Info})
        out.push_back(severityName(s));
      out.push_back("never");
      break;
    case Values::Rules:
      for (const RuleEntry* r : ruleTable()) out.emplace_back(r->id);
      break;
    case Values::Platforms:
      out = {"linux/amd64", "linux/arm64",   "linux/arm/v7", "linux/arm/v6",
             "linux/386",   "linux/ppc64le", "linux/s390x",  "linux/riscv64"};
      break;
    case Values::Free:
    case Values::Files:
      break;
  }
  return out;
}

std::string joined(const std::vector<std::string>& v, const char* sep = " ") {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

std::vector<std::string> optionWords(const Opt& o) {
  std::vector<std::string> w;
  for (const auto& s : o.shorts) w.push_back("-" + s);
  for (const auto& l : o.longs) w.push_back("--" + l);
  return w;
}

// ---- roff ------------------------------------------------------------------------------------

// Plain text: backslashes escaped. Line-start dots and quotes are handled by roffLine.
std::string roffText(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') {
      out += "\\e";
    } else {
      out += c;
    }
  }
  return out;
}

// Literal text (option names, code): hyphens are minus signs, so they copy and paste as '-'.
std::string roffLiteral(std::string_view s) {
  std::string out;
  for (char c : s) out += c == '-' ? std::string("\\-") : roffText(std::string_view(&c, 1));
  return out;
}

// A `code` span in running text: literal, and breakable after each '/' (\: is a zero-width
// break point) so a long path does not overrun a narrow terminal.
std::string roffCode(std::string_view s) {
  std::string out;
  for (char c : s) {
    out += c == '/' ? std::string("/\\:") : roffLiteral(std::string_view(&c, 1));
  }
  return out;
}

// One line of running text: never a request by accident.
std::string roffLine(std::string s) {
  if (!s.empty() && (s[0] == '.' || s[0] == '\'')) s.insert(0, "\\&");
  return s;
}

// Markdown inline spans of the rule docs: `code` and **bold**.
std::string roffInline(std::string_view md) {
  std::string out;
  size_t i = 0;
  while (i < md.size()) {
    if (md[i] == '`') {
      size_t end = md.find('`', i + 1);
      if (end != std::string_view::npos) {
        out += "\\fB" + roffCode(md.substr(i + 1, end - i - 1)) + "\\fR";
        i = end + 1;
        continue;
      }
    }
    if (md.substr(i, 2) == "**") {
      size_t end = md.find("**", i + 2);
      if (end != std::string_view::npos) {
        out += "\\fB" + roffText(md.substr(i + 2, end - i - 2)) + "\\fR";
        i = end + 2;
        continue;
      }
    }
    out += roffText(md.substr(i, 1));
    ++i;
  }
  return out;
}

std::vector<std::string_view> lines(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    out.push_back(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  }
  return out;
}

std::string_view trimLeft(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

// The subset of Markdown the rule docs use: ## headings, paragraphs, "- " lists with indented
// continuation lines, ``` fences, `code`, **bold**. `# ` (the page title) is left to the caller.
void markdownToRoff(const std::vector<std::string_view>& md, std::ostream& out) {
  // A paragraph or list item is joined into one line first, so a `code` span may cross lines.
  std::string text;
  auto flush = [&] {
    if (!text.empty()) out << roffLine(roffInline(text)) << "\n";
    text.clear();
  };
  bool inFence = false;
  for (std::string_view l : md) {
    if (l.starts_with("```")) {
      flush();
      out << (inFence ? ".EE\n.RE\n" : ".PP\n.RS 4\n.EX\n");
      inFence = !inFence;
    } else if (inFence) {
      out << roffLine(roffText(l)) << "\n";
    } else if (l.starts_with("## ")) {
      flush();
      out << ".SS \"" << roffText(l.substr(3)) << "\"\n";
    } else if (l.empty()) {
      flush();
    } else if (l.starts_with("- ")) {
      flush();
      out << ".IP \\(bu 2\n";
      text = l.substr(2);
    } else {
      if (text.empty()) {
        out << ".PP\n";
      } else {
        text += ' ';
      }
      text += trimLeft(l);
    }
  }
  flush();
  if (inFence) out << ".EE\n.RE\n";
}

struct RuleDoc {
  std::string_view id, title, severity;
  std::string profiles;
  std::vector<std::string_view> body;    // after the "# " title and the Severity line
  std::vector<std::string_view> checks;  // the first block of "## What it checks"
};

RuleDoc ruleDoc(const RuleEntry& r) {
  RuleDoc d{r.id, r.title, severityName(r.severity), profilesText(r.profiles), {}, {}};
  auto ls = lines(embeddedFile(r.doc));
  bool inChecks = false, header = true;
  // The page's header (title, severity, profiles) says what the rule's entry says (a test
  // holds them together); the entry is what is printed.
  for (std::string_view l : ls) {
    if (header && (l.starts_with("# ") || l.empty() || l.starts_with("Severity:"))) continue;
    header = false;
    d.body.push_back(l);
    if (l == "## What it checks") {
      inChecks = true;
    } else if (inChecks && l.empty()) {
      inChecks = d.checks.empty();  // the block ends at the first blank line after text
    } else if (inChecks) {
      d.checks.push_back(l);
    }
  }
  return d;
}

std::string optionSynopsis(const Opt& o) {
  if (!o.positional.empty()) {
    std::string s = "\\fI" + roffLiteral(o.metavar) + "\\fR" + (o.repeatable ? "..." : "");
    return o.required ? s : "[" + s + "]";
  }
  std::string s;
  for (const auto& w : optionWords(o))
    s += (s.empty() ? "" : ", ") + ("\\fB" + roffLiteral(w) + "\\fR");
  if (!o.metavar.empty()) s += " \\fI" + roffLiteral(o.metavar) + "\\fR";
  return s;
}

const char* kDescription = R"(permdoctor reads a container image archive (\fBdocker save\fR,
\fBpodman save\fR, skopeo or buildah output, an OCI archive or layout directory, a kaniko
tarball, or a stream on standard input) without a container daemon, applies its layers in memory
the way the runtime does (whiteouts, opaque directories, hardlinks, symlinks), and asks: can the
user that will really run this container read, execute and traverse what it needs?
.PP
Each finding names the rule, the path, the layer and the Dockerfile instruction that caused it,
and a fix. Layer blobs may be uncompressed, gzip or zstd; every blob is verified with SHA\-256
unless \fB\-\-no\-verify\fR is given.
.PP
The runtime identity depends on the profile: \fBgeneric\fR resolves the image's \fBUser\fR
through its own /etc/passwd and /etc/group; \fBlambda\fR is an unknown non-root uid and gid for
which only the "other" permission bits count; \fBkubernetes\fR is like generic with \fB\-\-user\fR
playing runAsUser; \fBopenshift\fR is an arbitrary non-root uid with gid 0. \fBauto\fR (the
default) picks lambda when the entrypoint is /lambda\-entrypoint.sh or the environment sets
LAMBDA_TASK_ROOT, and generic otherwise.
)";

const char* kFiles = R"(.TP
.I .permdoctor.json
Suppressions, read from the working directory unless \fB\-\-config\fR names another file.
Each entry names a rule, and optionally a path glob, a reason and an expiry date; an expired
entry stops suppressing and the report says so. Suppressed findings stay in the JSON report
(\fB"suppressed": true\fR) and are counted in \fBsummary.suppressed\fR.
.PP
.RS 4
.EX
{"ignore": [{"rule": "PD401", "path": "/var/task/vendor/**",
             "reason": "vendored, read via layer",
             "expires": "2027\-01\-31"}]}
.EE
.RE
)";

// An option's --help line as a sentence, with its default and whether it repeats.
std::string optionHelp(const Opt& o) {
  std::string s = roffText(o.help);
  if (!s.empty() && s.back() != '.') s += '.';
  if (!o.def.empty()) s += " Default: \\fB" + roffLiteral(o.def) + "\\fR.";
  if (o.repeatable && o.positional.empty() && o.help.find("repeatable") == std::string::npos)
    s += " Repeatable.";
  return roffLine(s);
}

// Ragged right without hyphenation: paths and option names stay whole and greppable.
// .EE restores hyphenation from the HY register, so zero it as well as saying .nh.
const char* kLayout = ".nr HY 0\n.nh\n.ad l\n";

void writeManPage(const CLI::App& root, std::ostream& out) {
  auto cmds = commandsOf(root);
  out << ".\\\" Generated by `permdoctor generate man` from the command line definition and the\n"
      << ".\\\" rule docs (rules/pdNxx/*.md). Do not edit; change the source and rebuild.\n"
      << ".TH PERMDOCTOR 1 \"\" \"permdoctor " << toolVersion() << "\" \"User Commands\"\n"
      << kLayout << ".SH NAME\n"
      << "permdoctor \\- find why a container image will fail to start, before you push it\n"
      << ".SH SYNOPSIS\n";
  bool first = true;
  for (const auto& c : cmds) {
    if (c.name.empty()) continue;
    out << (first ? "" : ".br\n") << "\\fBpermdoctor " << c.name << "\\fR";
    first = false;
    bool hasOptions = false;
    for (const auto& o : c.opts) hasOptions |= o.positional.empty();
    if (hasOptions) out << " [\\fIOPTIONS\\fR]";
    for (const auto& o : c.opts)
      if (!o.positional.empty()) out << " " << optionSynopsis(o);
    out << "\n";
  }
  out << ".br\n\\fBpermdoctor\\fR \\fB\\-\\-version\\fR | \\fB\\-\\-help\\fR\n"
      << ".SH DESCRIPTION\n"
      << kDescription << ".SH COMMANDS\n";
  for (const auto& c : cmds) {
    if (c.name.empty()) continue;
    out << ".TP\n.B " << c.name << "\n" << roffLine(roffText(c.help)) << "\n";
  }
  out << ".SH OPTIONS\n"
      << "Every command also takes \\fB\\-h\\fR, \\fB\\-\\-help\\fR. Options that take a value "
         "accept it as the next word or after \\fB=\\fR.\n";
  for (const auto& c : cmds) {
    if (c.opts.empty()) continue;
    out << ".SS \"" << (c.name.empty() ? "permdoctor" : "permdoctor " + c.name) << "\"\n";
    for (const auto& o : c.opts)
      out << ".TP\n" << optionSynopsis(o) << "\n" << optionHelp(o) << "\n";
  }
  out << ".SH EXIT STATUS\n"
      << ".TP\n.B 0\nNo unsuppressed finding at or above \\fB\\-\\-fail\\-on\\fR (default "
         "\\fBerror\\fR), or \\fB\\-\\-fail\\-on never\\fR.\n"
      << ".TP\n.B 1\nAt least one unsuppressed finding at or above \\fB\\-\\-fail\\-on\\fR; with "
         "several images, the worst image decides.\n"
      << ".TP\n.B 2\nA usage or input error: one line on standard error naming the file, image "
         "or registry and the problem.\n"
      << ".TP\n.B 3\nAn internal error: a bug in permdoctor, not a problem of the input. Please "
         "report it with the line it printed.\n"
      << ".SH ENVIRONMENT\n"
      << ".TP\n.B NO_COLOR\nWhen set and not empty, the text report has no colours even on a "
         "terminal (unless \\fB\\-\\-color always\\fR).\n"
      << ".TP\n.B FORCE_COLOR\nWhen set, not empty and not 0, the text report on standard output "
         "has colours even when it is not a terminal (unless \\fB\\-\\-color never\\fR).\n"
      << ".TP\n.B TERM\n\\fBdumb\\fR means no colours with \\fB\\-\\-color auto\\fR.\n"
      << ".TP\n.B DOCKER_HOST\nThe Docker Engine socket for \\fBdocker-daemon:\\fR and bare names "
         "(\\fBunix://\\fR only; default /var/run/docker.sock).\n"
      << ".TP\n.B CONTAINER_HOST\nPodman's socket for \\fBpodman:\\fR and bare names; else "
         "$XDG_RUNTIME_DIR/podman/podman.sock, else /run/podman/podman.sock.\n"
      << ".TP\n.B REGISTRY_AUTH_FILE, XDG_RUNTIME_DIR, DOCKER_CONFIG, HOME\nWhere registry "
         "credentials are looked for when \\fB\\-\\-creds\\fR is not given: "
         "$REGISTRY_AUTH_FILE or $XDG_RUNTIME_DIR/containers/auth.json, then "
         "$DOCKER_CONFIG/config.json or ~/.docker/config.json.\n"
      << ".SH FILES\n"
      << kFiles << ".SH EXAMPLES\n";
  for (const auto& e : examples()) {
    out << ".PP\n"
        << roffLine(roffText(e.what)) << "\n.PP\n.RS 4\n.EX\n"
        << roffLiteral(e.command) << "\n.EE\n.RE\n";
  }
  out << ".SH RULES\n"
      << "The rules this build implements (\\fBpermdoctor rules\\fR), with the default severity "
         "and the profiles each applies to. \\fBpermdoctor explain\\fR \\fIRULE\\fR, or "
         "\\fBpermdoctor\\-rules\\fR(7), has each rule's full page: what you see at run time, "
         "why, a bad and a good Dockerfile, and how to suppress it.\n";
  for (const RuleEntry* r : ruleTable()) {
    RuleDoc d = ruleDoc(*r);
    out << ".SS \"" << d.id << " \\- " << roffText(d.title) << "\"\n"
        << "Severity: \\fB" << d.severity << "\\fR. Profiles: " << roffText(d.profiles) << ".\n";
    markdownToRoff(d.checks, out);
  }
  out << ".SH SEE ALSO\n"
      << ".BR permdoctor\\-rules (7),\n.BR docker\\-save (1),\n.BR podman\\-save (1),\n"
      << ".BR skopeo (1)\n";
}

void writeRulesManPage(std::ostream& out) {
  out << ".\\\" Generated by `permdoctor generate man-rules` from the rule docs "
         "(rules/pdNxx/*.md).\n"
      << ".\\\" Do not edit; change the doc page and rebuild.\n"
      << ".TH PERMDOCTOR\\-RULES 7 \"\" \"permdoctor " << toolVersion() << "\" \"permdoctor\"\n"
      << kLayout << ".SH NAME\n"
      << "permdoctor\\-rules \\- what each permdoctor rule checks, why, and how to fix it\n"
      << ".SH DESCRIPTION\n"
      << "One section per rule of \\fBpermdoctor\\fR(1), the same page as \\fBpermdoctor "
         "explain\\fR "
         "\\fIRULE\\fR prints. Rule IDs are a public interface: an ID never changes meaning.\n";
  for (const RuleEntry* r : ruleTable()) {
    RuleDoc d = ruleDoc(*r);
    out << ".SH \"" << d.id << ": " << roffText(d.title) << "\"\n"
        << "Severity: \\fB" << d.severity << "\\fR. Profiles: " << roffText(d.profiles) << ".\n";
    markdownToRoff(d.body, out);
  }
  out << ".SH SEE ALSO\n.BR permdoctor (1)\n";
}

// ---- Shell completions -----------------------------------------------------------------------

std::string shellQuote(std::string_view s) {  // '...' for sh, zsh and fish alike
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string fishQuote(std::string_view s) {  // fish: \' and \\ inside single quotes
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

const char* kGenerated =
    "# Generated by `permdoctor generate %s` from the command line definition; "
    "do not edit.\n";

void header(std::ostream& out, const char* shell) {
  char line[160];
  std::snprintf(line, sizeof line, kGenerated, shell);
  out << line;
}

void writeBash(const CLI::App& root, std::ostream& out) {
  auto cmds = commandsOf(root);
  out << "# bash completion for permdoctor                           -*- shell-script -*-\n";
  header(out, "bash");
  out << "_permdoctor() {\n"
         "  local cur=${COMP_WORDS[COMP_CWORD]} prev='' cmd='' i\n"
         "  ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
         "  # --opt=value: COMP_WORDBREAKS splits it into --opt, = and value.\n"
         "  if [[ $cur == = ]]; then\n"
         "    cur=\n"
         "  elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then\n"
         "    prev=${COMP_WORDS[COMP_CWORD - 2]}\n"
         "  fi\n"
         "  # The command is the first word that is not an option (top-level options take no "
         "value).\n"
         "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "    [[ ${COMP_WORDS[i]} != -* ]] && { cmd=${COMP_WORDS[i]}; break; }\n"
         "  done\n"
         "  COMPREPLY=()\n"
         "  case $cmd in\n";
  for (const auto& c : cmds) {
    out << "  " << (c.name.empty() ? "''" : c.name) << ")\n";
    // Values of the option just typed.
    std::vector<std::string> words;
    if (!c.name.empty()) words = {"-h", "--help"};  // optionsOf leaves it out of commands
    bool anyValue = false;
    std::ostringstream cases;
    for (const auto& o : c.opts) {
      if (!o.positional.empty()) continue;
      for (const auto& w : optionWords(o)) words.push_back(w);
      if (o.metavar.empty()) continue;
      anyValue = true;
      cases << "      " << joined(optionWords(o), "|") << ")\n";
      if (o.values == Values::Files) {
        cases << "        compopt -o filenames 2>/dev/null\n"
                 "        mapfile -t COMPREPLY < <(compgen -f -- \"$cur\")\n";
      } else if (o.values != Values::Free) {
        cases << "        mapfile -t COMPREPLY < <(compgen -W '" << joined(valueList(o.values))
              << "' -- \"$cur\")\n";
      }
      cases << "        return ;;\n";
    }
    if (anyValue) out << "    case $prev in\n" << cases.str() << "    esac\n";
    out << "    if [[ $cur == -* ]]; then\n"
        << "      mapfile -t COMPREPLY < <(compgen -W '" << joined(words) << "' -- \"$cur\")\n"
        << "      return\n    fi\n";
    if (c.name.empty()) {
      std::vector<std::string> names;
      for (const auto& s : cmds)
        if (!s.name.empty()) names.push_back(s.name);
      out << "    mapfile -t COMPREPLY < <(compgen -W '" << joined(names) << "' -- \"$cur\")\n";
    } else {
      for (const auto& o : c.opts) {
        if (o.positional.empty()) continue;
        if (o.values == Values::Files) {
          out << "    compopt -o filenames 2>/dev/null\n"
                 "    mapfile -t COMPREPLY < <(compgen -f -- \"$cur\")\n";
        } else if (o.values != Values::Free) {
          out << "    mapfile -t COMPREPLY < <(compgen -W '" << joined(valueList(o.values))
              << "' -- \"$cur\")\n";
        }
        break;  // one positional kind per command
      }
    }
    out << "    ;;\n";
  }
  out << "  esac\n"
         "}\n"
         "complete -F _permdoctor permdoctor\n";
}

// zsh _arguments specs: [descriptions] escape ], \ and :, and the whole spec is single-quoted.
std::string zshDesc(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ']' || c == '[' || c == '\\' || c == ':') out += '\\';
    out += c;
  }
  return out;
}

// The message field between colons: only colons (and backslashes) are special there.
std::string zshMessage(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == ':') out += '\\';
    out += c;
  }
  return out;
}

std::string zshAction(const Opt& o) {
  switch (o.values) {
    case Values::Files:
      return "_files";
    case Values::Free:
      return " ";
    case Values::Rules:
      return "_permdoctor_rules";
    default:
      return "(" + joined(valueList(o.values)) + ")";
  }
}

void writeZsh(const CLI::App& root, std::ostream& out) {
  auto cmds = commandsOf(root);
  out << "#compdef permdoctor\n";
  header(out, "zsh");
  out << "\n_permdoctor_rules() {\n  local -a rules=(\n";
  for (const RuleEntry* r : ruleTable())
    out << "    " << shellQuote(std::string(r->id) + ":" + std::string(r->title)) << "\n";
  out << "  )\n  _describe -t rules 'rule' rules\n}\n\n";
  out << "_permdoctor() {\n"
         "  local curcontext=$curcontext state line ret=1\n"
         "  typeset -A opt_args\n";
  auto specs = [&](const Cmd& c, const char* indent) {
    std::string s;
    for (const auto& o : c.opts) {
      std::string action = zshAction(o);
      if (!o.positional.empty()) {
        s += std::string(indent) +
             shellQuote(std::string(o.repeatable ? "*" : "1") + ":" + zshMessage(o.metavar) + ":" +
                        action) +
             " \\\n";
        continue;
      }
      auto words = optionWords(o);
      std::string exclusive = o.repeatable       ? "*"
                              : words.size() > 1 ? "(" + joined(words) + ")"
                                                 : "";
      bool exits = o.longs.size() == 1 && (o.longs[0] == "help" || o.longs[0] == "version");
      if (exits) exclusive = "(- *)";
      std::string tail = "[" + zshDesc(o.help) + "]";
      if (!o.metavar.empty()) tail += ":" + zshMessage(o.metavar) + ":" + action;
      for (const auto& w : words) {
        std::string name = w + (o.metavar.empty() || w.size() == 2 ? "" : "=");
        s += std::string(indent) + shellQuote(exclusive + name + tail) + " \\\n";
      }
    }
    return s;
  };
  out << "  _arguments -C \\\n"
      << specs(cmds[0], "    ")
      << "    '1:command:->command' \\\n"
         "    '*::argument:->argument' && ret=0\n"
         "  case $state in\n"
         "  command)\n"
         "    local -a commands=(\n";
  for (const auto& c : cmds)
    if (!c.name.empty()) out << "      " << shellQuote(c.name + ":" + c.help) << "\n";
  out << "    )\n"
         "    _describe -t commands 'permdoctor command' commands && ret=0\n"
         "    ;;\n"
         "  argument)\n"
         "    curcontext=${curcontext%:*:*}:permdoctor-$line[1]:\n"
         "    case $line[1] in\n";
  for (const auto& c : cmds) {
    if (c.name.empty()) continue;
    std::string sp = specs(c, "          ");
    out << "      " << c.name << ")\n"
        << "        _arguments -s -S \\\n"
        << "          '(- *)'{-h,--help}'[Print this help message and exit]'"
        << (sp.empty() ? "" : " \\\n" + sp.substr(0, sp.size() - 3)) << " && ret=0\n";
    out << "        ;;\n";
  }
  out << "    esac\n"
         "    ;;\n"
         "  esac\n"
         "  return ret\n"
         "}\n\n"
         "_permdoctor \"$@\"\n";
}

void writeFish(const CLI::App& root, std::ostream& out) {
  auto cmds = commandsOf(root);
  std::vector<std::string> names;
  for (const auto& c : cmds)
    if (!c.name.empty()) names.push_back(c.name);
  header(out, "fish");
  out << "complete -c permdoctor -f\n";
  std::string top = "not __fish_seen_subcommand_from " + joined(names);
  for (const auto& c : cmds) {
    std::string cond = c.name.empty() ? top : "__fish_seen_subcommand_from " + c.name;
    std::string prefix = "complete -c permdoctor -n " + fishQuote(cond);
    if (c.name.empty()) {
      for (const auto& s : cmds)
        if (!s.name.empty())
          out << prefix << " -a " << s.name << " -d " << fishQuote(s.help) << "\n";
    } else {
      out << prefix << " -s h -l help -d 'Print this help message and exit'\n";
    }
    for (const auto& o : c.opts) {
      if (!o.positional.empty()) {
        if (o.values == Values::Files) {
          out << prefix << " -F\n";
        } else if (o.values == Values::Rules) {
          for (const RuleEntry* r : ruleTable())
            out << prefix << " -a " << r->id << " -d " << fishQuote(r->title) << "\n";
        }
        continue;
      }
      out << prefix;
      for (const auto& s : o.shorts) out << " -s " << s;
      for (const auto& l : o.longs) out << " -l " << l;
      if (o.values == Values::Files) {
        out << " -r -F";
      } else if (!o.metavar.empty()) {
        out << " -x";
        auto vals = valueList(o.values);
        if (!vals.empty()) out << " -a " << fishQuote(joined(vals));
      }
      out << " -d " << fishQuote(o.help) << "\n";
    }
  }
}

struct GenerateArgs {
  std::string what, output;
};

}  // namespace

CommandRun setupGenerate(CLI::App& sub) {
  auto a = std::make_shared<GenerateArgs>();
  sub.add_option("what", a->what, "man, man-rules, bash, zsh or fish")->required();
  sub.add_option("-o,--output", a->output, "Write to this file instead of standard output");
  const CLI::App* root = sub.get_parent();
  return [a, root] {
    std::ostringstream text;
    if (a->what == "man") {
      writeManPage(*root, text);
    } else if (a->what == "man-rules") {
      writeRulesManPage(text);
    } else if (a->what == "bash") {
      writeBash(*root, text);
    } else if (a->what == "zsh") {
      writeZsh(*root, text);
    } else if (a->what == "fish") {
      writeFish(*root, text);
    } else {
      throw UsageError("generate " + a->what + ": expected man, man-rules, bash, zsh or fish");
    }
    if (a->output.empty()) {
      std::cout << text.str();
      return 0;
    }
    std::ofstream file(a->output, std::ios::binary);
    if (!(file << text.str()) || !file.flush())
      throw UsageError("--output " + a->output + ": cannot write");
    return 0;
  };
}

}  // namespace pd
