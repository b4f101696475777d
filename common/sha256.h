// SHA-256 over bytes, as lower-case hex: content identity of kernel inputs
// (BuildRecord.content_sha256) and signature hashes of prototypes. A thin
// RAII wrapper over OpenSSL's libcrypto EVP interface.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

struct evp_md_ctx_st;

namespace kfuncdb {

// Incremental hashing for inputs read in pieces. Not thread-safe; one
// instance per stream.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view bytes);
  // The digest of everything passed to Update. Internal libcrypto failures
  // (never seen for SHA-256; kept as statuses, not crashes) are Internal.
  // The object cannot be reused afterwards.
  absl::StatusOr<std::string> HexDigest();

 private:
  struct CtxFree {
    void operator()(evp_md_ctx_st* ctx) const;
  };
  std::unique_ptr<evp_md_ctx_st, CtxFree> ctx_;
  bool failed_ = false;
};

// One-shot SHA-256 of `bytes` as 64 lower-case hex digits.
absl::StatusOr<std::string> Sha256Hex(std::string_view bytes);

}  // namespace kfuncdb
