// Shared by the fuzz targets: the capture policy and read limits every target uses, and the one
// rule about exceptions. InputError and UsageError are the documented outcomes for bad input;
// anything else escaping (std::exception, nlohmann's exceptions, bad_alloc) is a bug, and
// libFuzzer reports it as a crash because it is not caught here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "layout/reader.h"

namespace pd::fuzz {

// Read limits that keep a run inside -rss_limit_mb and -timeout: a legitimate but huge input is
// refused by the caps the CLI offers (--max-bytes, --max-entries), which is a correct outcome.
ReadOptions fuzzReadOptions();

// Lints the image with every profile-independent rule (the profile "auto" and one explicit user).
void lintAll(const Image& img);

// Runs `body`, swallowing only the documented input errors.
void expectOnlyInputErrors(const std::function<void()>& body);

}  // namespace pd::fuzz
