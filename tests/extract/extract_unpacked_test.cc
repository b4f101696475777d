// ExtractBuild on what the unpack library makes of whole corpus packages:
// the arm64 Image, whose .BTF and .BTF_ids are cut out of a non-ELF image
// (KernelForm::kImageSections), and a package read end to end.
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ingest/extract/extract_build.h"
#include "ingest/unpack/unpack.h"
#include "tests/support/test_support.h"

namespace kfuncdb::extract {
namespace {

using kfuncdb::v1::BuildRecord;

constexpr char kDeb61Arm64[] = "linux-image-6.1.0-56-cloud-arm64_6.1.192-2_arm64.deb";

TEST(ExtractUnpacked61Arm64, ImageSectionsScanFinds36Pairs) {
  KFUNCDB_REQUIRE_CORPUS_FILE(deb, kDeb61Arm64);
  absl::StatusOr<std::vector<KernelArtifacts>> builds = kfuncdb::unpack::UnpackInputs({deb}, {});
  ASSERT_TRUE(builds.ok()) << builds.status();
  ASSERT_EQ(builds->size(), 1u);
  const KernelArtifacts& artifacts = builds->front();
  ASSERT_EQ(artifacts.form, KernelForm::kImageSections);
  absl::StatusOr<BuildRecord> record = ExtractBuild(artifacts, {});
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->kernel_release(), "6.1.0-56-cloud-arm64");
  EXPECT_EQ(record->release(), "6.1");
  EXPECT_EQ(record->upstream_version(), "6.1.192");
  EXPECT_EQ(record->arch(), "arm64");
  EXPECT_TRUE(record->flags_known());
  int vmlinux = 0;
  for (const auto& kfunc : record->kfuncs()) {
    if (kfunc.owner() != "vmlinux") continue;
    ++vmlinux;
    EXPECT_EQ(kfunc.source(), kfuncdb::v1::KFUNC_SOURCE_SET_SCAN);
    EXPECT_FALSE(kfunc.has_set_name());
  }
  // The README's 36 pairs; the x86-only set is empty (cnt 0) here.
  EXPECT_EQ(vmlinux, 36);
  bool has_crash_kexec = false;
  for (const auto& kfunc : record->kfuncs()) has_crash_kexec |= kfunc.name() == "crash_kexec";
  EXPECT_TRUE(has_crash_kexec);
}

// With the package's and the release's word on the architecture taken away,
// the Image's BTF still tells arm64 (its struct pt_regs has orig_x0).
TEST(ExtractUnpacked61Arm64, ArchitectureFromBtfAlone) {
  KFUNCDB_REQUIRE_CORPUS_FILE(deb, kDeb61Arm64);
  absl::StatusOr<std::vector<KernelArtifacts>> builds = kfuncdb::unpack::UnpackInputs({deb}, {});
  ASSERT_TRUE(builds.ok()) << builds.status();
  ASSERT_EQ(builds->size(), 1u);
  KernelArtifacts artifacts = builds->front();
  artifacts.package.architecture.clear();
  artifacts.arch_hint.clear();
  ExtractOptions options;
  options.release_override = "6.1.192";  // no "-cloud-arm64" flavour to read it from
  absl::StatusOr<BuildRecord> record = ExtractBuild(artifacts, options);
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->arch(), "arm64");
  bool said_so = false;
  for (const auto& diagnostic : record->diagnostics()) {
    said_so |= diagnostic.message() ==
               "architecture arm64 told by the BTF's struct pt_regs; pass --arch to override";
  }
  EXPECT_TRUE(said_so);
}

}  // namespace
}  // namespace kfuncdb::extract
