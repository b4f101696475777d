// gzip and zlib streams through zlib (inflate with automatic header detection).
#include <zlib.h>

#include <algorithm>
#include <climits>
#include <memory>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ingest/unpack/decompressors.h"

namespace kfuncdb::unpack::internal {

absl::StatusOr<std::string> DecompressGzip(std::string_view input, const DecompressLimits& limits) {
  z_stream zs{};
  // 15 window bits + 32: accept both gzip and zlib headers.
  if (inflateInit2(&zs, 15 + 32) != Z_OK) return absl::InternalError("gzip: inflateInit2 failed");
  std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&zs, inflateEnd);

  BoundedOutput out("gzip", limits);
  size_t fed = 0;
  while (!out.done_truncating()) {
    if (zs.avail_in == 0 && fed < input.size()) {
      size_t chunk = std::min<size_t>(input.size() - fed, UINT_MAX);
      zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data() + fed));
      zs.avail_in = static_cast<uInt>(chunk);
      fed += chunk;
    }
    KFUNCDB_RETURN_IF_ERROR(out.Reserve());
    if (out.done_truncating()) break;
    size_t room = std::min<size_t>(out.tail_size(), UINT_MAX);
    zs.next_out = reinterpret_cast<Bytef*>(out.tail());
    zs.avail_out = static_cast<uInt>(room);
    int rc = inflate(&zs, Z_NO_FLUSH);
    out.Commit(room - zs.avail_out);
    if (rc == Z_STREAM_END) break;
    if (rc == Z_BUF_ERROR && zs.avail_in == 0 && fed == input.size()) {
      return absl::DataLossError("gzip stream is truncated (input ended before the end of the stream)");
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return absl::DataLossError(absl::StrCat("gzip stream is corrupt: ", zs.msg != nullptr ? zs.msg : "inflate failed"));
    }
  }
  return std::move(out).Finish();
}

}  // namespace kfuncdb::unpack::internal
