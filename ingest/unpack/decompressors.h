// Per-codec decoders behind Decompress() (decompress.h), one file each.
// Internal to kfuncdb_unpack; same contract as Decompress().
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "ingest/unpack/decompress.h"

namespace kfuncdb::unpack::internal {

absl::StatusOr<std::string> DecompressGzip(std::string_view input, const DecompressLimits& limits);
absl::StatusOr<std::string> DecompressXzOrLzma(std::string_view input, bool lzma_alone,
                                               const DecompressLimits& limits);
absl::StatusOr<std::string> DecompressBzip2(std::string_view input, const DecompressLimits& limits);
absl::StatusOr<std::string> DecompressLz4Legacy(std::string_view input, const DecompressLimits& limits);
absl::StatusOr<std::string> DecompressLz4Frame(std::string_view input, const DecompressLimits& limits);
absl::StatusOr<std::string> DecompressLzop(std::string_view input, const DecompressLimits& limits);
absl::StatusOr<std::string> DecompressZstd(std::string_view input, const DecompressLimits& limits);

// Output buffer that grows in chunks up to the limit; shared by the
// streaming decoders so each enforces the bomb limit the same way.
class BoundedOutput {
 public:
  BoundedOutput(std::string_view codec, const DecompressLimits& limits) : codec_(codec), limits_(limits) {}

  // Makes room for at least one more byte at tail(); an error once the
  // output went past the limit. In truncating mode, decoders stop as soon as
  // done_truncating() is true instead.
  absl::Status Reserve();
  char* tail() { return out_.data() + used_; }
  size_t tail_size() const { return out_.size() - used_; }
  void Commit(size_t n) { used_ += n; }
  bool done_truncating() const { return limits_.truncate_at_limit && used_ >= limits_.max_output; }
  // The output; an error if the stream ended just past the limit.
  absl::StatusOr<std::string> Finish() &&;

 private:
  std::string_view codec_;
  DecompressLimits limits_;
  std::string out_;
  size_t used_ = 0;
};

// Error for a limit overrun, the same text for every codec.
absl::Status OutputLimitError(std::string_view codec, uint64_t limit);

}  // namespace kfuncdb::unpack::internal
