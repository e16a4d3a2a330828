// What the image's own distribution offers to fix it with, for fix texts to paste: its user
// tool and its package manager. Fixes written for the wrong one fail (Debian's adduser refuses
// busybox's -D; there is no apt-get on Alpine).
#pragma once

#include <cstdint>
#include <string>

#include "fs/image.h"

namespace pd {

// The Dockerfile line that adds user `name` (and its group) with uid and gid `id`, with the tool
// the image has: shadow's useradd (Debian, Ubuntu, RHEL), busybox's adduser (Alpine; Debian's own
// adduser is another program, which refuses busybox's options), or, with neither, the passwd and
// group entries themselves. "" when the image has no shell, or no /etc/passwd to add to.
std::string userCreation(const Image& img, uint32_t id, const std::string& name);
// The same for group `name` alone.
std::string groupCreation(const Image& img, uint32_t id, const std::string& name);

// The Dockerfile line that installs package `name` with the image's package manager (apk,
// apt-get with its lists removed in the same RUN, microdnf, dnf, yum), or "" when it has none.
std::string packageInstall(const Image& img, const std::string& name);

}  // namespace pd
