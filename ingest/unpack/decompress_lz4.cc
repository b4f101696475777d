// LZ4 through liblz4: the legacy frame the kernel uses for
// CONFIG_KERNEL_LZ4 (`lz4 -l`), and the standard LZ4 frame format.
#include <lz4.h>
#include <lz4frame.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ingest/unpack/byte_reader.h"
#include "ingest/unpack/decompressors.h"

namespace kfuncdb::unpack::internal {
namespace {

constexpr uint32_t kLegacyMagic = 0x184C2102;
// Every legacy block but the last decompresses to exactly 8 MiB.
constexpr int kLegacyBlockSize = 8 << 20;

}  // namespace

// Legacy frame: magic, then blocks of (u32 LE compressed size, data). There
// is no end marker: the stream ends with a block shorter than 8 MiB, or at
// the end of the input. The kernel appends the decompressed size (4 bytes)
// after the stream, which is how "trailing garbage" looks here.
absl::StatusOr<std::string> DecompressLz4Legacy(std::string_view input, const DecompressLimits& limits) {
  if (ReadLe<uint32_t>(input, 0) != kLegacyMagic) return absl::InvalidArgumentError("not an lz4-legacy stream");
  std::string out;
  const size_t max_compressed = static_cast<size_t>(LZ4_compressBound(kLegacyBlockSize));
  size_t pos = 4;
  bool any_block = false;
  while (true) {
    std::optional<uint32_t> chunk = ReadLe<uint32_t>(input, pos);
    if (!chunk) break;  // end of input
    if (*chunk == kLegacyMagic) {  // a concatenated stream starts
      pos += 4;
      continue;
    }
    size_t remaining = input.size() - pos - 4;
    if (*chunk == 0 || *chunk > max_compressed || *chunk > remaining) {
      // Not a block header. Right after a full block, the stream may have
      // ended on an exact multiple of 8 MiB and these are the last 4 bytes,
      // the kernel's appended size; anything else is a cut or damaged stream.
      if (any_block && remaining == 0) break;
      return absl::DataLossError(absl::StrCat("lz4-legacy stream is truncated or corrupt: block of ", *chunk,
                                              " bytes at offset ", pos, " exceeds the input"));
    }
    // Decode straight into the output, then enforce the limit on what came out.
    const size_t used = out.size();
    if (used >= limits.max_output) {
      if (limits.truncate_at_limit) break;
      return OutputLimitError("lz4-legacy", limits.max_output);
    }
    out.resize(used + kLegacyBlockSize);
    int n = LZ4_decompress_safe(input.data() + pos + 4, out.data() + used, static_cast<int>(*chunk), kLegacyBlockSize);
    if (n < 0) {
      return absl::DataLossError(absl::StrCat("lz4-legacy stream is corrupt: block at offset ", pos, " does not decode"));
    }
    out.resize(used + static_cast<size_t>(n));
    any_block = true;
    if (out.size() > limits.max_output) {
      if (!limits.truncate_at_limit) return OutputLimitError("lz4-legacy", limits.max_output);
      out.resize(limits.max_output);
      break;
    }
    pos += 4 + *chunk;
    if (n < kLegacyBlockSize) {
      // A short block ends the stream unless another stream follows.
      if (ReadLe<uint32_t>(input, pos) != kLegacyMagic) break;
    }
  }
  if (!any_block) return absl::DataLossError("lz4-legacy stream holds no block");
  return out;
}

absl::StatusOr<std::string> DecompressLz4Frame(std::string_view input, const DecompressLimits& limits) {
  LZ4F_dctx* raw = nullptr;
  if (LZ4F_isError(LZ4F_createDecompressionContext(&raw, LZ4F_VERSION))) {
    return absl::InternalError("lz4: cannot create a decompression context");
  }
  std::unique_ptr<LZ4F_dctx, LZ4F_errorCode_t (*)(LZ4F_dctx*)> dctx(raw, LZ4F_freeDecompressionContext);

  BoundedOutput out("lz4", limits);
  size_t pos = 0;
  while (!out.done_truncating()) {
    KFUNCDB_RETURN_IF_ERROR(out.Reserve());
    if (out.done_truncating()) break;
    size_t dst = out.tail_size();
    size_t src = input.size() - pos;
    size_t hint = LZ4F_decompress(dctx.get(), out.tail(), &dst, input.data() + pos, &src, nullptr);
    out.Commit(dst);
    pos += src;
    if (LZ4F_isError(hint)) {
      return absl::DataLossError(absl::StrCat("lz4 frame is corrupt: ", LZ4F_getErrorName(hint)));
    }
    if (hint == 0) break;  // frame complete
    if (dst == 0 && src == 0 && pos == input.size()) {
      return absl::DataLossError("lz4 frame is truncated");
    }
  }
  return std::move(out).Finish();
}

}  // namespace kfuncdb::unpack::internal
