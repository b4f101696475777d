// Damaged and hostile inputs: every fixture format (bzImage per codec,
// arm64 Image, .deb, compressed module, BTFHub archive) cut at many points
// and with header bytes overwritten. The unpacker must never crash (this
// suite runs under ASan/UBSan in CI) and every failure must name the file.
#include <random>

#include <gtest/gtest.h>

#include "ingest/unpack/unpack.h"
#include "tests/fixtures/image_builder.h"
#include "tests/fixtures/kernel_fixture.h"
#include "tests/fixtures/package_builder.h"
#include "tests/support/test_support.h"
#include "tests/unpack/fixture_kernels.h"

namespace kfuncdb::unpack {
namespace {

struct Sample {
  std::string name;
  std::string bytes;
};

std::vector<Sample> Samples() {
  const testing::FixtureKernel& kernel = testing::SmallKernel();
  std::vector<Sample> samples;
  for (fixtures::PayloadCodec codec : fixtures::AllPayloadCodecs()) {
    absl::StatusOr<std::string> image = fixtures::BuildBzImage(kernel.vmlinux, codec);
    if (image.ok()) samples.push_back({std::string("bzImage-") + fixtures::PayloadCodecName(codec), *image});
  }
  samples.push_back({"arm64-Image", fixtures::BuildArm64Image(kernel.raw_btf, kernel.btf_ids, "6.1.0-9-arm64")});
  samples.push_back({"ko.xz", fixtures::CompressXz(kernel.kfunc_module).value_or("")});
  samples.push_back({"btf.tar.xz", fixtures::BuildTarXz({{"x.btf", kernel.raw_btf}}).value_or("")});
  fixtures::PackageSpec deb{.name = "linux-image-" + kernel.release};
  deb.files = {{"lib/modules/" + kernel.release + "/kernel/kfunc_mod.ko", kernel.kfunc_module},
               {"boot/vmlinux-" + kernel.release, kernel.vmlinux}};
  samples.push_back({"deb", fixtures::BuildDebPackage(deb).value_or("")});
  return samples;
}

void ExpectNamedErrorOrSuccess(const std::filesystem::path& path, const std::string& what) {
  absl::StatusOr<std::vector<extract::KernelArtifacts>> builds = UnpackInputs({path}, {});
  if (!builds.ok()) {
    EXPECT_NE(builds.status().message().find(path.string()), std::string::npos) << what << ": " << builds.status();
  }
}

TEST(HostileInputTest, CutFilesGiveErrorsNamingTheFile) {
  testing::ScratchDir scratch;
  for (const Sample& sample : Samples()) {
    ASSERT_FALSE(sample.bytes.empty()) << sample.name;
    std::filesystem::path path = scratch / sample.name;
    // Cut points: inside every header, then spread over the whole file.
    std::vector<size_t> cuts = {1, 7, 8, 60, 0x1f2, 0x203, 0x250, 0x1000};
    for (size_t i = 1; i < 16; ++i) cuts.push_back(sample.bytes.size() * i / 16);
    for (size_t cut : cuts) {
      if (cut >= sample.bytes.size()) continue;
      testing::WriteFileOrFail(path, sample.bytes.substr(0, cut));
      ExpectNamedErrorOrSuccess(path, sample.name + " cut at " + std::to_string(cut));
    }
  }
}

TEST(HostileInputTest, OverwrittenBytesGiveErrorsNamingTheFile) {
  testing::ScratchDir scratch;
  std::mt19937 random(20261126);  // fixed seed: the same damage every run
  for (const Sample& sample : Samples()) {
    std::filesystem::path path = scratch / sample.name;
    for (int round = 0; round < 24; ++round) {
      std::string damaged = sample.bytes;
      // Half the rounds hit the first 4 KiB (headers), half anywhere.
      size_t span = round % 2 == 0 ? std::min<size_t>(damaged.size(), 4096) : damaged.size();
      for (int i = 0; i < 8; ++i) {
        damaged[random() % span] = static_cast<char>(random() & 0xff);
      }
      testing::WriteFileOrFail(path, damaged);
      ExpectNamedErrorOrSuccess(path, sample.name + " round " + std::to_string(round));
    }
  }
}

}  // namespace
}  // namespace kfuncdb::unpack
