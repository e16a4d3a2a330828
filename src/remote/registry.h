// Reading an image from a registry over the Distribution (v2) API, presented to the collector as
// the OCI layout an `oci-archive:` of the same image would be: index.json (naming the manifest
// the tag resolved to), the manifests, the config and the layers, each blob streamed as it
// arrives. The layout reader then verifies every digest, picks the platform and applies the
// layers exactly as it does for an archive.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "remote/credentials.h"
#include "remote/http.h"
#include "remote/reference.h"
#include "source/container.h"

namespace pd {

struct RegistryOptions {
  HttpOptions http;
  CredentialSources credentials;
  std::string platform;  // as --platform; "" = linux/amd64 when the index has it, else the only one
  int maxAttempts = 4;   // per request, on 429, 5xx and broken connections
  int backoffMs = 250;   // doubled after each failed attempt
};

// One challenge of a WWW-Authenticate header: `Bearer realm="…",service="…",scope="…"`.
struct AuthChallenge {
  std::string scheme;                         // lower case: "basic", "bearer"
  std::map<std::string, std::string> params;  // lower-case keys
};
std::vector<AuthChallenge> parseAuthChallenges(const std::string& header);

// Opens `ref` on its registry: resolves the tag (and, for an index, the platform) to manifests
// before returning, so that an unknown tag, a refused credential or a missing platform is an
// error before any layer is fetched. Throws InputError (one line naming the registry and the
// repository) for anything the registry refuses or gets wrong.
std::unique_ptr<Container> openRegistry(const ImageReference& ref, const RegistryOptions& options);

}  // namespace pd
