// Inputs other than packages and boot images: ELF vmlinux, raw BTF, files
// compressed as a whole, BTFHub .btf.tar.xz archives, loose modules,
// unpacked package trees, and files of unknown format. Detection is by
// content: the file names here deliberately say nothing.
#include <thread>

#include <gtest/gtest.h>

#include "ingest/unpack/unpack.h"
#include "tests/fixtures/image_builder.h"
#include "tests/fixtures/kernel_fixture.h"
#include "tests/fixtures/package_builder.h"
#include "tests/support/test_support.h"
#include "tests/unpack/fixture_kernels.h"

namespace kfuncdb::unpack {
namespace {

using extract::KernelArtifacts;
using extract::KernelForm;

class InputsTest : public ::testing::Test {
 protected:
  std::filesystem::path Write(const std::string& name, const std::string& bytes) {
    std::filesystem::path path = scratch_ / name;
    std::filesystem::create_directories(path.parent_path());
    testing::WriteFileOrFail(path, bytes);
    return path;
  }

  // The single build of `inputs`, or a test failure.
  KernelArtifacts One(const std::vector<std::filesystem::path>& inputs) {
    absl::StatusOr<std::vector<KernelArtifacts>> builds = UnpackInputs(inputs, {});
    EXPECT_TRUE(builds.ok()) << builds.status();
    if (!builds.ok() || builds->size() != 1) {
      ADD_FAILURE() << "expected one build, got " << (builds.ok() ? builds->size() : 0);
      return {};
    }
    return std::move(builds->front());
  }

  const testing::FixtureKernel& kernel_ = testing::SmallKernel();
  testing::ScratchDir scratch_;
};

TEST_F(InputsTest, ElfVmlinuxWithLooseModules) {
  std::filesystem::path vmlinux = Write("a", kernel_.vmlinux);
  std::filesystem::path kfunc_mod = Write("b", kernel_.kfunc_module);
  std::filesystem::path plain_mod = Write("c", *fixtures::CompressZstd(kernel_.plain_module));
  KernelArtifacts build = One({kfunc_mod, vmlinux, plain_mod});
  EXPECT_EQ(build.form, KernelForm::kElfVmlinux);
  EXPECT_EQ(build.release_hint, kernel_.release);  // from the banner
  EXPECT_EQ(build.arch_hint, "amd64");
  EXPECT_EQ(build.modules_scanned, 2u);
  ASSERT_EQ(build.modules.size(), 1u);
  EXPECT_EQ(build.modules[0].origin, kfunc_mod.string());
  EXPECT_EQ(build.inputs, (std::vector<std::string>{kfunc_mod.string(), vmlinux.string(), plain_mod.string()}));
}

TEST_F(InputsTest, RawBtfPlainAndCompressed) {
  KernelArtifacts plain = One({Write("btf", kernel_.raw_btf)});
  EXPECT_EQ(plain.form, KernelForm::kRawBtf);
  EXPECT_TRUE(plain.kernel_bytes == kernel_.raw_btf);

  KernelArtifacts xz = One({Write("btf-x", *fixtures::CompressXz(kernel_.raw_btf))});
  EXPECT_EQ(xz.form, KernelForm::kRawBtf);
  EXPECT_TRUE(xz.kernel_bytes == kernel_.raw_btf);
  EXPECT_NE(xz.kernel_origin.find("(xz, raw BTF)"), std::string::npos) << xz.kernel_origin;

  KernelArtifacts zst = One({Write("btf-z", *fixtures::CompressZstd(kernel_.raw_btf))});
  EXPECT_TRUE(zst.kernel_bytes == kernel_.raw_btf);
}

TEST_F(InputsTest, BtfHubArchive) {
  absl::StatusOr<std::string> archive =
      fixtures::BuildTarXz({{"6.1.0-77-fixture-amd64.btf", kernel_.raw_btf}});
  ASSERT_TRUE(archive.ok()) << archive.status();
  KernelArtifacts build = One({Write("hub", *archive)});
  EXPECT_EQ(build.form, KernelForm::kRawBtf);
  EXPECT_TRUE(build.kernel_bytes == kernel_.raw_btf);
  EXPECT_NE(build.kernel_origin.find("6.1.0-77-fixture-amd64.btf"), std::string::npos) << build.kernel_origin;
}

TEST_F(InputsTest, UnpackedPackageTreeIsOneBuild) {
  absl::StatusOr<std::string> vmlinuz = fixtures::BuildBzImage(
      kernel_.vmlinux, fixtures::PayloadCodec::kGzip, {.version_string = kernel_.release + " (x) #1"});
  ASSERT_TRUE(vmlinuz.ok()) << vmlinuz.status();
  std::string modules = "root/lib/modules/" + kernel_.release + "/kernel/";
  Write("root/boot/vmlinuz-" + kernel_.release, *vmlinuz);
  Write("root/boot/config-" + kernel_.release, "CONFIG_BPF=y\n");
  Write(modules + "net/kfunc_mod.ko.xz", *fixtures::CompressXz(kernel_.kfunc_module));
  Write(modules + "fs/plain_mod.ko", kernel_.plain_module);
  Write("root/lib/modules/" + kernel_.release + "/modules.dep", "kernel/fs/plain_mod.ko:\n");
  Write("root/usr/share/doc/linux/changelog.gz", *fixtures::CompressGzip("linux (6.1.77-1) unstable\n"));

  KernelArtifacts build = One({scratch_ / "root"});
  EXPECT_EQ(build.form, KernelForm::kElfVmlinux);
  EXPECT_EQ(build.release_hint, kernel_.release);
  EXPECT_EQ(build.modules_scanned, 2u);
  EXPECT_EQ(build.modules.size(), 1u);
  EXPECT_EQ(build.inputs.size(), 3u);  // vmlinuz and the two modules
}

TEST_F(InputsTest, BadFileInFolderIsRejectedAndTheRestPlanned) {
  std::string xz_module = *fixtures::CompressXz(kernel_.kfunc_module);
  Write("dir/vmlinux", kernel_.vmlinux);
  Write("dir/good/kfunc_mod.ko.xz", xz_module);
  std::filesystem::path bad = Write("dir/bad/kfunc_mod.ko.xz", xz_module.substr(0, xz_module.size() / 2));

  absl::StatusOr<PlannedBuilds> planned = PlanBuilds({scratch_ / "dir"}, {});
  ASSERT_TRUE(planned.ok()) << planned.status();
  ASSERT_EQ(planned->rejected.size(), 1u);
  EXPECT_EQ(planned->rejected[0].path, bad);
  EXPECT_NE(planned->rejected[0].reason.find(bad.string()), std::string::npos) << planned->rejected[0].reason;
  ASSERT_EQ(planned->builds.size(), 1u);
  EXPECT_EQ(planned->builds[0].release, kernel_.release);
  ASSERT_EQ(planned->builds[0].files.size(), 2u);  // sorted: good/kfunc_mod.ko.xz, vmlinux
  EXPECT_EQ(planned->builds[0].files[0].path, scratch_ / "dir/good/kfunc_mod.ko.xz");
  absl::StatusOr<KernelArtifacts> build = UnpackBuild(planned->builds[0], {});
  ASSERT_TRUE(build.ok()) << build.status();
  EXPECT_EQ(build->modules.size(), 1u);

  // UnpackInputs is strict: the rejected file is its error.
  absl::StatusOr<std::vector<KernelArtifacts>> strict = UnpackInputs({scratch_ / "dir"}, {});
  ASSERT_FALSE(strict.ok());
  EXPECT_NE(strict.status().message().find(bad.string()), std::string::npos) << strict.status();
  // Named on its own, the bad file fails the plan as that input.
  absl::StatusOr<PlannedBuilds> named = PlanBuilds({bad}, {});
  ASSERT_FALSE(named.ok());
  EXPECT_NE(named.status().message().find(bad.string()), std::string::npos) << named.status();
}

TEST_F(InputsTest, UnknownFormatNamesTheFile) {
  std::filesystem::path path = Write("vmlinuz-6.1.0-1-amd64.deb", "#!/bin/sh\necho not a kernel\n");
  absl::StatusOr<std::vector<KernelArtifacts>> builds = UnpackInputs({path}, {});
  ASSERT_FALSE(builds.ok());
  EXPECT_EQ(builds.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(builds.status().message().find(path.string()), std::string::npos) << builds.status();
  EXPECT_NE(builds.status().message().find("unrecognised format"), std::string::npos) << builds.status();
}

TEST_F(InputsTest, MissingFileNamesTheFile) {
  absl::StatusOr<std::vector<KernelArtifacts>> builds = UnpackInputs({scratch_ / "nope"}, {});
  ASSERT_FALSE(builds.ok());
  EXPECT_NE(builds.status().message().find((scratch_ / "nope").string()), std::string::npos) << builds.status();
}

TEST_F(InputsTest, ModulesWithoutTheirKernelAreAnError) {
  absl::StatusOr<std::vector<KernelArtifacts>> builds = UnpackInputs({Write("m", kernel_.kfunc_module)}, {});
  ASSERT_FALSE(builds.ok());
  EXPECT_NE(builds.status().message().find("no kernel found for release " + kernel_.release), std::string::npos)
      << builds.status();
}

TEST_F(InputsTest, ClassifyInputTellsKindsApart) {
  struct Case {
    std::string bytes;
    ContentKind kind;
    ContentKind inner;
  };
  std::vector<Case> cases = {
      {kernel_.vmlinux, ContentKind::kElfKernel, ContentKind::kElfKernel},
      {kernel_.kfunc_module, ContentKind::kElfModule, ContentKind::kElfModule},
      {kernel_.raw_btf, ContentKind::kRawBtf, ContentKind::kRawBtf},
      {*fixtures::CompressXz(kernel_.plain_module), ContentKind::kCompressed, ContentKind::kElfModule},
      {*fixtures::CompressGzip("hello"), ContentKind::kCompressed, ContentKind::kUnknown},
      {"", ContentKind::kUnknown, ContentKind::kUnknown},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    absl::StatusOr<InputFile> file = ClassifyInput(Write("f" + std::to_string(i), cases[i].bytes), {});
    ASSERT_TRUE(file.ok()) << file.status();
    EXPECT_EQ(file->kind, cases[i].kind) << "case " << i;
    EXPECT_EQ(file->inner_kind, cases[i].inner) << "case " << i;
  }
}

TEST_F(InputsTest, GroupIntoBuildsTiesFilesByRelease) {
  std::vector<InputFile> files;
  for (const auto& [name, bytes] : std::vector<std::pair<std::string, std::string>>{
           {"m", kernel_.kfunc_module}, {"btf", kernel_.raw_btf}, {"k", kernel_.vmlinux}}) {
    absl::StatusOr<InputFile> file = ClassifyInput(Write(name, bytes), {});
    ASSERT_TRUE(file.ok()) << file.status();
    files.push_back(*std::move(file));
  }
  std::vector<BuildPlan> plans = GroupIntoBuilds(std::move(files));
  ASSERT_EQ(plans.size(), 2u);
  EXPECT_EQ(plans[0].release, kernel_.release);
  ASSERT_EQ(plans[0].files.size(), 2u);
  EXPECT_EQ(plans[0].files[0].path.filename(), "m");
  EXPECT_EQ(plans[0].files[1].path.filename(), "k");
  EXPECT_EQ(plans[1].release, "");  // raw BTF names no release
  absl::StatusOr<KernelArtifacts> build = UnpackBuild(plans[0], {});
  ASSERT_TRUE(build.ok()) << build.status();
  EXPECT_EQ(build->modules.size(), 1u);
}

TEST_F(InputsTest, BuildsUnpackConcurrently) {
  absl::StatusOr<std::string> vmlinuz = fixtures::BuildBzImage(
      kernel_.vmlinux, fixtures::PayloadCodec::kXz, {.version_string = kernel_.release + " (x) #1"});
  ASSERT_TRUE(vmlinuz.ok()) << vmlinuz.status();
  absl::StatusOr<PlannedBuilds> planned =
      PlanBuilds({Write("k", *vmlinuz), Write("m", *fixtures::CompressZstd(kernel_.kfunc_module)),
                  Write("btf", *fixtures::CompressXz(kernel_.raw_btf))},
                 {});
  ASSERT_TRUE(planned.ok()) << planned.status();
  const std::vector<BuildPlan>& plans = planned->builds;
  ASSERT_EQ(plans.size(), 2u);
  // Each plan unpacked by several threads at once gives the same result.
  std::vector<absl::StatusOr<KernelArtifacts>> results(8, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = UnpackBuild(plans[i % 2], {}); });
  }
  for (std::thread& thread : threads) thread.join();
  for (size_t i = 0; i < results.size(); ++i) {
    ASSERT_TRUE(results[i].ok()) << results[i].status();
    EXPECT_TRUE(results[i]->kernel_bytes == results[i % 2]->kernel_bytes);
    EXPECT_EQ(results[i]->content_sha256, results[i % 2]->content_sha256);
  }
  EXPECT_EQ(results[0]->modules.size(), 1u);
  EXPECT_EQ(results[1]->form, KernelForm::kRawBtf);
}

}  // namespace
}  // namespace kfuncdb::unpack
