// Applies layer records onto the merged tree in order, the way the container runtime extracts
// them: whiteouts and opaque directories remove what lower layers wrote, later entries replace
// earlier ones, hardlinks share their target's inode, missing parents appear as 0755 root dirs.
// Records what was deleted and overwritten for the leftover rules.
#pragma once

#include "fs/image.h"
#include "fs/layer_record.h"

namespace pd {

// Applies `rec` as layer `index` onto `img.tree`, copying its captures into `img.captures`.
// Throws InputError for a hardlink to a missing path (the runtime refuses such a layer too),
// naming the layer as `where` ("image.tar: <blob>"; rec.blob when empty).
void applyLayer(Image& img, const LayerRecord& rec, int index, const std::string& where = "");

}  // namespace pd
