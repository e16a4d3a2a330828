// Reads one layer tar (already decompressed by BlobStream) into a LayerRecord, keeping metadata
// and the contents the capture policy asks for. Content bytes are otherwise skipped.
#pragma once

#include <string_view>

#include "fs/capture.h"
#include "fs/layer_record.h"
#include "source/blob_stream.h"

namespace pd {

// True when the first plain bytes of a blob look like a tar archive (ustar magic, or an empty
// archive's zero block).
bool looksLikeTar(std::string_view head);

// Throws InputError on a damaged tar or a damaged stream. Always reads the blob to its end.
LayerRecord scanLayer(BlobStream& blob, const CapturePolicy& policy, int64_t maxEntries);

}  // namespace pd
