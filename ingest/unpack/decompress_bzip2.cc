// bzip2 streams through libbz2.
#include <bzlib.h>

#include <algorithm>
#include <climits>
#include <memory>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ingest/unpack/decompressors.h"

namespace kfuncdb::unpack::internal {

absl::StatusOr<std::string> DecompressBzip2(std::string_view input, const DecompressLimits& limits) {
  bz_stream bz{};
  if (BZ2_bzDecompressInit(&bz, 0, 0) != BZ_OK) return absl::InternalError("bzip2: decoder init failed");
  std::unique_ptr<bz_stream, int (*)(bz_stream*)> guard(&bz, BZ2_bzDecompressEnd);

  BoundedOutput out("bzip2", limits);
  size_t fed = 0;
  while (!out.done_truncating()) {
    if (bz.avail_in == 0 && fed < input.size()) {
      size_t chunk = std::min<size_t>(input.size() - fed, UINT_MAX);
      bz.next_in = const_cast<char*>(input.data() + fed);
      bz.avail_in = static_cast<unsigned>(chunk);
      fed += chunk;
    }
    KFUNCDB_RETURN_IF_ERROR(out.Reserve());
    if (out.done_truncating()) break;
    size_t room = std::min<size_t>(out.tail_size(), UINT_MAX);
    bz.next_out = out.tail();
    bz.avail_out = static_cast<unsigned>(room);
    int rc = BZ2_bzDecompress(&bz);
    size_t produced = room - bz.avail_out;
    out.Commit(produced);
    if (rc == BZ_STREAM_END) break;
    if (rc != BZ_OK) return absl::DataLossError(absl::StrCat("bzip2 stream is corrupt (libbz2 error ", rc, ")"));
    if (produced == 0 && bz.avail_in == 0 && fed == input.size()) {
      return absl::DataLossError("bzip2 stream is truncated");
    }
  }
  return std::move(out).Finish();
}

}  // namespace kfuncdb::unpack::internal
