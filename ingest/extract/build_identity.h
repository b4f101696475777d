// Fills a BuildRecord's identity: kernel release, mainline base release,
// upstream version, architecture, flavour and package fields.
//
// Kernel release: --release when given (a banner that disagrees is noted as
// a diagnostic), else the vmlinux's linux_banner, else the unpacker's
// release hint, else the package's; none of them is an error naming the
// input and suggesting --release.
// Upstream version: from the release string when it carries one
// (6.12.118+deb13-...), else the Debian banner tail ("Debian 6.1.192-2"),
// else the package version when it has the same base release.
// Architecture: --arch, else the ELF machine, else the unpacker's hint, else
// the package's, else the flavour's ("cloud-amd64"), else the one the BTF's
// struct pt_regs tells (btf_arch.h; a diagnostic says so); unknown is a
// diagnostic.
#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "ingest/extract/extract_options.h"
#include "ingest/extract/kernel_artifacts.h"
#include "ingest/extract/linux_banner.h"
#include "proto/kfuncdb/v1/build_record.pb.h"

namespace kfuncdb::extract {

// `elf_arch` is the vmlinux ELF's architecture, empty when not an ELF;
// `btf_arch` the one ArchFromBtf() tells, empty when it cannot.
absl::Status FillBuildIdentity(const KernelArtifacts& artifacts,
                               const std::optional<LinuxBanner>& banner,
                               const std::string& elf_arch, const std::string& btf_arch,
                               const ExtractOptions& options,
                               kfuncdb::v1::BuildRecord* record);

}  // namespace kfuncdb::extract
