#include "engine/evidence.h"

#include <nlohmann/json.hpp>

namespace pd {

Evidence::Evidence() = default;
Evidence::Evidence(const Evidence& other)
    : j_(other.j_ ? std::make_unique<nlohmann::json>(*other.j_) : nullptr) {}
Evidence::Evidence(Evidence&&) noexcept = default;
Evidence& Evidence::operator=(const Evidence& other) {
  if (this != &other) j_ = other.j_ ? std::make_unique<nlohmann::json>(*other.j_) : nullptr;
  return *this;
}
Evidence& Evidence::operator=(Evidence&&) noexcept = default;
Evidence::~Evidence() = default;

Evidence& Evidence::operator=(nlohmann::json value) {
  json() = std::move(value);
  return *this;
}

nlohmann::json& Evidence::operator[](const std::string& key) {
  return json()[key];
}

const nlohmann::json& Evidence::json() const {
  static const nlohmann::json kEmpty = nlohmann::json::object();  // immutable
  return j_ ? *j_ : kEmpty;
}

nlohmann::json& Evidence::json() {
  if (!j_) j_ = std::make_unique<nlohmann::json>(nlohmann::json::object());
  return *j_;
}

}  // namespace pd
