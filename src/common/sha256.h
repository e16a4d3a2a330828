// SHA-256 over bytes as they stream past (OpenSSL EVP).
#pragma once

#include <cstddef>
#include <memory>
#include <string>

struct evp_md_ctx_st;

namespace pd {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, size_t n);
  // "sha256:<64 hex>"; the hasher is finished afterwards and must not be updated again.
  std::string digest();

 private:
  evp_md_ctx_st* ctx_;
};

// Digest of a whole buffer, "sha256:<hex>".
std::string sha256Of(const std::string& bytes);

}  // namespace pd
