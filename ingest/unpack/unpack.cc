#include "ingest/unpack/unpack.h"

#include <algorithm>
#include <iterator>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "ingest/unpack/bzimage.h"
#include "ingest/unpack/codec.h"
#include "ingest/unpack/deb_package.h"
#include "ingest/unpack/decompress.h"
#include "ingest/unpack/file_bytes.h"
#include "ingest/unpack/kernel_resolver.h"
#include "ingest/unpack/release_names.h"

namespace kfuncdb::unpack {
namespace {

using extract::KernelArtifacts;
using extract::KernelForm;

// Enough for any bzImage setup area (setup_sects <= 255 sectors), where the
// version string lives.
constexpr size_t kPlanHeadSize = 160 << 10;
// Decompressed bytes looked at to tell what a compressed file holds.
constexpr uint64_t kPeekSize = 64 << 10;

DecompressLimits LimitsOf(const UnpackOptions& options) {
  return DecompressLimits{.max_output = options.max_decompressed_bytes, .truncate_at_limit = false};
}

absl::Status InFile(const std::filesystem::path& path, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat(path.string(), ": ", status.message()));
}

// Whether a file found while walking a folder is something to unpack.
bool IsUsable(const InputFile& file) {
  switch (file.inner_kind) {
    case ContentKind::kUnknown:
    case ContentKind::kCompressed:
      return false;
    default:
      return true;
  }
}

// Fills release / module / inner_kind for a compressed file from what it holds.
absl::Status ClassifyCompressed(InputFile& file, const UnpackOptions& options) {
  KFUNCDB_ASSIGN_OR_RETURN(std::string bytes, ReadWholeFile(file.path, options.max_decompressed_bytes));
  Codec codec = *DetectCodec(bytes);
  absl::StatusOr<std::string> peek = Decompress(codec, bytes, {.max_output = kPeekSize, .truncate_at_limit = true});
  if (!peek.ok()) return InFile(file.path, peek.status());
  file.inner_kind = ClassifyContent(*peek);
  switch (file.inner_kind) {
    case ContentKind::kElfModule: {
      absl::StatusOr<ScannedModule> module = ScanModule(file.path.string(), std::move(bytes), LimitsOf(options));
      if (!module.ok()) return InFile(file.path, module.status());
      file.release = module->vermagic_release;
      file.module = *std::move(module);
      return absl::OkStatus();
    }
    case ContentKind::kElfKernel:
    case ContentKind::kArm64Image: {
      absl::StatusOr<std::string> inner = Decompress(codec, bytes, LimitsOf(options));
      if (!inner.ok()) return InFile(file.path, inner.status());
      file.release = FindBannerRelease(*inner).value_or("");
      return absl::OkStatus();
    }
    case ContentKind::kRawBtf:
    case ContentKind::kTar:
      return absl::OkStatus();
    default:
      // Some other compressed file (a changelog.gz in an unpacked package).
      file.inner_kind = ContentKind::kUnknown;
      return absl::OkStatus();
  }
}

// Adds plain files under `dir` (recursively, sorted for a stable order).
absl::Status ListFolder(const std::filesystem::path& dir, std::vector<std::filesystem::path>& out) {
  std::error_code ec;
  std::vector<std::filesystem::path> found;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec); !ec && it != std::filesystem::end(it);
       it.increment(ec)) {
    if (it->is_regular_file(ec)) found.push_back(it->path());
  }
  if (ec) return absl::NotFoundError(absl::StrCat(dir.string(), ": cannot list folder: ", ec.message()));
  std::sort(found.begin(), found.end());
  out.insert(out.end(), found.begin(), found.end());
  return absl::OkStatus();
}

std::string DescribeFiles(const BuildPlan& plan) {
  return absl::StrJoin(plan.files, ", ", [](std::string* out, const InputFile& file) {
    absl::StrAppend(out, file.path.string());
  });
}

// Kernel forms by how much extraction can learn from them.
int FormRank(KernelForm form) {
  switch (form) {
    case KernelForm::kElfVmlinux: return 2;
    case KernelForm::kImageSections: return 1;
    case KernelForm::kRawBtf: return 0;
  }
  return 0;
}

// What UnpackBuild gathers from the files before choosing the kernel.
struct Gathered {
  std::optional<ResolvedKernel> kernel;
  std::string kernel_origin;
  std::vector<ScannedModule> modules;
  uint32_t modules_scanned = 0;
  std::vector<extract::PackageInfo> packages;
  std::vector<extract::UnpackDiagnostic> diagnostics;
};

// Keeps the kernel that tells extraction the most; the first of equals.
void OfferKernel(Gathered& gathered, ResolvedKernel kernel, std::string origin) {
  origin = absl::StrCat(origin, kernel.how.empty() ? "" : " (", kernel.how, kernel.how.empty() ? "" : ")");
  if (gathered.kernel && FormRank(gathered.kernel->form) >= FormRank(kernel.form)) {
    gathered.diagnostics.push_back({std::move(origin), absl::StrCat("kernel not used: ", gathered.kernel_origin,
                                                                    " is used for this build")});
    return;
  }
  if (gathered.kernel) {
    gathered.diagnostics.push_back(
        {gathered.kernel_origin, absl::StrCat("kernel not used: ", origin, " is used for this build")});
  }
  gathered.kernel_origin = std::move(origin);
  gathered.kernel = std::move(kernel);
}

absl::Status GatherFile(const InputFile& file, const UnpackOptions& options, Gathered& gathered) {
  const DecompressLimits limits = LimitsOf(options);
  if (file.kind == ContentKind::kDebianPackage) {
    KFUNCDB_ASSIGN_OR_RETURN(DebPackageContents contents, ReadDebPackage(file.path, limits));
    gathered.modules_scanned += contents.modules_scanned;
    for (ScannedModule& module : contents.modules) gathered.modules.push_back(std::move(module));
    if (contents.kernel) {
      OfferKernel(gathered, *std::move(contents.kernel),
                  absl::StrCat(file.path.string(), ":", contents.kernel_member));
    }
    gathered.packages.push_back(std::move(contents.package));
    return absl::OkStatus();
  }
  if (file.module) {
    ++gathered.modules_scanned;
    if (file.module->kept) gathered.modules.push_back(*file.module);
    return absl::OkStatus();
  }
  KFUNCDB_ASSIGN_OR_RETURN(std::string bytes, ReadWholeFile(file.path, options.max_decompressed_bytes));
  absl::StatusOr<ResolvedKernel> kernel = ResolveKernel(std::move(bytes), limits);
  if (!kernel.ok()) return InFile(file.path, kernel.status());
  OfferKernel(gathered, *std::move(kernel), file.path.string());
  return absl::OkStatus();
}

// The package that names the build: the user-facing linux-image-* package
// when present (split packaging), else the first one.
extract::PackageInfo ChoosePackage(const std::vector<extract::PackageInfo>& packages) {
  for (const extract::PackageInfo& package : packages) {
    if (package.name.starts_with("linux-image-")) return package;
  }
  return packages.empty() ? extract::PackageInfo{} : packages.front();
}

absl::Status NoKernelError(const BuildPlan& plan, const Gathered& gathered) {
  std::string hint;
  for (const extract::PackageInfo& package : gathered.packages) {
    if (package.name.starts_with("linux-image-")) {
      hint = absl::StrCat(" (", package.name,
                          " is a metadata-only package in split packaging: give its linux-binary-",
                          package.kernel_release, " package too)");
    }
  }
  return absl::NotFoundError(absl::StrCat("no kernel found for release ",
                                          plan.release.empty() ? "(unknown)" : plan.release, " in ",
                                          DescribeFiles(plan), hint));
}

}  // namespace

absl::StatusOr<InputFile> ClassifyInput(const std::filesystem::path& path, const UnpackOptions& options) {
  KFUNCDB_ASSIGN_OR_RETURN(std::string head, ReadFileHead(path, kPlanHeadSize));
  InputFile file;
  file.path = path;
  file.kind = ClassifyContent(std::string_view(head).substr(0, kClassifyHeadSize));
  file.inner_kind = file.kind;
  switch (file.kind) {
    case ContentKind::kDebianPackage: {
      KFUNCDB_ASSIGN_OR_RETURN(file.package, ReadDebControl(path));
      file.release = file.package.kernel_release;
      break;
    }
    case ContentKind::kBzImage:
      file.release = BzImageRelease(head);
      break;
    case ContentKind::kElfKernel:
    case ContentKind::kArm64Image: {
      KFUNCDB_ASSIGN_OR_RETURN(std::string bytes, ReadWholeFile(path, options.max_decompressed_bytes));
      file.release = FindBannerRelease(bytes).value_or("");
      break;
    }
    case ContentKind::kElfModule: {
      KFUNCDB_ASSIGN_OR_RETURN(std::string bytes, ReadWholeFile(path, options.max_decompressed_bytes));
      absl::StatusOr<ScannedModule> module = ScanModule(path.string(), std::move(bytes), LimitsOf(options));
      if (!module.ok()) return InFile(path, module.status());
      file.release = module->vermagic_release;
      file.module = *std::move(module);
      break;
    }
    case ContentKind::kCompressed:
      KFUNCDB_RETURN_IF_ERROR(ClassifyCompressed(file, options));
      break;
    case ContentKind::kRawBtf:
    case ContentKind::kTar:
    case ContentKind::kUnknown:
      break;
  }
  return file;
}

absl::StatusOr<InputFile> ClassifyNamedInput(const std::filesystem::path& path, const UnpackOptions& options) {
  KFUNCDB_ASSIGN_OR_RETURN(InputFile file, ClassifyInput(path, options));
  if (!IsUsable(file)) {
    return absl::InvalidArgumentError(absl::StrCat(
        path.string(), ": unrecognised format: not a Debian package, bzImage, arm64 Image, ELF vmlinux or "
                       "module, raw BTF, tar, or a compressed file holding one of these"));
  }
  return file;
}

absl::StatusOr<FolderFiles> ClassifyFolder(const std::filesystem::path& dir, const UnpackOptions& options) {
  std::vector<std::filesystem::path> listed;
  KFUNCDB_RETURN_IF_ERROR(ListFolder(dir, listed));
  FolderFiles found;
  for (const std::filesystem::path& path : listed) {
    absl::StatusOr<InputFile> file = ClassifyInput(path, options);
    if (!file.ok()) {
      found.rejected.push_back({path, std::string(file.status().message())});
    } else if (IsUsable(*file)) {
      found.files.push_back(*std::move(file));
    }
  }
  return found;
}

absl::StatusOr<PlannedBuilds> PlanBuilds(const std::vector<std::filesystem::path>& inputs,
                                         const UnpackOptions& options) {
  std::vector<InputFile> files;
  PlannedBuilds planned;
  for (const std::filesystem::path& input : inputs) {
    std::error_code ec;
    if (std::filesystem::is_directory(input, ec)) {
      KFUNCDB_ASSIGN_OR_RETURN(FolderFiles found, ClassifyFolder(input, options));
      std::move(found.files.begin(), found.files.end(), std::back_inserter(files));
      std::move(found.rejected.begin(), found.rejected.end(), std::back_inserter(planned.rejected));
      continue;
    }
    KFUNCDB_ASSIGN_OR_RETURN(InputFile file, ClassifyNamedInput(input, options));
    files.push_back(std::move(file));
  }
  planned.builds = GroupIntoBuilds(std::move(files));
  return planned;
}

std::vector<BuildPlan> GroupIntoBuilds(std::vector<InputFile> files) {
  std::vector<BuildPlan> plans;
  std::map<std::string, size_t> plan_of_release;
  for (InputFile& file : files) {
    if (file.release.empty()) {
      plans.push_back(BuildPlan{"", {std::move(file)}});
      continue;
    }
    auto [it, inserted] = plan_of_release.emplace(file.release, plans.size());
    if (inserted) plans.push_back(BuildPlan{file.release, {}});
    plans[it->second].files.push_back(std::move(file));
  }
  return plans;
}

absl::StatusOr<KernelArtifacts> UnpackBuild(const BuildPlan& plan, const UnpackOptions& options) {
  Gathered gathered;
  std::vector<std::filesystem::path> paths;
  for (const InputFile& file : plan.files) {
    KFUNCDB_RETURN_IF_ERROR(GatherFile(file, options, gathered));
    paths.push_back(file.path);
  }
  if (!gathered.kernel) return NoKernelError(plan, gathered);

  KernelArtifacts artifacts;
  for (const std::filesystem::path& path : paths) artifacts.inputs.push_back(path.string());
  KFUNCDB_ASSIGN_OR_RETURN(artifacts.content_sha256, Sha256OfFiles(paths));

  ResolvedKernel& kernel = *gathered.kernel;
  artifacts.form = kernel.form;
  artifacts.kernel_origin = std::move(gathered.kernel_origin);
  artifacts.kernel_bytes = std::move(kernel.kernel_bytes);
  artifacts.btf_section = std::move(kernel.btf_section);
  artifacts.btf_ids_section = std::move(kernel.btf_ids_section);
  artifacts.release_hint = !kernel.release_hint.empty() ? kernel.release_hint : plan.release;
  artifacts.package = ChoosePackage(gathered.packages);
  artifacts.arch_hint = !kernel.arch_hint.empty() ? kernel.arch_hint : artifacts.package.architecture;

  // Modules belong to the kernel whose release their vermagic names. A
  // module seen twice (a package and its -dbg twin given together) is kept
  // once, the first time.
  const std::string& release = artifacts.release_hint;
  artifacts.modules_scanned = gathered.modules_scanned;
  artifacts.diagnostics = std::move(gathered.diagnostics);
  std::map<std::string, std::string> origin_of_name;
  for (ScannedModule& module : gathered.modules) {
    std::string& origin = module.kept->origin;
    if (!release.empty() && module.vermagic_release != release) {
      artifacts.diagnostics.push_back(
          {std::move(origin), absl::StrCat("module left out: vermagic release \"", module.vermagic_release,
                                           "\" is not the build's \"", release, "\"")});
      continue;
    }
    auto [first, inserted] = origin_of_name.emplace(module.name.empty() ? origin : module.name, origin);
    if (!inserted) {
      artifacts.diagnostics.push_back(
          {std::move(origin), absl::StrCat("module left out: the same module was taken from ", first->second)});
      continue;
    }
    artifacts.modules.push_back(std::move(*module.kept));
  }
  return artifacts;
}

absl::StatusOr<std::vector<KernelArtifacts>> UnpackInputs(const std::vector<std::filesystem::path>& inputs,
                                                          const UnpackOptions& options) {
  KFUNCDB_ASSIGN_OR_RETURN(PlannedBuilds planned, PlanBuilds(inputs, options));
  if (!planned.rejected.empty()) {
    // The reason already names the file, as ClassifyInput's errors do.
    return absl::InvalidArgumentError(planned.rejected.front().reason);
  }
  std::vector<KernelArtifacts> builds;
  for (const BuildPlan& plan : planned.builds) {
    KFUNCDB_ASSIGN_OR_RETURN(KernelArtifacts artifacts, UnpackBuild(plan, options));
    builds.push_back(std::move(artifacts));
  }
  return builds;
}

}  // namespace kfuncdb::unpack
