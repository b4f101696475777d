// The unpacker on the real Debian packages of the shared corpus, each .deb
// read directly (no dpkg-deb, no external decompressor). Each package is
// unpacked once per test binary (UnpackedCorpus's cache), then the tests
// look at the cached artifacts.
#include <set>

#include <gtest/gtest.h>

#include "ingest/extract/extract_build.h"
#include "ingest/unpack/unpack.h"
#include "tests/support/test_support.h"
#include "tests/unpack/corpus_builds.h"
#include "tests/unpack/elf_sections_for_test.h"

namespace kfuncdb::unpack {
namespace {

using extract::KernelArtifacts;
using extract::KernelForm;

constexpr char kAmd64_61[] = "linux-image-6.1.0-56-cloud-amd64_6.1.192-2_amd64.deb";
constexpr char kArm64_61[] = "linux-image-6.1.0-56-cloud-arm64_6.1.192-2_arm64.deb";
constexpr char kAmd64_612[] = "linux-image-6.12.118+deb13-cloud-amd64_6.12.118-1_amd64.deb";
constexpr char kImage72[] = "linux-image-7.2.13+deb14-cloud-amd64_7.2.13-1_amd64.deb";
constexpr char kBinary72[] = "linux-binary-7.2.13+deb14-cloud-amd64_7.2.13-1_amd64.deb";
constexpr char kModules72[] = "linux-modules-7.2.13+deb14-cloud-amd64_7.2.13-1_amd64.deb";

#define REQUIRE_CORPUS(...)                                                        \
  for (const char* name : {__VA_ARGS__}) {                                         \
    if (!testing::CorpusFile(name)) {                                              \
      GTEST_SKIP() << "corpus file missing: " << (testing::CorpusDir() / name);    \
    }                                                                              \
  }

std::set<std::string> ModuleNames(const KernelArtifacts& build) {
  std::set<std::string> names;
  for (const extract::ModuleBytes& module : build.modules) {
    std::string_view origin = module.origin;
    std::string_view base = origin.substr(origin.rfind('/') + 1);
    names.insert(std::string(base.substr(0, base.find(".ko"))));
  }
  return names;
}

// What extraction makes of a build: vmlinux pairs, distinct vmlinux kfunc
// names, module owners with kfuncs.
struct Extracted {
  size_t vmlinux_pairs = 0;
  std::set<std::string> vmlinux_names;
  std::set<std::string> module_owners;
  kfuncdb::v1::BuildRecord record;
};

std::optional<Extracted> Extract(const KernelArtifacts& build) {
  absl::StatusOr<kfuncdb::v1::BuildRecord> record = extract::ExtractBuild(build, {});
  EXPECT_TRUE(record.ok()) << record.status();
  if (!record.ok()) return std::nullopt;
  Extracted out;
  for (const kfuncdb::v1::KfuncRecord& kfunc : record->kfuncs()) {
    if (kfunc.owner() == "vmlinux") {
      ++out.vmlinux_pairs;
      out.vmlinux_names.insert(kfunc.name());
    } else {
      out.module_owners.insert(kfunc.owner());
    }
  }
  out.record = *std::move(record);
  return out;
}

// The one build unpacked from `names`, failing the test otherwise.
const KernelArtifacts* OneBuild(const std::vector<std::string>& names) {
  const auto& builds = testing::UnpackedCorpus(names);
  EXPECT_TRUE(builds.ok()) << builds.status();
  if (!builds.ok()) return nullptr;
  EXPECT_EQ(builds->size(), 1u);
  return builds->empty() ? nullptr : &builds->front();
}

TEST(UnpackCorpusTest, Amd64Cloud61Lz4BzImage) {
  REQUIRE_CORPUS(kAmd64_61);
  const KernelArtifacts* build = OneBuild({kAmd64_61});
  ASSERT_NE(build, nullptr);
  EXPECT_EQ(build->form, KernelForm::kElfVmlinux);
  EXPECT_EQ(build->release_hint, "6.1.0-56-cloud-amd64");
  EXPECT_EQ(build->arch_hint, "amd64");
  EXPECT_NE(build->kernel_origin.find("boot/vmlinuz-6.1.0-56-cloud-amd64"), std::string::npos) << build->kernel_origin;
  EXPECT_NE(build->kernel_origin.find("lz4-legacy"), std::string::npos) << build->kernel_origin;
  // The README: a stripped ELF keeping .BTF and a 2,056-byte .BTF_ids.
  std::optional<std::string> btf_ids = testing::ElfSectionBytes(build->kernel_bytes, ".BTF_ids");
  ASSERT_TRUE(btf_ids.has_value());
  EXPECT_EQ(btf_ids->size(), 2056u);
  EXPECT_TRUE(testing::ElfSectionBytes(build->kernel_bytes, ".BTF").has_value());
  EXPECT_EQ(ModuleNames(*build), (std::set<std::string>{"nf_conntrack", "nf_nat", "tcp_bbr", "tcp_dctcp"}));
  EXPECT_GT(build->modules_scanned, 1000u);
  EXPECT_EQ(build->package.name, "linux-image-6.1.0-56-cloud-amd64");
  EXPECT_EQ(build->package.version, "6.1.192-2");
  EXPECT_EQ(build->package.architecture, "amd64");
  EXPECT_EQ(build->package.distribution, "debian");
  EXPECT_EQ(build->package.kernel_release, "6.1.0-56-cloud-amd64");
  EXPECT_EQ(build->inputs, std::vector<std::string>{(testing::CorpusDir() / kAmd64_61).string()});
  EXPECT_EQ(build->content_sha256.size(), 64u);

  // End to end through extraction: the README's 42 kfuncs of 6 sets.
  std::optional<Extracted> extracted = Extract(*build);
  ASSERT_TRUE(extracted.has_value());
  EXPECT_EQ(extracted->vmlinux_pairs, 42u);
  EXPECT_EQ(extracted->module_owners, (std::set<std::string>{"nf_conntrack", "nf_nat", "tcp_bbr", "tcp_dctcp"}));
  EXPECT_EQ(extracted->record.kernel_release(), "6.1.0-56-cloud-amd64");
  EXPECT_EQ(extracted->record.arch(), "amd64");
  EXPECT_EQ(extracted->record.flavour(), "cloud-amd64");
}

TEST(UnpackCorpusTest, Arm64Cloud61RawImage) {
  REQUIRE_CORPUS(kArm64_61);
  const KernelArtifacts* build = OneBuild({kArm64_61});
  ASSERT_NE(build, nullptr);
  EXPECT_EQ(build->form, KernelForm::kImageSections);
  EXPECT_TRUE(build->kernel_bytes.empty());
  EXPECT_EQ(build->release_hint, "6.1.0-56-cloud-arm64");
  EXPECT_EQ(build->arch_hint, "arm64");
  // The BTF header's sizes: 24 + 2,492,764 + 1,730,581 bytes.
  EXPECT_EQ(build->btf_section.size(), 24u + 2492764u + 1730581u);
  // .BTF_ids up to the page-aligned padding (see arm64_image.h).
  EXPECT_EQ(build->btf_ids_section.size(), 2016u);
  EXPECT_EQ(ModuleNames(*build), (std::set<std::string>{"nf_conntrack", "nf_nat", "tcp_bbr", "tcp_dctcp"}));
  EXPECT_EQ(build->package.architecture, "arm64");
  EXPECT_EQ(build->package.kernel_release, "6.1.0-56-cloud-arm64");

  // The README: 36 pairs in all (the x86-only set is empty here).
  std::optional<Extracted> extracted = Extract(*build);
  ASSERT_TRUE(extracted.has_value());
  EXPECT_EQ(extracted->vmlinux_pairs, 36u);
  // tcp_bbr and tcp_dctcp keep .BTF_ids on arm64, but their one set is empty
  // (its kfuncs are x86-only), so only two modules own kfuncs.
  EXPECT_EQ(extracted->module_owners, (std::set<std::string>{"nf_conntrack", "nf_nat"}));
  EXPECT_EQ(extracted->record.kernel_release(), "6.1.0-56-cloud-arm64");
  EXPECT_EQ(extracted->record.arch(), "arm64");
  EXPECT_EQ(extracted->record.flavour(), "cloud-arm64");
}

TEST(UnpackCorpusTest, Amd64Cloud612ZstdBzImageXzModules) {
  REQUIRE_CORPUS(kAmd64_612);
  const KernelArtifacts* build = OneBuild({kAmd64_612});
  ASSERT_NE(build, nullptr);
  EXPECT_EQ(build->form, KernelForm::kElfVmlinux);
  EXPECT_EQ(build->release_hint, "6.12.118+deb13-cloud-amd64");
  EXPECT_EQ(build->arch_hint, "amd64");
  EXPECT_NE(build->kernel_origin.find("zstd"), std::string::npos) << build->kernel_origin;
  EXPECT_EQ(ModuleNames(*build), (std::set<std::string>{"fou", "nf_conntrack", "nf_flow_table", "nf_nat", "tcp_bbr",
                                                        "tcp_dctcp", "xfrm_interface"}));
  for (const extract::ModuleBytes& module : build->modules) {
    EXPECT_EQ(module.bytes.substr(0, 4), "\x7f" "ELF") << module.origin << " was not decompressed";
  }
  EXPECT_EQ(build->package.version, "6.12.118-1");

  std::optional<Extracted> extracted = Extract(*build);
  ASSERT_TRUE(extracted.has_value());
  EXPECT_EQ(extracted->vmlinux_names.size(), 132u);
  EXPECT_EQ(extracted->module_owners.size(), 7u);
  EXPECT_EQ(extracted->record.kernel_release(), "6.12.118+deb13-cloud-amd64");
  EXPECT_EQ(extracted->record.flavour(), "cloud-amd64");
}

TEST(UnpackCorpusTest, SplitPackages72FormOneBuild) {
  REQUIRE_CORPUS(kImage72, kBinary72, kModules72);
  const KernelArtifacts* build = OneBuild({kImage72, kBinary72, kModules72});
  ASSERT_NE(build, nullptr);
  EXPECT_EQ(build->form, KernelForm::kElfVmlinux);
  EXPECT_EQ(build->release_hint, "7.2.13+deb14-cloud-amd64");
  EXPECT_EQ(build->arch_hint, "amd64");
  EXPECT_NE(build->kernel_origin.find("usr/lib/modules/7.2.13+deb14-cloud-amd64/vmlinuz"), std::string::npos)
      << build->kernel_origin;
  EXPECT_EQ(ModuleNames(*build), (std::set<std::string>{"fou", "nf_conntrack", "nf_flow_table", "nf_nat", "tcp_bbr",
                                                        "tcp_dctcp", "xfrm_interface"}));
  // The user-facing package names the build.
  EXPECT_EQ(build->package.name, "linux-image-7.2.13+deb14-cloud-amd64");
  EXPECT_EQ(build->package.kernel_release, "7.2.13+deb14-cloud-amd64");
  EXPECT_EQ(build->inputs.size(), 3u);

  // The README: 301 distinct vmlinux kfuncs in 334 pairs of kfunc sets.
  std::optional<Extracted> extracted = Extract(*build);
  ASSERT_TRUE(extracted.has_value());
  EXPECT_EQ(extracted->vmlinux_names.size(), 301u);
  EXPECT_EQ(extracted->vmlinux_pairs, 334u);
  EXPECT_EQ(extracted->module_owners.size(), 7u);
  EXPECT_EQ(extracted->record.kernel_release(), "7.2.13+deb14-cloud-amd64");
  EXPECT_EQ(extracted->record.arch(), "amd64");
  EXPECT_EQ(extracted->record.flavour(), "cloud-amd64");
}

TEST(UnpackCorpusTest, MetadataOnlyPackageAloneIsAClearError) {
  REQUIRE_CORPUS(kImage72);
  const auto& builds = testing::UnpackedCorpus({kImage72});
  ASSERT_FALSE(builds.ok());
  EXPECT_EQ(builds.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(builds.status().message().find(kImage72), std::string::npos) << builds.status();
  EXPECT_NE(builds.status().message().find("linux-binary-7.2.13+deb14-cloud-amd64"), std::string::npos)
      << builds.status();
}

TEST(UnpackCorpusTest, HostRawBtf) {
  REQUIRE_CORPUS("host-6.18.44/vmlinux.btf");
  const KernelArtifacts* build = OneBuild({"host-6.18.44/vmlinux.btf"});
  ASSERT_NE(build, nullptr);
  EXPECT_EQ(build->form, KernelForm::kRawBtf);
  EXPECT_EQ(build->kernel_origin, (testing::CorpusDir() / "host-6.18.44/vmlinux.btf").string() + " (raw BTF)");
  EXPECT_TRUE(build->release_hint.empty());  // raw BTF carries no release
  EXPECT_TRUE(build->modules.empty());
}

}  // namespace
}  // namespace kfuncdb::unpack
