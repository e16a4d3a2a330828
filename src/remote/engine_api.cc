#include "remote/engine_api.h"

#include <sys/stat.h>

#include "common/json.h"
#include "remote/http.h"

namespace pd {
namespace {

std::string unixPath(const std::string& host, const char* what) {
  if (host.rfind("unix://", 0) == 0) return host.substr(7);
  throw UsageError(std::string(what) + "=" + host + ": only unix:// sockets are supported");
}

}  // namespace

const char* engineName(Engine e) {
  return e == Engine::Docker ? "Docker daemon" : "Podman";
}

std::string dockerSocket(const std::string& dockerHost) {
  return dockerHost.empty() ? "/var/run/docker.sock" : unixPath(dockerHost, "DOCKER_HOST");
}

std::string podmanSocket(const std::string& containerHost, const std::string& xdgRuntimeDir) {
  if (!containerHost.empty()) return unixPath(containerHost, "CONTAINER_HOST");
  if (!xdgRuntimeDir.empty()) {
    std::string p = xdgRuntimeDir + "/podman/podman.sock";
    struct stat st {};
    if (stat(p.c_str(), &st) == 0) return p;
  }
  return "/run/podman/podman.sock";
}

namespace {

// A transport error mid-stream is an input error of this image.
class ExportBody : public ByteReader {
 public:
  ExportBody(std::unique_ptr<HttpResponse> r, std::string label)
      : r_(std::move(r)), label_(std::move(label)) {}
  size_t read(char* buf, size_t n) override {
    try {
      return r_->read(buf, n);
    } catch (const HttpTransportError& e) {
      throw InputError(label_, std::string("export broke off: ") + e.what());
    }
  }

 private:
  std::unique_ptr<HttpResponse> r_;
  std::string label_;
};

// One export request: the response when it is 200; else `message` holds what the engine said.
std::unique_ptr<HttpResponse> requestExport(const std::string& url, const HttpOptions& opt,
                                            const std::string& label, const std::string& where,
                                            std::string& message) {
  std::unique_ptr<HttpResponse> r;
  try {
    r = std::make_unique<HttpResponse>(HttpRequest{url, {}, 0, ""}, opt);
  } catch (const HttpTransportError& e) {
    throw SourceUnavailable(label, where + " does not answer: " + e.what());
  }
  if (r->status() == 200) return r;
  std::string body;
  try {
    body = r->readAll(1 << 16);
  } catch (const std::exception&) {
  }
  try {
    Json j = parseJson(body, label);
    if (j.is_object() && j.contains("message") && j["message"].is_string())
      message = j["message"].get<std::string>();
  } catch (const std::exception&) {
  }
  std::string text = where + ": HTTP " + std::to_string(r->status()) +
                     (message.empty() ? "" : " (" + message + ")");
  // Docker answers 404; Podman's compat API answers 500 "image not known".
  if (r->status() == 404 || message.find("image not known") != std::string::npos ||
      message.find("No such image") != std::string::npos)
    throw SourceUnavailable(label, "no such image in the " + text);
  message = text;
  return nullptr;
}

}  // namespace

std::unique_ptr<Container> openEngineImage(Engine engine, const std::string& socket,
                                           const std::string& name) {
  std::string label = std::string(engine == Engine::Docker ? "docker-daemon:" : "podman:") + name;
  std::string where = std::string(engineName(engine)) + " at " + socket;
  struct stat st {};
  if (stat(socket.c_str(), &st) != 0) throw SourceUnavailable(label, where + ": no such socket");
  HttpOptions opt;
  opt.unixSocket = socket;
  // The export starts only once the engine has gathered the layers: give it time.
  opt.stallTimeoutSec = 300;
  // The Engine API's export, a `docker save` (Podman's compat API serves it too, with the
  // image's own config and so its config digest).
  std::string message;
  auto r = requestExport("http://engine/images/get?names=" + urlEscape(name), opt, label, where,
                         message);
  // Podman cannot write zstd layers into a docker archive ("zstd compression is not supported
  // for docker images"): its own API's OCI archive keeps them. `name` is a checked reference:
  // nothing in it needs escaping in a path.
  if (!r && engine == Engine::Podman && message.find("zstd") != std::string::npos)
    r = requestExport("http://engine/v4.0.0/libpod/images/" + name + "/get?format=oci-archive", opt,
                      label, where, message);
  if (!r) throw InputError(label, message);
  return openTarStream(std::make_unique<ExportBody>(std::move(r), label), label,
                       SourceInfo{engine == Engine::Docker ? "docker-daemon" : "podman", ""});
}

}  // namespace pd
