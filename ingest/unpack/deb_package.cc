#include "ingest/unpack/deb_package.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/absl_string_view.h"
#include "common/status_macros.h"
#include "ingest/unpack/archive_reader.h"
#include "ingest/unpack/release_names.h"

namespace kfuncdb::unpack {
namespace {

// control files are a few KiB; anything larger is not a real package.
constexpr uint64_t kMaxControlSize = 1 << 20;

absl::Status InPackage(const std::filesystem::path& path, std::string_view member, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat(path.string(), member.empty() ? "" : ": ", ToAbsl(member), ": ",
                                                  status.message()));
}

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool IsKernelMember(std::string_view path) {
  std::string_view base = BaseName(path);
  bool kernel_name = base == "vmlinuz" || base == "vmlinux" || base.starts_with("vmlinuz-") ||
                     base.starts_with("vmlinux-");
  bool kernel_dir = path.find("boot/") != std::string_view::npos || path.find("lib/modules/") != std::string_view::npos;
  return kernel_name && kernel_dir;
}

bool IsModuleMember(std::string_view path) {
  if (path.find("lib/modules/") == std::string_view::npos) return false;
  for (std::string_view suffix : {".ko", ".ko.xz", ".ko.zst", ".ko.gz"}) {
    if (path.ends_with(suffix)) return true;
  }
  return false;
}

extract::PackageInfo ParseControl(std::string_view control) {
  extract::PackageInfo info;
  info.distribution = "debian";
  for (absl::string_view line : absl::StrSplit(ToAbsl(control), '\n')) {
    auto field = [&](absl::string_view key, std::string& out) {
      if (absl::ConsumePrefix(&line, key)) out = std::string(absl::StripAsciiWhitespace(line));
    };
    field("Package:", info.name);
    field("Version:", info.version);
    field("Architecture:", info.architecture);
  }
  info.kernel_release = ReleaseFromPackageName(info.name).value_or("");
  return info;
}

// Reads `control` out of the control.tar.* member the outer reader sits on.
absl::StatusOr<extract::PackageInfo> ReadControlMember(archive* outer) {
  KFUNCDB_ASSIGN_OR_RETURN(NestedArchive tar, OpenTarOnEntry(outer));
  archive_entry* entry = nullptr;
  while (true) {
    KFUNCDB_ASSIGN_OR_RETURN(bool more, NextEntry(tar.get(), &entry));
    if (!more) break;
    if (EntryPath(entry) != "control") continue;
    KFUNCDB_ASSIGN_OR_RETURN(std::string control, ReadEntryData(tar.get(), entry, kMaxControlSize));
    return ParseControl(control);
  }
  return absl::NotFoundError("has no control file");
}

// Walks data.tar.*, filling `contents`.
absl::Status ReadDataMember(const std::filesystem::path& path, std::string_view member, archive* outer,
                            const DecompressLimits& limits, DebPackageContents& contents) {
  absl::StatusOr<NestedArchive> opened = OpenTarOnEntry(outer);
  if (!opened.ok()) return InPackage(path, member, opened.status());
  NestedArchive tar = *std::move(opened);
  archive_entry* entry = nullptr;
  while (true) {
    absl::StatusOr<bool> more = NextEntry(tar.get(), &entry);
    if (!more.ok()) return InPackage(path, member, more.status());
    if (!*more) break;
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    std::string inner = EntryPath(entry);
    bool kernel = IsKernelMember(inner);
    bool module = !kernel && IsModuleMember(inner);
    if (!kernel && !module) continue;

    std::string where = absl::StrCat(ToAbsl(member), ": ", inner);
    absl::StatusOr<std::string> data = ReadEntryData(tar.get(), entry, limits.max_output);
    if (!data.ok()) return InPackage(path, where, data.status());
    if (module) {
      ++contents.modules_scanned;
      absl::StatusOr<ScannedModule> scanned =
          ScanModule(absl::StrCat(path.filename().string(), ":", inner), *std::move(data), limits);
      if (!scanned.ok()) return InPackage(path, where, scanned.status());
      if (scanned->kept) contents.modules.push_back(*std::move(scanned));
      continue;
    }
    absl::StatusOr<ResolvedKernel> resolved = ResolveKernel(*std::move(data), limits);
    if (!resolved.ok()) return InPackage(path, where, resolved.status());
    // A package with both an image and an ELF vmlinux: the ELF keeps more.
    if (!contents.kernel || (contents.kernel->form != extract::KernelForm::kElfVmlinux &&
                             resolved->form == extract::KernelForm::kElfVmlinux)) {
      contents.kernel = *std::move(resolved);
      contents.kernel_member = inner;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<extract::PackageInfo> ReadDebControl(const std::filesystem::path& path) {
  absl::StatusOr<ArchivePtr> ar = OpenArFile(path);
  if (!ar.ok()) return InPackage(path, "", ar.status());
  archive_entry* entry = nullptr;
  while (true) {
    absl::StatusOr<bool> more = NextEntry(ar->get(), &entry);
    if (!more.ok()) return InPackage(path, "", more.status());
    if (!*more) break;
    std::string member = EntryPath(entry);
    if (!member.starts_with("control.tar")) continue;
    absl::StatusOr<extract::PackageInfo> info = ReadControlMember(ar->get());
    if (!info.ok()) return InPackage(path, member, info.status());
    return info;
  }
  return absl::InvalidArgumentError(absl::StrCat(path.string(), ": Debian package has no control.tar member"));
}

absl::StatusOr<DebPackageContents> ReadDebPackage(const std::filesystem::path& path, const DecompressLimits& limits) {
  absl::StatusOr<ArchivePtr> ar = OpenArFile(path);
  if (!ar.ok()) return InPackage(path, "", ar.status());
  DebPackageContents contents;
  bool saw_control = false;
  bool saw_data = false;
  archive_entry* entry = nullptr;
  while (true) {
    absl::StatusOr<bool> more = NextEntry(ar->get(), &entry);
    if (!more.ok()) return InPackage(path, "", more.status());
    if (!*more) break;
    std::string member = EntryPath(entry);
    if (member.starts_with("control.tar")) {
      absl::StatusOr<extract::PackageInfo> info = ReadControlMember(ar->get());
      if (!info.ok()) return InPackage(path, member, info.status());
      contents.package = *std::move(info);
      saw_control = true;
    } else if (member.starts_with("data.tar")) {
      KFUNCDB_RETURN_IF_ERROR(ReadDataMember(path, member, ar->get(), limits, contents));
      saw_data = true;
    }
  }
  if (!saw_control || !saw_data) {
    return absl::InvalidArgumentError(absl::StrCat(path.string(), ": Debian package lacks its ",
                                                   saw_control ? "data.tar" : "control.tar",
                                                   " member (truncated or not a binary package)"));
  }
  if (contents.package.kernel_release.empty()) {
    std::string_view from = contents.kernel ? std::string_view(contents.kernel_member)
                            : contents.modules.empty() ? std::string_view()
                                                       : std::string_view(contents.modules.front().kept->origin);
    contents.package.kernel_release = ReleaseFromPath(from).value_or("");
  }
  return contents;
}

}  // namespace kfuncdb::unpack
