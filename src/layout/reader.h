// Reads an image from a file, stdin ("-"), an OCI layout directory, a registry or an engine
// (see openInput) into the image view:
// one pass over the input, layout detection, digest verification, layers applied in order.
#pragma once

#include <string>

#include "fs/image.h"
#include "layout/collector.h"
#include "layout/layout.h"
#include "remote/open_input.h"

namespace pd {

struct ReadOptions {
  Selection selection;
  ReadLimits limits;
  CapturePolicy capture;
  Progress* progress = nullptr;
  RemoteOptions remote;  // registries and engine sockets, for inputs that name an image
};

// Throws InputError for anything wrong with the input, UsageError for an impossible selection.
Image readImage(const std::string& input, const ReadOptions& options);

// The same, over an already collected input (several images of one archive share one pass).
Image buildImage(const Collected& c, const ReadOptions& options);
// The same, releasing each layer record of `c` as soon as it is applied (peak memory: the
// records and the tree are never all held at once). `c` keeps its documents.
Image buildImage(Collected&& c, const ReadOptions& options);

// Every image of a multi-image archive (--all-images), from one pass over the input.
std::vector<Image> readAllImages(const std::string& input, const ReadOptions& options);

}  // namespace pd
