#include "ingest/extract/btf_handle.h"

#include <bpf/btf.h>
#include <linux/btf.h>

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/absl_string_view.h"

namespace kfuncdb::extract {
namespace {

absl::StatusOr<BtfPtr> Finish(btf* handle, std::string_view bytes, std::string_view origin) {
  if (handle != nullptr) return BtfPtr(handle);
  int error = errno;
  return absl::InvalidArgumentError(absl::StrCat(ToAbsl(origin), ": cannot parse BTF of ",
                                                 bytes.size(), " bytes (libbpf: ",
                                                 std::strerror(error), ")"));
}

absl::Status CheckSize(std::string_view bytes, std::string_view origin) {
  if (bytes.size() > std::numeric_limits<uint32_t>::max()) {
    return absl::InvalidArgumentError(
        absl::StrCat(ToAbsl(origin), ": BTF larger than 4 GiB (", bytes.size(), " bytes)"));
  }
  if (!HasBtfMagic(bytes)) {
    return absl::InvalidArgumentError(absl::StrCat(ToAbsl(origin), ": no BTF magic 0xeB9F"));
  }
  return absl::OkStatus();
}

}  // namespace

void BtfFree::operator()(btf* handle) const { btf__free(handle); }

bool HasBtfMagic(std::string_view bytes) {
  if (bytes.size() < 2) return false;
  auto b0 = static_cast<unsigned char>(bytes[0]);
  auto b1 = static_cast<unsigned char>(bytes[1]);
  return (b0 == 0x9f && b1 == 0xeb) || (b0 == 0xeb && b1 == 0x9f);
}

absl::StatusOr<BtfPtr> ParseBtf(std::string_view bytes, std::string_view origin) {
  if (absl::Status size = CheckSize(bytes, origin); !size.ok()) return size;
  errno = 0;
  btf* handle = btf__new(bytes.data(), static_cast<uint32_t>(bytes.size()));
  return Finish(handle, bytes, origin);
}

absl::StatusOr<BtfPtr> ParseSplitBtf(std::string_view bytes, const btf& base, std::string_view origin) {
  if (absl::Status size = CheckSize(bytes, origin); !size.ok()) return size;
  // Debian's libbpf 1.1.2 declares btf__new_split but does not export it;
  // the exported way to parse split BTF takes a path. An anonymous memory
  // file gives the bytes a path without touching the disk.
  int fd = memfd_create("kfuncdb-split-btf", MFD_CLOEXEC);
  if (fd < 0) {
    return absl::InternalError(absl::StrCat(ToAbsl(origin), ": memfd_create: ", std::strerror(errno)));
  }
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int error = errno;
      close(fd);
      return absl::InternalError(absl::StrCat(ToAbsl(origin), ": writing memfd: ", std::strerror(error)));
    }
    written += static_cast<size_t>(n);
  }
  std::string path = absl::StrCat("/proc/self/fd/", fd);
  errno = 0;
  // libbpf takes the base as non-const but only reads it.
  btf* handle = btf__parse_raw_split(path.c_str(), const_cast<btf*>(&base));
  int error = errno;
  close(fd);
  errno = error;
  return Finish(handle, bytes, origin);
}

BtfTypeId FirstOwnTypeId(const btf& handle) {
  const btf* base = btf__base_btf(&handle);
  return BtfTypeId(base == nullptr ? 1 : btf__type_cnt(base));
}

const btf_type* FuncById(const btf& handle, BtfTypeId id) {
  if (id.value() == 0 || id.value() >= btf__type_cnt(&handle)) return nullptr;
  const btf_type* type = btf__type_by_id(&handle, id.value());
  return type != nullptr && btf_is_func(type) ? type : nullptr;
}

}  // namespace kfuncdb::extract
