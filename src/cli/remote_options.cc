#include "cli/remote_options.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "common/error.h"
#include "engine/rule_options.h"

namespace pd {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

}  // namespace

void checkPlatformOption(const std::string& platform) {
  if (!platform.empty() && !validPlatform(platform))
    throw UsageError("--platform " + platform +
                     ": expected OS/ARCH[/VARIANT], such as linux/amd64 or linux/arm64");
}

void addRemoteOptions(CLI::App& sub, RemoteArgs& a) {
  sub.add_option("--creds", a.creds, "Registry credentials USER[:PASSWORD]");
  sub.add_flag("--password-stdin", a.passwordStdin,
               "Read the --creds password from standard input (aws ecr get-login-password | ...)");
  sub.add_option("--authfile", a.authFile,
                 "Registry auth file (default: $REGISTRY_AUTH_FILE, containers' auth.json, then "
                 "Docker's config.json)");
  sub.add_option("--ca-file", a.caFile, "Trust this CA bundle (PEM) for registry TLS as well");
  sub.add_flag("--insecure", a.insecure, "Allow plain-http registries and unverified TLS");
}

RemoteOptions remoteOptions(const RemoteArgs& a, bool stdinIsAnInput) {
  RemoteOptions o;
  // Files the user named must exist: a typo must not silently mean "no credentials" or "system
  // CAs".
  for (const auto& [flag, file] : {std::pair{"--ca-file", a.caFile}, {"--authfile", a.authFile}})
    if (!file.empty() && ::access(file.c_str(), R_OK) != 0)
      throw UsageError(std::string(flag) + " " + file + ": " + std::strerror(errno));
  o.registry.http.caFile = a.caFile;
  o.registry.http.insecure = a.insecure;
  o.registry.credentials.creds = a.creds;
  if (a.passwordStdin) {
    if (a.creds.empty() || a.creds.find(':') != std::string::npos)
      throw UsageError("--password-stdin needs --creds USER (without a password)");
    if (stdinIsAnInput)
      throw UsageError("--password-stdin: standard input is already an image (-)");
    std::string pw;
    std::getline(std::cin, pw);
    if (!pw.empty() && pw.back() == '\r') pw.pop_back();
    if (pw.empty()) throw UsageError("--password-stdin: no password on standard input");
    o.registry.credentials.creds = a.creds + ":" + pw;
  }
  std::string xdg = env("XDG_RUNTIME_DIR");
  o.registry.credentials.files = defaultAuthFiles(a.authFile, env("REGISTRY_AUTH_FILE"), xdg,
                                                  env("DOCKER_CONFIG"), env("HOME"));
  o.dockerHost = env("DOCKER_HOST");
  o.containerHost = env("CONTAINER_HOST");
  o.xdgRuntimeDir = xdg;
  return o;
}

}  // namespace pd
