// The one place that decides what an input names: a path (file, "-", OCI layout directory), a
// registry (`docker://`), an engine (`docker-daemon:`, `podman:`), or a bare image name.
#pragma once

#include <memory>
#include <string>

#include "remote/registry.h"
#include "source/container.h"

namespace pd {

struct RemoteOptions {
  RegistryOptions registry;
  std::string dockerHost;     // $DOCKER_HOST
  std::string containerHost;  // $CONTAINER_HOST
  std::string xdgRuntimeDir;  // $XDG_RUNTIME_DIR
};

// An existing path always wins. Then `docker://REF`, `docker-daemon:NAME[:TAG]`,
// `podman:NAME[:TAG]`; a bare NAME[:TAG] that is a valid reference and does not look like a file
// name tries the Docker daemon, then Podman, then the registry, and the first that has it
// answers (Image::format says which). Throws InputError or UsageError with one line.
std::unique_ptr<Container> openInput(const std::string& input, const RemoteOptions& options);

}  // namespace pd
