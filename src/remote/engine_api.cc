#include "remote/engine_api.h"

#include <sys/stat.h>

#include "layout/json.h"
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
  std::unique_ptr<HttpResponse> r;
  try {
    r = std::make_unique<HttpResponse>(
        HttpRequest{"http://engine/images/get?names=" + urlEscape(name), {}, 0, ""}, opt);
  } catch (const HttpTransportError& e) {
    throw SourceUnavailable(label, where + " does not answer: " + e.what());
  }
  if (r->status() != 200) {
    std::string body;
    try {
      body = r->readAll(1 << 16);
    } catch (const std::exception&) {
    }
    std::string msg;
    try {
      Json j = parseJson(body, label);
      if (j.is_object() && j.contains("message") && j["message"].is_string())
        msg = j["message"].get<std::string>();
    } catch (const std::exception&) {
    }
    std::string text =
        where + ": HTTP " + std::to_string(r->status()) + (msg.empty() ? "" : " (" + msg + ")");
    // Docker answers 404; Podman's compat API answers 500 "image not known".
    if (r->status() == 404 || msg.find("image not known") != std::string::npos ||
        msg.find("No such image") != std::string::npos)
      throw SourceUnavailable(label, "no such image in the " + text);
    throw InputError(label, text);
  }
  // Transport errors mid-stream are input errors of this image.
  class Body : public ByteReader {
   public:
    Body(std::unique_ptr<HttpResponse> r, std::string label) : r_(std::move(r)), label_(label) {}
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
  return openTarStream(std::make_unique<Body>(std::move(r), label), label,
                       SourceInfo{engine == Engine::Docker ? "docker-daemon" : "podman", ""});
}

}  // namespace pd
