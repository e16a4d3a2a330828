// The rule table: the one place rules are registered. Adding a rule = its source file and doc
// page under rules/pdNxx/, fixtures under fixtures/images/, and one row here.
#include "engine/rule_table.h"

#include "rules/rules.h"

namespace pd {

namespace {
using S = Severity;
const RuleEntry kRules[] = {
    // PD1xx: file modes on the run path
    {"PD101", S::Error, "The program the container starts does not exist", "pd1xx/PD101.md",
     makePD101},
    {"PD102", S::Error, "The runtime user cannot execute the start program", "pd1xx/PD102.md",
     makePD102},
    {"PD103", S::Error, "The start script's interpreter is missing or broken", "pd1xx/PD103.md",
     makePD103},
    {"PD104", S::Error, "Start binary is for the wrong machine or lacks its loader",
     "pd1xx/PD104.md", makePD104},
    {"PD105", S::Error, "Application files the runtime identity cannot read", "pd1xx/PD105.md",
     makePD105},
    {"PD106", S::Warning, "World-writable path without the sticky bit", "pd1xx/PD106.md",
     makePD106},
    {"PD107", S::Info, "Setuid or setgid file", "pd1xx/PD107.md", makePD107},
    {"PD108", S::Warning, "Symlink loop or a chain of more than 40 links", "pd1xx/PD108.md",
     makePD108},
    // PD2xx: the USER
    {"PD201", S::Warning, "The container runs as root", "pd2xx/PD201.md", makePD201},
    {"PD202", S::Error, "USER names a user or group the image does not define", "pd2xx/PD202.md",
     makePD202},
    {"PD203", S::Warning, "USER is a name, not a numeric uid", "pd2xx/PD203.md", makePD203},
    {"PD204", S::Warning, "The runtime user's home is missing or not writable", "pd2xx/PD204.md",
     makePD204},
    {"PD205", S::Warning, "OpenShift: app directories are not group-0-writable", "pd2xx/PD205.md",
     makePD205},
    {"PD206", S::Error, "An account in /etc/shadow has an empty password", "pd2xx/PD206.md",
     makePD206},
    {"PD207", S::Warning, "Duplicate uid in /etc/passwd or gid in /etc/group", "pd2xx/PD207.md",
     makePD207},
    // PD3xx: leftovers
    {"PD301", S::Warning, "Build toolchain left in the final image", "pd3xx/PD301.md", makePD301},
    {"PD302", S::Warning, "Package caches and build leftovers in the image", "pd3xx/PD302.md",
     makePD302},
    {"PD303", S::Error, "Secret material in the final filesystem", "pd3xx/PD303.md", makePD303},
    {"PD304", S::Error, "Secret deleted by a later layer is still in the image", "pd3xx/PD304.md",
     makePD304},
    {"PD305", S::Error, "Secret-looking value in the image's Env", "pd3xx/PD305.md", makePD305},
    {"PD306", S::Warning, "Wasted bytes: content overwritten or deleted by later layers",
     "pd3xx/PD306.md", makePD306},
    {"PD307", S::Warning, "chmod/chown layer duplicates files it only re-moded", "pd3xx/PD307.md",
     makePD307},
    // PD4xx: AWS Lambda
    {"PD401", S::Error, "Lambda cannot read a file or traverse a directory of the function",
     "pd4xx/PD401.md", makePD401},
    {"PD402", S::Error, "Lambda: a program Lambda starts is not executable", "pd4xx/PD402.md",
     makePD402},
    {"PD403", S::Error, "Lambda: the handler or bootstrap cannot be found", "pd4xx/PD403.md",
     makePD403},
    {"PD404", S::Error, "Lambda: image platform is not linux/amd64 or linux/arm64",
     "pd4xx/PD404.md", makePD404},
    {"PD405", S::Error, "Lambda: uncompressed image larger than 10 GiB", "pd4xx/PD405.md",
     makePD405},
    {"PD406", S::Error, "Lambda: image index or attestation manifests", "pd4xx/PD406.md",
     makePD406},
    {"PD407", S::Warning, "Lambda: the entrypoint is a symlink", "pd4xx/PD407.md", makePD407},
    {"PD408", S::Warning, "Lambda: tool caches the Lambda user cannot reach", "pd4xx/PD408.md",
     makePD408},
    {"PD409", S::Warning, "Lambda: image Env sets a key Lambda reserves", "pd4xx/PD409.md",
     makePD409},
    // PD5xx: image format
    {"PD501", S::Info, "Manifest media types and manifest digest", "pd5xx/PD501.md", makePD501},
    {"PD502", S::Warning, "Layer tar entry escapes the image root", "pd5xx/PD502.md", makePD502},
};
}  // namespace

std::span<const RuleEntry> ruleTable() {
  return kRules;
}

const RuleEntry* findRule(std::string_view id) {
  for (const auto& r : kRules)
    if (r.id == id) return &r;
  return nullptr;
}

}  // namespace pd
