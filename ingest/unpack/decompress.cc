#include "ingest/unpack/decompress.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/absl_string_view.h"
#include "ingest/unpack/decompressors.h"

namespace kfuncdb::unpack {
namespace internal {

absl::Status OutputLimitError(std::string_view codec, uint64_t limit) {
  return absl::ResourceExhaustedError(absl::StrCat(
      ToAbsl(codec), " stream decompresses to more than the limit of ", limit,
      " bytes (decompression bomb or raise the limit)"));
}

absl::Status BoundedOutput::Reserve() {
  if (used_ < out_.size()) return absl::OkStatus();
  if (used_ > limits_.max_output) return OutputLimitError(codec_, limits_.max_output);
  if (done_truncating()) return absl::OkStatus();
  // Grow geometrically from 1 MiB, never past the limit plus one byte: one
  // byte too many is how an overrun is detected rather than truncated.
  uint64_t grown = std::max<uint64_t>(uint64_t{out_.size()} * 2, uint64_t{1} << 20);
  uint64_t cap = limits_.truncate_at_limit ? limits_.max_output : limits_.max_output + 1;
  out_.resize(static_cast<size_t>(std::min(grown, cap)));
  return absl::OkStatus();
}

absl::StatusOr<std::string> BoundedOutput::Finish() && {
  if (used_ > limits_.max_output) return OutputLimitError(codec_, limits_.max_output);
  out_.resize(used_);
  return std::move(out_);
}

}  // namespace internal

absl::StatusOr<std::string> Decompress(Codec codec, std::string_view input,
                                       const DecompressLimits& limits) {
  switch (codec) {
    case Codec::kGzip: return internal::DecompressGzip(input, limits);
    case Codec::kXz: return internal::DecompressXzOrLzma(input, /*lzma_alone=*/false, limits);
    case Codec::kLzma: return internal::DecompressXzOrLzma(input, /*lzma_alone=*/true, limits);
    case Codec::kBzip2: return internal::DecompressBzip2(input, limits);
    case Codec::kLz4Legacy: return internal::DecompressLz4Legacy(input, limits);
    case Codec::kLz4Frame: return internal::DecompressLz4Frame(input, limits);
    case Codec::kLzo: return internal::DecompressLzop(input, limits);
    case Codec::kZstd: return internal::DecompressZstd(input, limits);
  }
  return absl::InvalidArgumentError("unknown codec");
}

}  // namespace kfuncdb::unpack
