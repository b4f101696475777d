#include "ingest/extract/build_identity.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/kernel_release.h"
#include "common/status_macros.h"
#include "ingest/extract/diagnostics.h"

namespace kfuncdb::extract {
namespace {

std::string FirstNonEmpty(std::initializer_list<const std::string*> candidates) {
  for (const std::string* candidate : candidates) {
    if (!candidate->empty()) return *candidate;
  }
  return "";
}

}  // namespace

absl::Status FillBuildIdentity(const KernelArtifacts& artifacts,
                               const std::optional<LinuxBanner>& banner,
                               const std::string& elf_arch, const std::string& btf_arch,
                               const ExtractOptions& options,
                               kfuncdb::v1::BuildRecord* record) {
  const std::string& origin = artifacts.kernel_origin;
  static const std::string kNone;
  const std::string& banner_release = banner ? banner->kernel_release : kNone;
  std::string release = FirstNonEmpty({&options.release_override, &banner_release,
                                       &artifacts.release_hint, &artifacts.package.kernel_release});
  if (release.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        origin, ": kernel release unknown: the input has no linux_banner and no release hint; "
                "pass --release"));
  }
  if (!options.release_override.empty() && !banner_release.empty() &&
      banner_release != options.release_override) {
    AddDiagnostic(record, origin,
             absl::StrCat("--release ", options.release_override, " overrides the banner's ",
                          banner_release));
  }
  absl::StatusOr<KernelReleaseInfo> parsed = ParseKernelRelease(release);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(origin, ": ", parsed.status().message()));
  }
  record->set_kernel_release(release);
  record->set_release(parsed->base.ToString());
  record->set_flavour(parsed->flavour);

  std::string upstream = parsed->upstream_version;
  if (upstream.empty() && banner) upstream = UpstreamVersionFromBanner(banner->text);
  if (upstream.empty() && !artifacts.package.version.empty()) {
    size_t consumed = 0;
    std::optional<KernelVersion> package =
        KernelVersion::ParsePrefix(artifacts.package.version, &consumed);
    if (package && package->patch() && package->Base() == parsed->base) upstream = package->ToString();
  }
  record->set_upstream_version(upstream);

  std::string arch = FirstNonEmpty({&options.arch_override, &elf_arch, &artifacts.arch_hint,
                                    &artifacts.package.architecture, &parsed->arch});
  if (arch.empty() && !btf_arch.empty()) {
    arch = btf_arch;
    AddDiagnostic(record, origin,
                  absl::StrCat("architecture ", arch,
                               " told by the BTF's struct pt_regs; pass --arch to override"));
  }
  if (arch.empty()) {
    AddDiagnostic(record, origin,
                  "architecture unknown (no ELF header, package, or known struct pt_regs); "
                  "pass --arch");
  }
  record->set_arch(arch);
  record->set_distribution(artifacts.package.distribution);
  record->set_package_version(artifacts.package.version);
  return absl::OkStatus();
}

}  // namespace kfuncdb::extract
