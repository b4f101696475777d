// bzImages built by the fixture generator (a minimal setup header and an
// ELF vmlinux payload) for every kernel codec, plus damaged ones.
#include "ingest/unpack/bzimage.h"

#include <gtest/gtest.h>

#include "ingest/unpack/unpack.h"
#include "tests/fixtures/image_builder.h"
#include "tests/support/test_support.h"
#include "tests/unpack/fixture_kernels.h"

namespace kfuncdb::unpack {
namespace {

using fixtures::PayloadCodec;

class BzImageCodecTest : public ::testing::TestWithParam<PayloadCodec> {};

TEST_P(BzImageCodecTest, PayloadFieldsLeadToTheVmlinux) {
  const testing::FixtureKernel& kernel = testing::SmallKernel();
  absl::StatusOr<std::string> image = fixtures::BuildBzImage(kernel.vmlinux, GetParam());
  ASSERT_TRUE(image.ok()) << image.status();

  absl::StatusOr<BzImageContents> contents = UnpackBzImage(*image, {});
  ASSERT_TRUE(contents.ok()) << contents.status();
  EXPECT_TRUE(contents->vmlinux == kernel.vmlinux);
  EXPECT_EQ(contents->release, "6.1.0-fixture-amd64");
  EXPECT_FALSE(contents->found_by_scan);
}

TEST_P(BzImageCodecTest, MagicScanFindsThePayloadWithoutPayloadFields) {
  const testing::FixtureKernel& kernel = testing::SmallKernel();
  fixtures::BzImageSpec spec;
  spec.with_payload_fields = false;
  spec.setup_sects = 0;  // means 4
  absl::StatusOr<std::string> image = fixtures::BuildBzImage(kernel.vmlinux, GetParam(), spec);
  ASSERT_TRUE(image.ok()) << image.status();

  absl::StatusOr<BzImageContents> contents = UnpackBzImage(*image, {});
  ASSERT_TRUE(contents.ok()) << contents.status();
  EXPECT_TRUE(contents->vmlinux == kernel.vmlinux);
  EXPECT_TRUE(contents->found_by_scan);
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, BzImageCodecTest, ::testing::ValuesIn(fixtures::AllPayloadCodecs()),
                         [](const auto& info) { return std::string(fixtures::PayloadCodecName(info.param)); });

// A bzImage written to a scratch file, for the file-level API.
class BzImageFileTest : public ::testing::Test {
 protected:
  std::filesystem::path Write(const std::string& name, const std::string& bytes) {
    std::filesystem::path path = scratch_ / name;
    testing::WriteFileOrFail(path, bytes);
    return path;
  }
  std::string Image(PayloadCodec codec = PayloadCodec::kZstd) {
    absl::StatusOr<std::string> image = fixtures::BuildBzImage(testing::SmallKernel().vmlinux, codec);
    EXPECT_TRUE(image.ok()) << image.status();
    return image.value_or("");
  }
  testing::ScratchDir scratch_;
};

TEST_F(BzImageFileTest, UnpacksToAnElfBuildWithTheHeaderRelease) {
  std::filesystem::path path = Write("vmlinuz", Image(PayloadCodec::kLz4Legacy));
  absl::StatusOr<std::vector<extract::KernelArtifacts>> builds = UnpackInputs({path}, {});
  ASSERT_TRUE(builds.ok()) << builds.status();
  ASSERT_EQ(builds->size(), 1u);
  const extract::KernelArtifacts& build = builds->front();
  EXPECT_EQ(build.form, extract::KernelForm::kElfVmlinux);
  EXPECT_EQ(build.release_hint, "6.1.0-fixture-amd64");
  EXPECT_EQ(build.arch_hint, "amd64");
  EXPECT_EQ(build.kernel_origin, path.string() + " (bzImage, lz4-legacy payload)");
  EXPECT_TRUE(build.kernel_bytes == testing::SmallKernel().vmlinux);
}

TEST_F(BzImageFileTest, TruncatedImageNamesTheFile) {
  std::string image = Image();
  // Cut in the setup area, then inside the payload (512 filler bytes follow it).
  for (size_t size : {size_t{2000}, image.size() - 600}) {
    std::filesystem::path path = Write("cut-vmlinuz", image.substr(0, size));
    absl::StatusOr<std::vector<extract::KernelArtifacts>> builds = UnpackInputs({path}, {});
    ASSERT_FALSE(builds.ok());
    EXPECT_NE(builds.status().message().find(path.string()), std::string::npos) << builds.status();
    EXPECT_NE(builds.status().message().find("truncated"), std::string::npos) << builds.status();
  }
}

TEST_F(BzImageFileTest, PayloadOffsetPastEndOfFileIsAnError) {
  std::string image = Image();
  image[0x248 + 3] = '\x7f';  // payload_offset ~2 GiB
  absl::StatusOr<BzImageContents> contents = UnpackBzImage(image, {});
  ASSERT_FALSE(contents.ok());
  EXPECT_EQ(contents.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(contents.status().message().find("past the end"), std::string::npos) << contents.status();
}

TEST_F(BzImageFileTest, SetupHeaderOnlyIsAnError) {
  std::string image = Image().substr(0, 0x260);
  absl::StatusOr<BzImageContents> contents = UnpackBzImage(image, {});
  ASSERT_FALSE(contents.ok());
  EXPECT_NE(contents.status().message().find("truncated"), std::string::npos) << contents.status();
}

TEST_F(BzImageFileTest, CorruptPayloadNamesTheCodec) {
  std::string image = Image(PayloadCodec::kZstd);
  size_t payload = fixtures::BzImagePayloadOffset({});
  for (size_t i = payload + 64; i < payload + 256; ++i) image[i] = static_cast<char>(image[i] ^ 0x5a);
  absl::StatusOr<BzImageContents> contents = UnpackBzImage(image, {});
  ASSERT_FALSE(contents.ok());
  EXPECT_NE(contents.status().message().find("zstd"), std::string::npos) << contents.status();
}

TEST_F(BzImageFileTest, PayloadThatIsNotElfIsAnError) {
  absl::StatusOr<std::string> image =
      fixtures::BuildBzImage(std::string(100000, 'k'), PayloadCodec::kGzip);
  ASSERT_TRUE(image.ok()) << image.status();
  absl::StatusOr<BzImageContents> contents = UnpackBzImage(*image, {});
  ASSERT_FALSE(contents.ok());
  EXPECT_NE(contents.status().message().find("not an ELF"), std::string::npos) << contents.status();
}

TEST_F(BzImageFileTest, DecompressionBombLimitIsEnforced) {
  absl::StatusOr<std::string> image = fixtures::BuildBzImage(testing::SmallKernel().vmlinux, PayloadCodec::kXz);
  ASSERT_TRUE(image.ok()) << image.status();
  std::filesystem::path path = Write("vmlinuz", *image);
  UnpackOptions options;
  options.max_decompressed_bytes = 4096;
  absl::StatusOr<std::vector<extract::KernelArtifacts>> builds = UnpackInputs({path}, options);
  ASSERT_FALSE(builds.ok());
  EXPECT_EQ(builds.status().code(), absl::StatusCode::kResourceExhausted) << builds.status();
  EXPECT_NE(builds.status().message().find(path.string()), std::string::npos) << builds.status();
}

}  // namespace
}  // namespace kfuncdb::unpack
