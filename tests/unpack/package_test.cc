// Debian packages built by the fixture generator (libarchive: ar +
// control.tar.xz + data.tar.xz): classic and split packaging, folders of
// packages, and broken packages.
#include <set>

#include <gtest/gtest.h>

#include "ingest/extract/extract_build.h"
#include "ingest/unpack/unpack.h"
#include "tests/fixtures/image_builder.h"
#include "tests/fixtures/kernel_fixture.h"
#include "tests/fixtures/package_builder.h"
#include "tests/support/test_support.h"
#include "tests/unpack/fixture_kernels.h"

namespace kfuncdb::unpack {
namespace {

using extract::KernelArtifacts;

class PackageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const testing::FixtureKernel& kernel = testing::SmallKernel();
    release_ = kernel.release;
    fixtures::BzImageSpec spec;
    spec.version_string = release_ + " (fixture@kfuncdb) #1 SMP";
    absl::StatusOr<std::string> image = fixtures::BuildBzImage(kernel.vmlinux, fixtures::PayloadCodec::kZstd, spec);
    ASSERT_TRUE(image.ok()) << image.status();
    vmlinuz_ = *image;
    absl::StatusOr<std::string> kfunc_xz = fixtures::CompressXz(kernel.kfunc_module);
    absl::StatusOr<std::string> plain_zst = fixtures::CompressZstd(kernel.plain_module);
    ASSERT_TRUE(kfunc_xz.ok() && plain_zst.ok());
    modules_ = {{"usr/lib/modules/" + release_ + "/kernel/net/kfunc_mod.ko.xz", *kfunc_xz},
                {"usr/lib/modules/" + release_ + "/kernel/fs/plain_mod.ko.zst", *plain_zst}};
  }

  std::filesystem::path WriteDeb(const std::filesystem::path& dir, const std::string& name,
                                 std::vector<fixtures::PackageFile> files) {
    fixtures::PackageSpec spec;
    spec.name = name;
    spec.version = "6.1.77-1";
    spec.files = std::move(files);
    spec.files.push_back({"usr/share/doc/" + name + "/changelog.gz", "not really gzip"});
    absl::StatusOr<std::string> deb = fixtures::BuildDebPackage(spec);
    EXPECT_TRUE(deb.ok()) << deb.status();
    std::filesystem::path path = dir / (name + "_6.1.77-1_amd64.deb");
    testing::WriteFileOrFail(path, deb.value_or(""));
    return path;
  }

  // The three packages of split packaging, in `dir`.
  std::vector<std::filesystem::path> WriteSplitPackages(const std::filesystem::path& dir) {
    return {WriteDeb(dir, "linux-image-" + release_, {}),
            WriteDeb(dir, "linux-binary-" + release_, {{"usr/lib/modules/" + release_ + "/vmlinuz", vmlinuz_}}),
            WriteDeb(dir, "linux-modules-" + release_, modules_)};
  }

  void ExpectOneFullBuild(const absl::StatusOr<std::vector<KernelArtifacts>>& builds) {
    ASSERT_TRUE(builds.ok()) << builds.status();
    ASSERT_EQ(builds->size(), 1u);
    const KernelArtifacts& build = builds->front();
    EXPECT_EQ(build.form, extract::KernelForm::kElfVmlinux);
    EXPECT_TRUE(build.kernel_bytes == testing::SmallKernel().vmlinux);
    EXPECT_EQ(build.release_hint, release_);
    EXPECT_EQ(build.modules_scanned, 2u);
    ASSERT_EQ(build.modules.size(), 1u);  // plain_mod has no .BTF_ids
    EXPECT_NE(build.modules[0].origin.find("kfunc_mod.ko.xz"), std::string::npos);
    EXPECT_TRUE(build.modules[0].bytes == testing::SmallKernel().kfunc_module);
  }

  testing::ScratchDir scratch_;
  std::string release_;
  std::string vmlinuz_;
  std::vector<fixtures::PackageFile> modules_;
};

TEST_F(PackageTest, ClassicPackageHoldsKernelAndModules) {
  std::vector<fixtures::PackageFile> files = modules_;
  files.push_back({"boot/vmlinuz-" + release_, vmlinuz_});
  files.push_back({"boot/config-" + release_, "CONFIG_DEBUG_INFO_BTF=y\n"});
  std::filesystem::path deb = WriteDeb(scratch_.path(), "linux-image-" + release_ + "-unsigned", files);
  absl::StatusOr<std::vector<KernelArtifacts>> builds = UnpackInputs({deb}, {});
  ExpectOneFullBuild(builds);
  if (!builds.ok()) return;
  const extract::PackageInfo& package = builds->front().package;
  EXPECT_EQ(package.name, "linux-image-" + release_ + "-unsigned");
  EXPECT_EQ(package.version, "6.1.77-1");
  EXPECT_EQ(package.architecture, "amd64");
  EXPECT_EQ(package.distribution, "debian");
  EXPECT_EQ(package.kernel_release, release_);
}

TEST_F(PackageTest, SplitPackagesGivenTogetherFormOneBuild) {
  std::vector<std::filesystem::path> debs = WriteSplitPackages(scratch_.path());
  // Order does not matter: modules first.
  absl::StatusOr<std::vector<KernelArtifacts>> builds = UnpackInputs({debs[2], debs[0], debs[1]}, {});
  ExpectOneFullBuild(builds);
  if (!builds.ok()) return;
  EXPECT_EQ(builds->front().package.name, "linux-image-" + release_);
  EXPECT_EQ(builds->front().inputs.size(), 3u);
}

TEST_F(PackageTest, FolderOfPackagesGroupsByRelease) {
  WriteSplitPackages(scratch_.path());
  absl::StatusOr<std::vector<KernelArtifacts>> builds = UnpackInputs({scratch_.path()}, {});
  ExpectOneFullBuild(builds);
}

TEST_F(PackageTest, ModulesOfAnotherReleaseAreNotMatched) {
  std::filesystem::path binary =
      WriteDeb(scratch_.path(), "linux-binary-" + release_, {{"usr/lib/modules/" + release_ + "/vmlinuz", vmlinuz_}});
  // Modules whose vermagic names this release, in a package of another one.
  std::filesystem::path other = WriteDeb(scratch_.path(), "linux-modules-6.1.0-78-fixture-amd64", modules_);
  absl::StatusOr<std::vector<KernelArtifacts>> builds = UnpackInputs({binary, other}, {});
  ASSERT_FALSE(builds.ok());  // the second build has no kernel
  EXPECT_NE(builds.status().message().find("6.1.0-78-fixture-amd64"), std::string::npos) << builds.status();

  absl::StatusOr<PlannedBuilds> planned = PlanBuilds({binary, other}, {});
  ASSERT_TRUE(planned.ok()) << planned.status();
  ASSERT_EQ(planned->builds.size(), 2u);
  absl::StatusOr<KernelArtifacts> kernel_only = UnpackBuild(planned->builds[0], {});
  ASSERT_TRUE(kernel_only.ok()) << kernel_only.status();
  EXPECT_TRUE(kernel_only->modules.empty());
}

TEST_F(PackageTest, MetadataOnlyPackageAloneSaysWhatIsMissing) {
  std::filesystem::path deb = WriteDeb(scratch_.path(), "linux-image-" + release_, {});
  absl::StatusOr<std::vector<KernelArtifacts>> builds = UnpackInputs({deb}, {});
  ASSERT_FALSE(builds.ok());
  EXPECT_EQ(builds.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(builds.status().message().find(deb.string()), std::string::npos) << builds.status();
  EXPECT_NE(builds.status().message().find("linux-binary-" + release_), std::string::npos) << builds.status();
}

TEST_F(PackageTest, TruncatedPackageNamesFileAndMember) {
  std::vector<fixtures::PackageFile> files = modules_;
  files.push_back({"boot/vmlinuz-" + release_, vmlinuz_});
  std::filesystem::path deb = WriteDeb(scratch_.path(), "linux-image-" + release_, files);
  std::string bytes = testing::ReadFileOrFail(deb);
  testing::WriteFileOrFail(deb, bytes.substr(0, bytes.size() * 3 / 4));
  absl::StatusOr<std::vector<KernelArtifacts>> builds = UnpackInputs({deb}, {});
  ASSERT_FALSE(builds.ok());
  EXPECT_NE(builds.status().message().find(deb.string()), std::string::npos) << builds.status();
  EXPECT_NE(builds.status().message().find("data.tar.xz"), std::string::npos) << builds.status();
}

TEST_F(PackageTest, CorruptModuleInPackageNamesTheMember) {
  std::vector<fixtures::PackageFile> files = {{"boot/vmlinuz-" + release_, vmlinuz_},
                                              {"lib/modules/" + release_ + "/kernel/bad.ko.xz",
                                               modules_[0].bytes.substr(0, 200)}};
  std::filesystem::path deb = WriteDeb(scratch_.path(), "linux-image-" + release_, files);
  absl::StatusOr<std::vector<KernelArtifacts>> builds = UnpackInputs({deb}, {});
  ASSERT_FALSE(builds.ok());
  EXPECT_NE(builds.status().message().find("bad.ko.xz"), std::string::npos) << builds.status();
  EXPECT_NE(builds.status().message().find("xz"), std::string::npos) << builds.status();
}

TEST_F(PackageTest, DebugPackageVmlinuxIsTheKernel) {
  std::filesystem::path deb = WriteDeb(scratch_.path(), "linux-image-" + release_ + "-dbg",
                                       {{"usr/lib/debug/boot/vmlinux-" + release_, testing::SmallKernel().vmlinux}});
  absl::StatusOr<std::vector<KernelArtifacts>> builds = UnpackInputs({deb}, {});
  ASSERT_TRUE(builds.ok()) << builds.status();
  ASSERT_EQ(builds->size(), 1u);
  EXPECT_EQ(builds->front().form, extract::KernelForm::kElfVmlinux);
  EXPECT_EQ(builds->front().package.kernel_release, release_);
}

TEST_F(PackageTest, PackageAndItsDebugTwinShareModulesOnce) {
  std::vector<fixtures::PackageFile> files = modules_;
  files.push_back({"boot/vmlinuz-" + release_, vmlinuz_});
  std::filesystem::path image = WriteDeb(scratch_.path(), "linux-image-" + release_, files);
  std::filesystem::path dbg = WriteDeb(
      scratch_.path(), "linux-image-" + release_ + "-dbg",
      {{"usr/lib/debug/lib/modules/" + release_ + "/vmlinux", testing::SmallKernel().vmlinux},
       {"usr/lib/debug/lib/modules/" + release_ + "/kernel/net/kfunc_mod.ko", testing::SmallKernel().kfunc_module}});
  absl::StatusOr<std::vector<KernelArtifacts>> builds = UnpackInputs({image, dbg}, {});
  ASSERT_TRUE(builds.ok()) << builds.status();
  ASSERT_EQ(builds->size(), 1u);
  const KernelArtifacts& build = builds->front();
  EXPECT_EQ(build.modules.size(), 1u);
  EXPECT_EQ(build.modules_scanned, 3u);
  EXPECT_NE(build.kernel_origin.find("boot/vmlinuz-"), std::string::npos) << build.kernel_origin;
  // What was passed over is said, not dropped silently.
  ASSERT_EQ(build.diagnostics.size(), 2u);
  EXPECT_NE(build.diagnostics[0].origin.find("usr/lib/debug/lib/modules/" + release_ + "/vmlinux"), std::string::npos)
      << build.diagnostics[0].origin;
  EXPECT_NE(build.diagnostics[0].message.find("kernel not used"), std::string::npos) << build.diagnostics[0].message;
  EXPECT_NE(build.diagnostics[1].origin.find("kernel/net/kfunc_mod.ko"), std::string::npos)
      << build.diagnostics[1].origin;
  EXPECT_NE(build.diagnostics[1].message.find("kfunc_mod.ko.xz"), std::string::npos) << build.diagnostics[1].message;
}

TEST_F(PackageTest, ModuleOfAnotherReleaseIsADiagnostic) {
  const std::string other_release = "6.1.0-99-fixture-amd64";
  fixtures::ModuleSpec spec;
  spec.name = "other_mod";
  spec.vermagic_release = other_release;
  spec.sets = {{"other_mod_ids", 0}};
  spec.kfuncs = {{.name = "bpf_other_lookup", .set = "other_mod_ids", .flags = 0x1}};
  absl::StatusOr<std::string> other = fixtures::BuildModuleElf(spec, testing::SmallKernel().raw_btf);
  ASSERT_TRUE(other.ok()) << other.status();
  std::vector<fixtures::PackageFile> files = modules_;
  files.push_back({"boot/vmlinuz-" + release_, vmlinuz_});
  files.push_back({"usr/lib/modules/" + release_ + "/kernel/misc/other_mod.ko", *other});
  std::filesystem::path deb = WriteDeb(scratch_.path(), "linux-image-" + release_, files);

  absl::StatusOr<std::vector<KernelArtifacts>> builds = UnpackInputs({deb}, {});
  ASSERT_TRUE(builds.ok()) << builds.status();
  ASSERT_EQ(builds->size(), 1u);
  const KernelArtifacts& build = builds->front();
  EXPECT_EQ(build.modules_scanned, 3u);
  ASSERT_EQ(build.modules.size(), 1u);
  EXPECT_NE(build.modules[0].origin.find("kfunc_mod.ko.xz"), std::string::npos);
  ASSERT_EQ(build.diagnostics.size(), 1u);
  EXPECT_NE(build.diagnostics[0].origin.find("misc/other_mod.ko"), std::string::npos) << build.diagnostics[0].origin;
  EXPECT_NE(build.diagnostics[0].message.find(other_release), std::string::npos) << build.diagnostics[0].message;

  // Extraction carries it into the record.
  absl::StatusOr<kfuncdb::v1::BuildRecord> record = extract::ExtractBuild(build, {});
  ASSERT_TRUE(record.ok()) << record.status();
  bool found = false;
  for (const kfuncdb::v1::Diagnostic& diagnostic : record->diagnostics()) {
    found |= diagnostic.origin() == build.diagnostics[0].origin && diagnostic.message() == build.diagnostics[0].message;
  }
  EXPECT_TRUE(found) << record->DebugString();
  ASSERT_EQ(record->modules_size(), 1);
  EXPECT_EQ(record->modules(0).name(), "kfunc_mod");
}

}  // namespace
}  // namespace kfuncdb::unpack
