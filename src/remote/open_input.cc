#include "remote/open_input.h"

#include <filesystem>

#include "common/error.h"
#include "remote/engine_api.h"

namespace pd {
namespace {

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Names people give files, never images: a missing one is a missing file, not a pull.
bool looksLikeFile(const std::string& s) {
  if (s.empty() || s[0] == '/' || s[0] == '.' || s[0] == '~') return true;
  for (const char* ext :
       {".tar", ".tar.gz", ".tgz", ".tar.zst", ".tar.zstd", ".gz", ".zst", ".oci"})
    if (endsWith(s, ext)) return true;
  return false;
}

ImageReference requireReference(const std::string& text, const std::string& input) {
  auto r = parseReference(text);
  if (!r)
    throw UsageError(input + ": not an image reference ([HOST[:PORT]/]REPO[:TAG][@sha256:DIGEST])");
  return *r;
}

// An engine names its images as the user tagged them; the reference is only checked. Without a
// tag or digest it means :latest, as `docker run` reads it: the export of a bare repository name
// would hold every tag of it.
std::string engineName(const std::string& text, const std::string& input) {
  requireReference(text, input);
  std::string last = text.substr(text.rfind('/') == std::string::npos ? 0 : text.rfind('/') + 1);
  return last.find_first_of(":@") == std::string::npos ? text + ":latest" : text;
}

}  // namespace

std::unique_ptr<Container> openInput(const std::string& input, const RemoteOptions& o) {
  std::error_code ec;
  if (input == "-" || std::filesystem::exists(input, ec)) return openContainer(input);
  if (input.rfind("docker://", 0) == 0)
    return openRegistry(requireReference(input.substr(9), input), o.registry);
  if (input.rfind("docker-daemon:", 0) == 0)
    return openEngineImage(Engine::Docker, dockerSocket(o.dockerHost),
                           engineName(input.substr(14), input));
  if (input.rfind("podman:", 0) == 0)
    return openEngineImage(Engine::Podman, podmanSocket(o.containerHost, o.xdgRuntimeDir),
                           engineName(input.substr(7), input));
  auto ref = parseReference(input);
  if (!ref || looksLikeFile(input)) throw InputError(input, "no such file or directory");
  std::string why;
  for (Engine e : {Engine::Docker, Engine::Podman}) {
    try {
      std::string sock = e == Engine::Docker ? dockerSocket(o.dockerHost)
                                             : podmanSocket(o.containerHost, o.xdgRuntimeDir);
      return openEngineImage(e, sock, engineName(input, input));
    } catch (const SourceUnavailable& u) {
      std::string m = u.what();
      why += (why.empty() ? "" : "; ") + m.substr(m.find(": ") + 2);
    }
  }
  try {
    return openRegistry(*ref, o.registry);
  } catch (const InputError& e) {
    throw InputError(input, "not a file, and no engine or registry has it (" + why +
                                "; registry: " + std::string(e.what()) + ")");
  }
}

}  // namespace pd
