// The image config document (OCI image config / Docker image JSON).
#pragma once

#include <string>

#include "fs/image.h"

namespace pd {

// Throws InputError naming `where` when the document is not a config.
ImageConfig parseConfig(const std::string& text, const std::string& where);

}  // namespace pd
