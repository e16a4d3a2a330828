#include "fs/image.h"

namespace pd {

std::optional<std::string> Image::env(const std::string& name) const {
  std::optional<std::string> v;
  for (const auto& e : config.env) {
    if (e.size() > name.size() && e.compare(0, name.size(), name) == 0 && e[name.size()] == '=')
      v = e.substr(name.size() + 1);  // the last one wins, as in the runtime
    else if (e == name)
      v = "";
  }
  return v;
}

const std::string& Image::createdBy(int layer) const {
  static const std::string empty;
  return layer >= 0 && static_cast<size_t>(layer) < layers.size() ? layers[layer].createdBy : empty;
}

}  // namespace pd
