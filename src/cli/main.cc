// permdoctor: the command boundary. Exceptions from inside become one line on stderr and exit 2
// (bad input or usage), or 3 for an internal error (a bug of ours).
#include <malloc.h>

#include <clocale>
#include <iostream>
#include <regex>
#include <string>

#include "cli/commands.h"
#include "common/error.h"
#include "common/text.h"
#include "report/report.h"

namespace {

const pd::Command kCommands[] = {
    {"lint", "Lint an image archive: can the runtime user start and run it?", pd::setupLint},
    {"inspect", "Show the merged filesystem the runtime will see", pd::setupInspect},
    {"fix", "Print a patch to the Dockerfile that fixes the findings it can", pd::setupFix},
    {"rules", "List the rules", pd::setupRules},
    {"explain", "Show a rule's documentation", pd::setupExplain},
};

// The --help footer: the examples of `command` (all of them for the top level; the man page's
// EXAMPLES come from the same table) and its exit status.
std::string helpFooter(std::string_view command = {}) {
  std::string s;
  for (const auto& e : pd::examples()) {
    std::string_view c = e.command;
    std::string word = "permdoctor " + std::string(command);
    size_t at = c.find(word);
    bool mine = command.empty() || (at != std::string_view::npos &&
                                    (at + word.size() == c.size() || c[at + word.size()] == ' '));
    if (mine) s += std::string("  ") + e.command + "\n";
  }
  if (!s.empty()) s = "\nExamples:\n" + s;
  if (command.empty() || command == "lint")
    s += "\nExit status: 0 no finding at or above --fail-on, 1 at least one, 2 usage or input "
         "error, 3 a bug in permdoctor.\n";
  else
    s += "\nExit status: 0 done, 2 usage or input error, 3 a bug in permdoctor.\n";
  return s;
}

// CLI11's "--format: 1 required TEXT missing", in the project's words.
std::string parseErrorText(const std::string& what) {
  static const std::regex missing(R"(^(\S+): \d+ required \S+ missing$)");
  std::smatch m;
  if (std::regex_match(what, m, missing)) return m[1].str() + " needs a value";
  return what;
}

}  // namespace

namespace pd {

std::span<const Example> examples() {
  static const Example kExamples[] = {
      {"docker save app:latest | permdoctor lint -",
       "Lint an image straight from the Docker daemon, in one pass over the stream."},
      {"permdoctor lint image.tar --format json > report.json",
       "Write the versioned JSON report (docs/report.schema.json) for a dashboard."},
      {"permdoctor lint oci-dir/ --profile kubernetes --user 1000:1000",
       "Lint an OCI layout directory as a Kubernetes pod with runAsUser 1000 would run it."},
      {"permdoctor lint multi.tar --platform linux/arm64 --fail-on warning",
       "Pick the arm64 image of an index and fail on warnings too."},
      {"permdoctor inspect image.tar",
       "List the merged filesystem: mode, owner, size and layer of every path."},
      {"permdoctor lint image.tar --dockerfile Dockerfile --format sarif -o results.sarif",
       "Put each finding on the Dockerfile line that caused it, for code scanning."},
      {"permdoctor fix image.tar --dockerfile Dockerfile | patch -p0",
       "Fix in the Dockerfile what the findings' source lines did (--write edits it in place)."},
      {"permdoctor explain PD401", "Show what rule PD401 checks, why, and how to fix it."},
  };
  return kExamples;
}

}  // namespace pd

int main(int argc, char** argv) {
  std::setlocale(LC_ALL, "C");
#ifdef M_ARENA_MAX
  // Layer records are built on pool threads and kept until the image is assembled; an arena per
  // thread kept ~12 % more memory resident on the benchmark image for no measurable speed.
  mallopt(M_ARENA_MAX, 1);
#endif
  CLI::App app{"permdoctor: find why a container image will fail to start, before you push it"};
  app.footer(helpFooter());
  app.set_version_flag("--version", std::string("permdoctor ") + pd::toolVersion());
  app.require_subcommand(1);
  std::vector<std::pair<CLI::App*, pd::CommandRun>> runs;
  for (const auto& c : kCommands) {
    CLI::App* sub = app.add_subcommand(c.name, c.help);
    sub->footer(helpFooter(c.name));
    runs.emplace_back(sub, c.setup(*sub));
  }
  // Build-time only (man pages, completions): an empty group hides it from --help.
  CLI::App* gen = app.add_subcommand("generate", "Write a man page or a shell completion script");
  gen->group("");
  runs.emplace_back(gen, pd::setupGenerate(*gen));
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // CLI11 calls an unknown first word "A subcommand is required": name it instead.
    std::string names;
    bool known = argc > 1 && std::string_view(argv[1]) == "generate";
    for (const auto& c : kCommands) {
      names += (names.empty() ? "" : ", ") + std::string(c.name);
      known = known || (argc > 1 && std::string_view(argv[1]) == c.name);
    }
    if (argc > 1 && argv[1][0] != '-' && !known) {
      std::cerr << "permdoctor: unknown command \"" << pd::escapeControl(argv[1])
                << "\": expected one of " << names << " (see permdoctor --help)\n";
      return 2;
    }
    std::cerr << "permdoctor: " << parseErrorText(e.what()) << " (see permdoctor --help)\n";
    return 2;
  }
  try {
    for (auto& [sub, run] : runs)
      if (sub->parsed()) return run();
  } catch (const pd::InputError& e) {
    std::cerr << "permdoctor: " << pd::escapeControl(e.what()) << "\n";
    return 2;
  } catch (const pd::UsageError& e) {
    std::cerr << "permdoctor: " << pd::escapeControl(e.what()) << "\n";
    return 2;
  } catch (const std::bad_alloc&) {
    std::cerr << "permdoctor: out of memory\n";
    return 2;
  } catch (const std::exception& e) {
    // Anything else is a bug of ours, not a bad input: its own status, so that a CI can tell.
    std::cerr << "permdoctor: internal error (please report it): " << pd::escapeControl(e.what())
              << "\n";
    return pd::kExitInternalError;
  } catch (...) {
    std::cerr << "permdoctor: internal error (please report it)\n";
    return pd::kExitInternalError;
  }
  return 2;
}
