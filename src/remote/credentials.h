// Registry credentials where users keep them: --creds, containers' auth.json, Docker's
// config.json (`auths`, `credHelpers`, `credsStore`) and credential helpers run by the Docker
// credential-helper protocol (`docker-credential-NAME get`, the host on stdin, JSON out).
#pragma once

#include <string>
#include <vector>

namespace pd {

struct Credential {
  std::string username, password;
  std::string identityToken;  // an OAuth2 refresh token (helpers answer Username "<token>")
  std::string source;         // where it came from, for messages: "--creds", a file, a helper
  bool empty() const { return username.empty() && password.empty() && identityToken.empty(); }
};

// Where to look, filled in by the command line from its flags and the environment.
struct CredentialSources {
  std::string creds;               // --creds USER[:PASSWORD] (the password may come from stdin)
  std::vector<std::string> files;  // auth files in the order asked (missing ones are skipped)
};

// The files containers tools and Docker read, in that order: --authfile, else $REGISTRY_AUTH_FILE,
// else $XDG_RUNTIME_DIR/containers/auth.json; then $DOCKER_CONFIG/config.json, else
// ~/.docker/config.json. Empty values are skipped.
std::vector<std::string> defaultAuthFiles(const std::string& authFile,
                                          const std::string& registryAuthFile,
                                          const std::string& xdgRuntimeDir,
                                          const std::string& dockerConfig, const std::string& home);

// The credential for `registry` ("host[:port]"; "docker.io" for Docker Hub), or an empty one.
// `tried` collects the sources looked at, for an "unauthorized" message. Throws UsageError for a
// malformed --creds or auth file, or a helper that fails for another reason than "not found".
Credential findCredential(const std::string& registry, const CredentialSources& sources,
                          std::vector<std::string>* tried = nullptr);

// Runs `docker-credential-<helper> get` for `serverUrl`; empty when the helper has none.
Credential runCredentialHelper(const std::string& helper, const std::string& serverUrl);

}  // namespace pd
