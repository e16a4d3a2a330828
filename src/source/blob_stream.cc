#include "source/blob_stream.h"

#include <cstdint>
#include <cstring>

#include "common/error.h"
#include "source/decoder.h"

namespace pd {

enum { kNone = 0, kGzip = 1, kZstd = 2 };

const char* compressionOf(std::string_view b) {
  auto at = [&](size_t i) { return static_cast<unsigned char>(b[i]); };
  if (b.size() >= 2 && at(0) == 0x1f && at(1) == 0x8b) return "gzip";
  if (b.size() >= 4 && at(0) == 0x28 && at(1) == 0xb5 && at(2) == 0x2f && at(3) == 0xfd)
    return "zstd";
  return "none";
}

BlobStream::BlobStream(ByteReader& c, std::string label, bool hash, int64_t maxPlainBytes,
                       std::atomic<int64_t>* inputSpent)
    : c_(c),
      label_(std::move(label)),
      hash_(hash),
      maxPlain_(maxPlainBytes),
      inputSpent_(inputSpent),
      in_(1 << 17) {
  if (hash_) {
    storedHash_ = std::make_unique<Sha256>();
    // Only the worker touches the hashers until finish() has joined it.
    hashPipe_ = std::make_unique<WorkerPipe>([this](int stream, const char* p, size_t n) {
      (stream == 0 ? storedHash_ : plainHash_)->update(p, n);
    });
  }
  // Sniff the compression from the first stored bytes.
  while (inLen_ < 4 && !inEof_) {
    size_t got = readStored(in_.data() + inLen_, in_.size() - inLen_);
    if (got == 0) inEof_ = true;
    inLen_ += got;
  }
  std::string_view kind = compressionOf(std::string_view(in_.data(), inLen_));
  if (kind == "gzip") {
    kind_ = kGzip;
    dec_ = makeGzipDecoder(label_);
  } else if (kind == "zstd") {
    kind_ = kZstd;
    dec_ = makeZstdDecoder(label_);
  }
  // Uncompressed, the plain bytes are the stored bytes: one hash serves both digests, which
  // halves the hashing of a docker archive.
  if (hash_ && dec_) plainHash_ = std::make_unique<Sha256>();
}

BlobStream::~BlobStream() = default;

const char* BlobStream::compression() const {
  return kind_ == kGzip ? "gzip" : kind_ == kZstd ? "zstd" : "none";
}

size_t BlobStream::readStored(char* buf, size_t n) {
  size_t got = c_.read(buf, n);
  if (hashPipe_) hashPipe_->push(0, buf, got);
  storedBytes_ += static_cast<int64_t>(got);
  return got;
}

size_t BlobStream::readPlainRaw(char* buf, size_t n) {
  size_t made = 0;
  while (made == 0) {
    if (inPos_ == inLen_ && !inEof_) {
      inPos_ = 0;
      inLen_ = readStored(in_.data(), in_.size());
      inEof_ = inLen_ == 0;
    }
    if (inPos_ == inLen_) {
      // The end of the stored bytes (perhaps met while sniffing). A decoder may still hold
      // output for input it has consumed: only when it has none left and its stream has not
      // ended is the stream truncated.
      if (!dec_ || streamEnded_) return 0;
      size_t used = 0;
      bool finished = false;
      made = dec_->step(nullptr, 0, used, buf, n, finished);
      streamEnded_ = finished;
      if (made == 0 && !finished)
        throw InputError(label_, std::string("truncated ") + compression() + " stream");
      continue;
    }
    if (!dec_) {
      made = std::min(n, inLen_ - inPos_);
      std::memcpy(buf, in_.data() + inPos_, made);
      inPos_ += made;
    } else {
      size_t used = 0;
      bool finished = false;
      made = dec_->step(in_.data() + inPos_, inLen_ - inPos_, used, buf, n, finished);
      inPos_ += used;
      streamEnded_ = finished;
      if (used == 0 && made == 0 && !finished) {
        // The decoder needs more input than is buffered: keep the tail, read more.
        if (inPos_ > 0) {
          std::memmove(in_.data(), in_.data() + inPos_, inLen_ - inPos_);
          inLen_ -= inPos_;
          inPos_ = 0;
        }
        size_t got = inLen_ < in_.size() ? readStored(in_.data() + inLen_, in_.size() - inLen_) : 0;
        if (got == 0)
          throw InputError(label_, std::string("truncated ") + compression() + " stream");
        inLen_ += got;
      }
    }
  }
  countPlain(buf, made);
  return made;
}

void BlobStream::countPlain(const char* p, size_t n) {
  countPlainBytes(static_cast<int64_t>(n));
  if (plainHash_) hashPipe_->push(1, p, n);
}

void BlobStream::countPlainBytes(int64_t n) {
  plainBytes_ += n;
  int64_t spent = plainBytes_;
  if (maxPlain_ > 0 && inputSpent_) spent = inputSpent_->fetch_add(n) + n;
  if (maxPlain_ > 0 && spent > maxPlain_)
    throw InputError(label_, "expands past the --max-bytes cap of " + std::to_string(maxPlain_) +
                                 " bytes of uncompressed input (decompression bomb?)");
}

int64_t BlobStream::skip(int64_t n) {
  if (hash_ || dec_ || !headDone_ || headPos_ < head_.size() || inPos_ < inLen_ || inEof_) return 0;
  int64_t k = c_.skip(n);
  if (k > 0) {
    storedBytes_ += k;
    countPlainBytes(k);
  }
  return k;
}

std::string_view BlobStream::plainHead() {
  if (!headDone_) {
    headDone_ = true;
    head_.resize(1 << 16);
    size_t have = 0;
    while (have < head_.size()) {
      size_t got = readPlainRaw(head_.data() + have, head_.size() - have);
      if (got == 0) break;
      have += got;
    }
    head_.resize(have);
  }
  return std::string_view(head_).substr(headPos_);
}

size_t BlobStream::read(char* buf, size_t n) {
  if (!headDone_) plainHead();
  if (headPos_ < head_.size()) {
    size_t k = std::min(n, head_.size() - headPos_);
    std::memcpy(buf, head_.data() + headPos_, k);
    headPos_ += k;
    return k;
  }
  return readPlainRaw(buf, n);
}

size_t BlobStream::readView(const char** p, char* buf, size_t n) {
  if (!headDone_) plainHead();
  if (headPos_ < head_.size()) {
    *p = head_.data() + headPos_;
    size_t k = head_.size() - headPos_;
    headPos_ = head_.size();
    return k;
  }
  if (dec_) {
    *p = buf;
    return readPlainRaw(buf, n);
  }
  // Uncompressed: the plain bytes are the stored bytes already in `in_`.
  if (inPos_ == inLen_) {
    if (inEof_) return 0;
    inPos_ = 0;
    inLen_ = readStored(in_.data(), in_.size());
    inEof_ = inLen_ == 0;
    if (inEof_) return 0;
  }
  *p = in_.data() + inPos_;
  size_t made = inLen_ - inPos_;
  inPos_ = inLen_;
  countPlain(*p, made);
  return made;
}

void BlobStream::drain() {
  std::vector<char> buf(1 << 16);
  while (skip(INT64_MAX) > 0 || read(buf.data(), buf.size()) > 0) {
  }
}

std::string BlobStream::storedDigest() {
  if (hashPipe_) hashPipe_->finish();
  if (storedHash_ && storedDigest_.empty()) storedDigest_ = storedHash_->digest();
  return storedDigest_;
}
std::string BlobStream::plainDigest() {
  if (!plainHash_) return storedDigest();
  hashPipe_->finish();
  if (plainDigest_.empty()) plainDigest_ = plainHash_->digest();
  return plainDigest_;
}

}  // namespace pd
