// A finding's evidence: the JSON object a rule writes for the report ({"mode": "0600", ...}).
// Held behind a pointer so that the engine, the text reports and the CLI, which only pass it on,
// need json_fwd.hpp, not json.hpp; a rule that writes evidence includes json.hpp itself.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace pd {

class Evidence {
 public:
  Evidence();  // an empty object (allocated on first write)
  Evidence(const Evidence& other);
  Evidence(Evidence&&) noexcept;
  Evidence& operator=(const Evidence& other);
  Evidence& operator=(Evidence&&) noexcept;
  ~Evidence();

  // f.evidence = {{"mode", "0600"}, {"uid", 0}};
  Evidence& operator=(nlohmann::json value);
  // f.evidence["blockedBy"] = "/app";
  nlohmann::json& operator[](const std::string& key);

  const nlohmann::json& json() const;
  nlohmann::json& json();

 private:
  std::unique_ptr<nlohmann::json> j_;  // null: an empty object (also after a move)
};

}  // namespace pd
