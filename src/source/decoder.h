// Decoders that undo one compression format, fed stored bytes, producing plain bytes. BlobStream
// picks one by sniffing; they are separate so that the gzip implementations can be tested
// against each other.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace pd {

class Decoder {
 public:
  virtual ~Decoder() = default;
  // Consumes from [in, in+inLen), writes to out; sets `used` and returns bytes produced.
  // `finished` is set when the compressed stream (the current gzip member) has ended; more
  // input after that starts the next member. A decoder may buffer input it has consumed: at
  // the end of the input, call it with inLen == 0 until it produces nothing, and only then
  // judge whether the stream ended. Throws InputError naming `label` on corrupt data.
  virtual size_t step(const char* in, size_t inLen, size_t& used, char* out, size_t outLen,
                      bool& finished) = 0;
};

// The fastest gzip decoder this build has: ISA-L's isal_inflate when it was found at configure
// time, else zlib.
std::unique_ptr<Decoder> makeGzipDecoder(const std::string& label);
std::unique_ptr<Decoder> makeZlibGzipDecoder(const std::string& label);
// nullptr when the build has no ISA-L.
std::unique_ptr<Decoder> makeIsalGzipDecoder(const std::string& label);
std::unique_ptr<Decoder> makeZstdDecoder(const std::string& label);

}  // namespace pd
