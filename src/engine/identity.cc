#include "engine/identity.h"

#include <algorithm>

#include "common/error.h"

namespace pd {

const char* profileName(Profile p) {
  switch (p) {
    case Profile::Generic:
      return "generic";
    case Profile::Lambda:
      return "lambda";
    case Profile::Kubernetes:
      return "kubernetes";
    case Profile::OpenShift:
      return "openshift";
  }
  return "?";
}

bool parseProfile(const std::string& s, Profile& out, bool& isAuto) {
  isAuto = s == "auto";
  if (isAuto || s == "generic")
    out = Profile::Generic;
  else if (s == "lambda")
    out = Profile::Lambda;
  else if (s == "kubernetes")
    out = Profile::Kubernetes;
  else if (s == "openshift")
    out = Profile::OpenShift;
  else
    return false;
  return true;
}

Profile detectProfile(const Image& img) {
  const auto& ep = img.config.entrypoint;
  if (!ep.empty() && ep.front() == "/lambda-entrypoint.sh") return Profile::Lambda;
  if (img.env("LAMBDA_TASK_ROOT")) return Profile::Lambda;
  return Profile::Generic;
}

bool Identity::inGroup(uint32_t g) const {
  return !otherOnly && (g == gid || std::find(groups.begin(), groups.end(), g) != groups.end());
}

IdentityOverride parseUserOverride(const std::string& s) {
  IdentityOverride o;
  auto colon = s.find(':');
  o.uid = parseId(s.substr(0, colon));
  if (!o.uid) throw UsageError("--user " + s + ": expected UID[:GID] with numeric ids");
  if (colon != std::string::npos) {
    o.gid = parseId(s.substr(colon + 1));
    if (!o.gid) throw UsageError("--user " + s + ": expected UID[:GID] with numeric ids");
  }
  return o;
}

namespace {

void describe(Identity& id) {
  if (id.otherOnly) {
    id.description = "an unknown non-root uid and gid (only \"other\" permission bits apply)";
    return;
  }
  id.description = "uid " + std::to_string(id.uid);
  if (!id.userName.empty()) id.description += " (" + id.userName + ")";
  id.description += ", gid " + std::to_string(id.gid);
  if (!id.groups.empty()) {
    id.description += ", groups";
    for (auto g : id.groups) id.description += " " + std::to_string(g);
  }
}

void addSupplementary(Identity& id, const Accounts& acc) {
  if (id.userName.empty()) return;
  for (const auto& g : acc.groups)
    if (std::find(g.members.begin(), g.members.end(), id.userName) != g.members.end() &&
        g.gid != id.gid && std::find(id.groups.begin(), id.groups.end(), g.gid) == id.groups.end())
      id.groups.push_back(g.gid);
}

}  // namespace

Identity resolveIdentity(const Image& img, const Accounts& acc, Profile profile,
                         const IdentityOverride& ov) {
  Identity id;
  id.configUser = img.config.user;
  if (profile == Profile::Lambda && !ov.uid) {
    id.uid = 993;  // Lambda's sandbox user: a uid the image does not know
    id.gid = 990;
    id.otherOnly = true;
    describe(id);
    return id;
  }
  if (profile == Profile::OpenShift && !ov.uid) {
    // The restricted SCC picks a uid from the namespace range; the primary group is always 0.
    id.uid = 1000680000;
    id.gid = 0;
    describe(id);
    id.description += " (OpenShift arbitrary uid)";
    return id;
  }
  if (ov.uid) {
    id.overridden = true;
    id.uid = *ov.uid;
    const PasswdEntry* p = acc.userById(id.uid);
    if (p) {
      id.userName = p->name;
      id.home = p->home;
    }
    id.gid = ov.gid ? *ov.gid : (p ? p->gid : 0);
    addSupplementary(id, acc);
    describe(id);
    return id;
  }

  id = identityOfUser(img.config.user, acc);
  id.configUser = img.config.user;
  return id;
}

Identity identityOfUser(const std::string& u, const Accounts& acc) {
  Identity id;
  std::string userPart = u.substr(0, u.find(':'));
  std::string groupPart = u.find(':') == std::string::npos ? "" : u.substr(u.find(':') + 1);
  const PasswdEntry* p = nullptr;
  if (userPart.empty()) {
    id.uid = 0;
    p = acc.userById(0);
  } else if (auto n = parseId(userPart)) {
    id.uid = *n;
    p = acc.userById(*n);
  } else {
    p = acc.userByName(userPart);
    if (!p) {
      id.unresolved = true;
      id.unresolvedWhat = "user " + userPart;
      // The container would not start; judge permissions as a stranger to avoid cascades.
      id.uid = 65534;
      id.gid = 65534;
      id.otherOnly = true;
    } else {
      id.uid = p->uid;
    }
  }
  if (p) {
    id.userName = p->name;
    id.home = p->home;
    id.gid = p->gid;
  }
  if (!groupPart.empty()) {
    if (auto g = parseId(groupPart)) {
      id.gid = *g;
    } else if (const GroupEntry* ge = acc.groupByName(groupPart)) {
      id.gid = ge->gid;
    } else if (!id.unresolved) {
      id.unresolved = true;
      id.unresolvedWhat = "group " + groupPart;
    }
  }
  // As runc/moby's GetExecUser: the /etc/group member lists only add supplementary groups in
  // the implicit form (`USER app`, `USER 10001`); `USER app:staff` gets exactly that group.
  if (!id.otherOnly && groupPart.empty()) addSupplementary(id, acc);
  describe(id);
  return id;
}

}  // namespace pd
