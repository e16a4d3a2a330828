// The options every command that reads an image shares for registries and engines (--creds,
// --authfile, --ca-file, --insecure, ...), and the environment they read.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "remote/open_input.h"

namespace pd {

struct RemoteArgs {
  std::string creds, authFile, caFile;
  bool passwordStdin = false, insecure = false;
};

// Refuses a --platform that is not OS/ARCH[/VARIANT] (lint and inspect, every input).
void checkPlatformOption(const std::string& platform);

// Registers the options on `sub`; the values land in `args`.
void addRemoteOptions(CLI::App& sub, RemoteArgs& args);
// The options plus the environment ($DOCKER_HOST, $REGISTRY_AUTH_FILE, ...). Reads the password
// from stdin for --password-stdin (refused when an input is "-" too).
RemoteOptions remoteOptions(const RemoteArgs& args, bool stdinIsAnInput);

}  // namespace pd
