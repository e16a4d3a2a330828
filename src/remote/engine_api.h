// Images kept by a container engine, read through its API socket and streamed straight into the
// tar reader, nothing written to disk: `GET /images/get?names=NAME`, the Engine API's
// `docker save` export that Podman's compat API serves too; for what Podman cannot write into a
// docker archive (zstd layers), its own API's OCI archive.
#pragma once

#include <memory>
#include <string>

#include "common/error.h"
#include "source/container.h"

namespace pd {

enum class Engine { Docker, Podman };

// The engine is not there or does not have the image: a bare NAME then tries the next source.
class SourceUnavailable : public InputError {
 public:
  using InputError::InputError;
};

// The Docker socket from $DOCKER_HOST ("unix:///path"; "" = /var/run/docker.sock). Throws
// UsageError for a tcp:// or ssh:// host, which is not supported.
std::string dockerSocket(const std::string& dockerHost);
// Podman's socket: $CONTAINER_HOST (unix://), else $XDG_RUNTIME_DIR/podman/podman.sock, else
// /run/podman/podman.sock.
std::string podmanSocket(const std::string& containerHost, const std::string& xdgRuntimeDir);

// Streams image `name` from the engine listening on `socket`. Throws SourceUnavailable when the
// socket does not answer or the engine has no such image, InputError for a broken export.
std::unique_ptr<Container> openEngineImage(Engine engine, const std::string& socket,
                                           const std::string& name);

const char* engineName(Engine engine);  // "Docker daemon", "Podman"

}  // namespace pd
