// Who really runs the container (the catalog's runtime identity) and under which profile.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/accounts.h"
#include "fs/image.h"

namespace pd {

enum class Profile { Generic, Lambda, Kubernetes, OpenShift };
const char* profileName(Profile p);
// Parses auto|generic|lambda|kubernetes|openshift; `isAuto` set for "auto".
bool parseProfile(const std::string& s, Profile& out, bool& isAuto);
// The catalog's detection: Lambda when the entrypoint is /lambda-entrypoint.sh or the env has
// LAMBDA_TASK_ROOT; generic otherwise.
Profile detectProfile(const Image& img);

struct Identity {
  uint32_t uid = 0, gid = 0;
  std::vector<uint32_t> groups;  // supplementary gids
  bool otherOnly = false;        // owns nothing and is in no group: only "other" bits count
  std::string userName;          // from /etc/passwd, when known
  std::string home;              // from /etc/passwd, when known
  std::string configUser;        // the config's User as written
  bool overridden = false;       // uid set by --user, not by the config User
  bool unresolved = false;       // User names a user or group the image does not define
  std::string unresolvedWhat;    // "user app" / "group staff"
  std::string description;       // for reports: "uid 1000 (app), gid 1000, groups 27"

  bool isRoot() const { return uid == 0 && !otherOnly; }
  bool inGroup(uint32_t g) const;
};

struct IdentityOverride {
  std::optional<uint32_t> uid, gid;  // --user UID[:GID]
};
// Parses "UID[:GID]"; throws UsageError on anything else.
IdentityOverride parseUserOverride(const std::string& s);

Identity resolveIdentity(const Image& img, const Accounts& accounts, Profile profile,
                         const IdentityOverride& override);

// A USER value ("app", "10001:10001", "app:staff") resolved through the image's accounts as
// runc does; what resolveIdentity() does with the config's User outside Lambda and OpenShift,
// and what a start script's `gosu app` means.
Identity identityOfUser(const std::string& user, const Accounts& accounts);

}  // namespace pd
