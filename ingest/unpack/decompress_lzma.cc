// xz and legacy lzma ("lzma_alone") streams through liblzma.
#include <lzma.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "common/absl_string_view.h"
#include "common/status_macros.h"
#include "ingest/unpack/decompressors.h"

namespace kfuncdb::unpack::internal {

absl::StatusOr<std::string> DecompressXzOrLzma(std::string_view input, bool lzma_alone,
                                               const DecompressLimits& limits) {
  const std::string_view codec = lzma_alone ? "lzma" : "xz";
  lzma_stream strm = LZMA_STREAM_INIT;
  // No LZMA_CONCATENATED: decoding ends with the first stream, so bytes after
  // it (a bzImage's appended size) are not parsed as another stream.
  lzma_ret init = lzma_alone ? lzma_alone_decoder(&strm, UINT64_MAX)
                             : lzma_stream_decoder(&strm, UINT64_MAX, 0);
  if (init != LZMA_OK) return absl::InternalError(absl::StrCat(ToAbsl(codec), ": decoder init failed"));
  std::unique_ptr<lzma_stream, void (*)(lzma_stream*)> guard(&strm, lzma_end);

  strm.next_in = reinterpret_cast<const uint8_t*>(input.data());
  strm.avail_in = input.size();
  BoundedOutput out(codec, limits);
  while (!out.done_truncating()) {
    KFUNCDB_RETURN_IF_ERROR(out.Reserve());
    if (out.done_truncating()) break;
    size_t room = out.tail_size();
    strm.next_out = reinterpret_cast<uint8_t*>(out.tail());
    strm.avail_out = room;
    // All input is present, so LZMA_FINISH: a truncated stream then reports
    // LZMA_BUF_ERROR instead of waiting for more.
    lzma_ret rc = lzma_code(&strm, LZMA_FINISH);
    out.Commit(room - strm.avail_out);
    if (rc == LZMA_STREAM_END) break;
    if (rc == LZMA_OK) continue;
    if (rc == LZMA_BUF_ERROR) {
      return absl::DataLossError(absl::StrCat(ToAbsl(codec), " stream is truncated"));
    }
    return absl::DataLossError(absl::StrCat(ToAbsl(codec), " stream is corrupt (liblzma error ", static_cast<int>(rc), ")"));
  }
  return std::move(out).Finish();
}

}  // namespace kfuncdb::unpack::internal
