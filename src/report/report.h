// Reporters print a finished lint result; they never decide anything. One file per format.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "fs/image.h"

namespace pd {

// One linted image and its result: what every reporter receives.
struct ImageReport {
  const Image* image;
  LintResult result;
};

constexpr int kSchemaVersion = 1;
const char* toolVersion();

// The versioned JSON report (docs/report.schema.json describes it).
nlohmann::json jsonReport(const std::vector<ImageReport>& reports);
void writeJson(std::ostream& out, const std::vector<ImageReport>& reports);

struct TextStyle {
  bool colour = false;
};
void writeText(std::ostream& out, const std::vector<ImageReport>& reports, const TextStyle& style);

// JSON for one layer reference, or null.
nlohmann::json layerJson(const Image& img, int layer);

}  // namespace pd
