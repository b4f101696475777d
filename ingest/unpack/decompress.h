// Whole-stream decompression in-process, through the codecs' own libraries
// (zlib, liblzma, libbz2, liblz4, liblzo2, libzstd): no subprocesses.
//
// Contract shared by every codec:
//  - Decoding stops at the end of the first complete stream; bytes after it
//    are ignored (a bzImage payload is followed by the appended size and
//    other setup data; files may carry padding).
//  - Output is capped by `max_output` to resist decompression bombs: going
//    past it is an error (kResourceExhausted) unless `truncate_at_limit` is
//    set, in which case the first `max_output` bytes are returned (used to
//    peek at the head of a compressed file when classifying it).
//  - A corrupt or truncated stream is kDataLoss / kInvalidArgument; messages
//    name the codec but not the file: callers add the file name.
// All functions are thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "ingest/unpack/codec.h"

namespace kfuncdb::unpack {

struct DecompressLimits {
  uint64_t max_output = uint64_t{1} << 30;  // 1 GiB
  bool truncate_at_limit = false;
};

absl::StatusOr<std::string> Decompress(Codec codec, std::string_view input,
                                       const DecompressLimits& limits);

}  // namespace kfuncdb::unpack
