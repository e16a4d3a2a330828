// Image references as `docker pull` reads them: `[HOST[:PORT]/]REPO[:TAG][@DIGEST]`, with Docker
// Hub's short forms (`alpine` is `docker.io/library/alpine:latest`).
#pragma once

#include <optional>
#include <string>

namespace pd {

struct ImageReference {
  std::string registry;    // "docker.io", "127.0.0.1:5000", "123.dkr.ecr.eu-west-1.amazonaws.com"
  std::string repository;  // "library/alpine"
  std::string tag;         // "latest" unless a digest alone was given
  std::string digest;      // "sha256:<hex>" or ""

  // The host the Distribution API answers on (Docker Hub's differs from its name).
  std::string apiHost() const;
  // What the manifest request asks for: the digest when there is one, else the tag.
  std::string manifestRef() const { return digest.empty() ? tag : digest; }
  // "127.0.0.1:5000/app:1.0" (tag and digest when both were given).
  std::string str() const;
  // "127.0.0.1:5000/app" (no tag or digest): what `repo@sha256:` is built on.
  std::string name() const { return registry + "/" + repository; }
};

// nullopt when `text` is not a valid reference (upper case in the repository, an empty
// component, a malformed tag or digest).
std::optional<ImageReference> parseReference(const std::string& text);

}  // namespace pd
