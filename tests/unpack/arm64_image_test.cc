// arm64 Images built by the fixture generator: .BTF found by its header,
// .BTF_ids cut up to the page padding, banner release; raw and gzip'd.
#include "ingest/unpack/arm64_image.h"

#include <gtest/gtest.h>

#include "ingest/unpack/unpack.h"
#include "tests/fixtures/kernel_fixture.h"
#include "tests/fixtures/image_builder.h"
#include "tests/support/test_support.h"
#include "tests/unpack/fixture_kernels.h"

namespace kfuncdb::unpack {
namespace {

TEST(Arm64ImageTest, CutsBtfAndBtfIdsOut) {
  const testing::FixtureKernel& kernel = testing::SmallKernel();
  ASSERT_FALSE(kernel.btf_ids.empty());
  std::string image = fixtures::BuildArm64Image(kernel.raw_btf, kernel.btf_ids, "6.1.0-9-arm64");
  absl::StatusOr<Arm64ImageSections> sections = CutArm64ImageSections(image);
  ASSERT_TRUE(sections.ok()) << sections.status();
  EXPECT_TRUE(sections->btf == kernel.raw_btf);
  // The cut keeps everything up to one zero word past the last non-zero
  // word: the fixture's section, possibly minus trailing zero words.
  ASSERT_LE(sections->btf_ids.size(), kernel.btf_ids.size() + 4);
  EXPECT_EQ(sections->btf_ids.substr(0, std::min(sections->btf_ids.size(), kernel.btf_ids.size())),
            kernel.btf_ids.substr(0, sections->btf_ids.size()));
  size_t last_nonzero = kernel.btf_ids.find_last_not_of('\0');
  EXPECT_GT(sections->btf_ids.size(), last_nonzero);
  EXPECT_EQ(sections->release, "6.1.0-9-arm64");
}

TEST(Arm64ImageTest, ImageWithoutBtfIsAClearError) {
  std::string image = fixtures::BuildArm64Image("", "", "6.1.0-9-arm64");
  absl::StatusOr<Arm64ImageSections> sections = CutArm64ImageSections(image);
  ASSERT_FALSE(sections.ok());
  EXPECT_NE(sections.status().message().find("no BTF"), std::string::npos) << sections.status();
}

TEST(Arm64ImageTest, BtfHeaderClaimingTooMuchIsSkipped) {
  const testing::FixtureKernel& kernel = testing::SmallKernel();
  std::string btf = kernel.raw_btf;
  btf[20] = '\xff';  // str_len far past the end of the image
  btf[23] = '\x7f';
  std::string image = fixtures::BuildArm64Image(btf, kernel.btf_ids, "6.1.0-9-arm64");
  absl::StatusOr<Arm64ImageSections> sections = CutArm64ImageSections(image);
  EXPECT_FALSE(sections.ok());
}

TEST(Arm64ImageTest, GzipCompressedImageUnpacksFromAFile) {
  const testing::FixtureKernel& kernel = testing::SmallKernel();
  std::string image = fixtures::BuildArm64Image(kernel.raw_btf, kernel.btf_ids, "6.1.0-9-arm64");
  absl::StatusOr<std::string> gz = fixtures::CompressGzip(image);
  ASSERT_TRUE(gz.ok()) << gz.status();
  testing::ScratchDir scratch;
  testing::WriteFileOrFail(scratch / "Image.gz", *gz);

  absl::StatusOr<std::vector<extract::KernelArtifacts>> builds = UnpackInputs({scratch / "Image.gz"}, {});
  ASSERT_TRUE(builds.ok()) << builds.status();
  ASSERT_EQ(builds->size(), 1u);
  const extract::KernelArtifacts& build = builds->front();
  EXPECT_EQ(build.form, extract::KernelForm::kImageSections);
  EXPECT_TRUE(build.btf_section == kernel.raw_btf);
  EXPECT_FALSE(build.btf_ids_section.empty());
  EXPECT_EQ(build.release_hint, "6.1.0-9-arm64");
  EXPECT_EQ(build.arch_hint, "arm64");
  EXPECT_NE(build.kernel_origin.find("gzip, arm64 Image"), std::string::npos) << build.kernel_origin;
}

}  // namespace
}  // namespace kfuncdb::unpack
