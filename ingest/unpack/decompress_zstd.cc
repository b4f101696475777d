// zstd frames through libzstd's streaming decoder.
#include <zstd.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ingest/unpack/decompressors.h"

namespace kfuncdb::unpack::internal {

absl::StatusOr<std::string> DecompressZstd(std::string_view input, const DecompressLimits& limits) {
  std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> dctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
  if (dctx == nullptr) return absl::InternalError("zstd: ZSTD_createDCtx failed");

  ZSTD_inBuffer in{input.data(), input.size(), 0};
  BoundedOutput out("zstd", limits);
  while (!out.done_truncating()) {
    KFUNCDB_RETURN_IF_ERROR(out.Reserve());
    if (out.done_truncating()) break;
    ZSTD_outBuffer buf{out.tail(), out.tail_size(), 0};
    size_t before_in = in.pos;
    size_t rc = ZSTD_decompressStream(dctx.get(), &buf, &in);
    out.Commit(buf.pos);
    if (ZSTD_isError(rc)) {
      return absl::DataLossError(absl::StrCat("zstd stream is corrupt: ", ZSTD_getErrorName(rc)));
    }
    // 0: the first frame is complete; whatever follows is not ours.
    if (rc == 0) break;
    if (buf.pos == 0 && in.pos == before_in && in.pos == in.size) {
      return absl::DataLossError("zstd stream is truncated (input ended inside the frame)");
    }
  }
  return std::move(out).Finish();
}

}  // namespace kfuncdb::unpack::internal
