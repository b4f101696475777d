// ExtractBuild on synthetic builds from the fixture generator: what the
// corpus cannot show (symbols and scans side by side, every flag position,
// the proposal's bits, malformed input).
#include <algorithm>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ingest/extract/btf_id_sets.h"
#include "ingest/extract/elf_image.h"
#include "ingest/extract/extract_build.h"
#include "ingest/extract/plain_files.h"
#include "tests/fixtures/kernel_fixture.h"
#include "tests/support/test_support.h"

namespace kfuncdb::extract {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using kfuncdb::fixtures::FixtureKfunc;
using kfuncdb::fixtures::ModuleSpec;
using kfuncdb::fixtures::VmlinuxSpec;
using kfuncdb::v1::BuildRecord;
using kfuncdb::v1::KfuncRecord;

// A 6.12-style build: kfunc sets with BTF_SET8_KFUNCS, a non-kfunc set, a
// kfunc in two sets, the proposal's bits, noise sets.
VmlinuxSpec Spec612() {
  VmlinuxSpec spec;
  spec.kernel_release = "6.12.7-fixture";
  spec.sets = {{"generic_btf_ids", 1}, {"common_btf_ids", 1}, {"fmodret_ids", 0}, {"empty_ids", 1}};
  spec.kfuncs = {
      {.name = "bpf_task_acquire", .set = "generic_btf_ids", .flags = 0x85,
       .return_type = "struct task_struct *", .params = {{"struct task_struct *", "p"}}},
      {.name = "bpf_task_release", .set = "generic_btf_ids", .flags = 0x2, .return_type = "void",
       .params = {{"struct task_struct *", "p"}}},
      {.name = "bpf_stable_one", .set = "generic_btf_ids", .flags = (1u << 30) | 0x4,
       .return_type = "u32", .params = {{"const char *", "name"}, {"u64", "flags"}}},
      {.name = "bpf_going_away", .set = "common_btf_ids", .flags = (1u << 31) | (1u << 30),
       .return_type = "void *", .params = {}},
      {.name = "bpf_twice", .set = "generic_btf_ids", .flags = 0x20, .return_type = "int",
       .params = {{"struct task_struct *", "task"}}},
      {.name = "bpf_twice", .set = "common_btf_ids", .flags = 0x20, .return_type = "int",
       .params = {{"struct task_struct *", "task"}}},
      {.name = "bpf_fast", .set = "common_btf_ids", .flags = 0x1000, .return_type = "void *",
       .params = {{"void *", "obj"}}, .fastcall = true},
      {.name = "update_socket_protocol", .set = "fmodret_ids", .flags = 0, .return_type = "int",
       .params = {{"int", "family"}, {"int", "type"}, {"int", "protocol"}}, .decl_tag = false},
  };
  return spec;
}

KernelArtifacts ArtifactsFor(std::string bytes, KernelForm form, const std::string& origin) {
  KernelArtifacts artifacts;
  artifacts.inputs = {origin};
  artifacts.kernel_origin = origin;
  artifacts.kernel_bytes = std::move(bytes);
  artifacts.form = form;
  return artifacts;
}

BuildRecord ExtractOrFail(const KernelArtifacts& artifacts, const ExtractOptions& options = {}) {
  absl::StatusOr<BuildRecord> record = ExtractBuild(artifacts, options);
  EXPECT_TRUE(record.ok()) << record.status();
  return record.ok() ? *record : BuildRecord();
}

BuildRecord ExtractVmlinux(const VmlinuxSpec& spec, const ExtractOptions& options = {}) {
  absl::StatusOr<std::string> elf = kfuncdb::fixtures::BuildVmlinuxElf(spec);
  EXPECT_TRUE(elf.ok()) << elf.status();
  if (!elf.ok()) return {};
  return ExtractOrFail(ArtifactsFor(*elf, KernelForm::kElfVmlinux, "fixture-vmlinux"), options);
}

const KfuncRecord* Find(const BuildRecord& record, const std::string& name) {
  for (const KfuncRecord& kfunc : record.kfuncs()) {
    if (kfunc.name() == name) return &kfunc;
  }
  return nullptr;
}

std::vector<std::string> FlagNames(const KfuncRecord& kfunc) {
  return {kfunc.flag_names().begin(), kfunc.flag_names().end()};
}

// What a kfunc record says apart from how its set was found.
using KfuncFacts = std::tuple<std::string, uint32_t, uint32_t, std::string, std::string, std::string>;

std::multiset<KfuncFacts> Facts(const BuildRecord& record) {
  std::multiset<KfuncFacts> facts;
  for (const KfuncRecord& kfunc : record.kfuncs()) {
    facts.insert({kfunc.name(), kfunc.flags(), kfunc.set_flags(), kfunc.owner(), kfunc.prototype(),
                  kfunc.signature_hash()});
  }
  return facts;
}

TEST(ExtractFixture, SymbolAndScanAgree) {
  VmlinuxSpec with_symbols = Spec612();
  VmlinuxSpec stripped = Spec612();
  stripped.with_symbols = false;
  BuildRecord named = ExtractVmlinux(with_symbols);
  BuildRecord scanned = ExtractVmlinux(stripped);
  EXPECT_EQ(named.kfuncs_size(), 7);
  EXPECT_EQ(Facts(named), Facts(scanned));
  for (const KfuncRecord& kfunc : named.kfuncs()) {
    EXPECT_EQ(kfunc.source(), kfuncdb::v1::KFUNC_SOURCE_SET_SYMBOL);
    EXPECT_TRUE(kfunc.has_set_name());
  }
  for (const KfuncRecord& kfunc : scanned.kfuncs()) {
    EXPECT_EQ(kfunc.source(), kfuncdb::v1::KFUNC_SOURCE_SET_SCAN);
    EXPECT_FALSE(kfunc.has_set_name());
  }
  EXPECT_EQ(Find(named, "bpf_task_acquire")->set_name(), "generic_btf_ids");
}

TEST(ExtractFixture, ScanIgnoresNoiseAndAgreesWithSymbolsOnRawSections) {
  VmlinuxSpec spec = Spec612();
  absl::StatusOr<std::string> bytes = kfuncdb::fixtures::BuildVmlinuxElf(spec);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  absl::StatusOr<ElfImage> elf = ElfImage::Open(*bytes, "fixture");
  ASSERT_TRUE(elf.ok()) << elf.status();
  auto btf_ids = elf->FindSection(".BTF_ids");
  ASSERT_TRUE(btf_ids.has_value());
  absl::StatusOr<std::vector<Set8Symbol>> headers = FindSet8Symbols(*elf, *btf_ids);
  ASSERT_TRUE(headers.ok()) << headers.status();
  absl::StatusOr<std::vector<BtfIdSet8>> by_symbol =
      ReadSet8s(btf_ids->bytes, *headers, WordOrder::kLittleEndian, "fixture");
  ASSERT_TRUE(by_symbol.ok()) << by_symbol.status();
  std::set<uint32_t> func_ids;
  for (const BtfIdSet8& set : *by_symbol) {
    for (const BtfIdPair& pair : set.pairs) func_ids.insert(pair.id.value());
  }
  // Only the ids the symbols name count as FUNCs here, so the comparison
  // does not depend on the rest of the BTF; the empty set is not reported.
  std::vector<BtfIdSet8> scanned = ScanSet8s(btf_ids->bytes, WordOrder::kLittleEndian,
                                             [&](BtfTypeId id) { return func_ids.count(id.value()) > 0; });
  std::vector<size_t> symbol_offsets, scan_offsets;
  for (const BtfIdSet8& set : *by_symbol) {
    if (!set.pairs.empty()) symbol_offsets.push_back(set.offset);
  }
  for (const BtfIdSet8& set : scanned) scan_offsets.push_back(set.offset);
  EXPECT_EQ(scan_offsets, symbol_offsets);
  EXPECT_EQ(by_symbol->size(), 4u);
}

TEST(ExtractFixture, NonKfuncSetsLeftOutWhenKernelMarksKfuncSets) {
  BuildRecord record = ExtractVmlinux(Spec612());
  EXPECT_EQ(Find(record, "update_socket_protocol"), nullptr);
  bool diagnosed = false;
  for (const auto& diagnostic : record.diagnostics()) {
    if (diagnostic.message().find("fmodret_ids") != std::string::npos &&
        diagnostic.message().find("not a kfunc set") != std::string::npos) {
      diagnosed = true;
    }
  }
  EXPECT_TRUE(diagnosed);

  // In an older kernel (no header marks), a flag-0 set8 is a kfunc set.
  VmlinuxSpec old = Spec612();
  old.kernel_release = "6.1.0-9-amd64";
  for (auto& set : old.sets) set.header_flags = 0;
  BuildRecord old_record = ExtractVmlinux(old);
  EXPECT_NE(Find(old_record, "update_socket_protocol"), nullptr);
}

TEST(ExtractFixture, StableAndDeprecatedAtDefaultPositions) {
  BuildRecord record = ExtractVmlinux(Spec612());
  const KfuncRecord* stable = Find(record, "bpf_stable_one");
  ASSERT_NE(stable, nullptr);
  EXPECT_TRUE(stable->stable());
  EXPECT_FALSE(stable->deprecated());
  EXPECT_THAT(FlagNames(*stable), ElementsAre("KF_RET_NULL", "KF_STABLE"));
  const KfuncRecord* going = Find(record, "bpf_going_away");
  ASSERT_NE(going, nullptr);
  EXPECT_TRUE(going->stable());
  EXPECT_TRUE(going->deprecated());
  EXPECT_EQ(going->flags(), 0xC0000000u);
  EXPECT_FALSE(Find(record, "bpf_task_acquire")->stable());
}

TEST(ExtractFixture, StableAndDeprecatedAtConfiguredPositions) {
  VmlinuxSpec spec = Spec612();
  spec.kfuncs = {{.name = "bpf_moved_stable", .set = "generic_btf_ids", .flags = 1u << 20},
                 {.name = "bpf_moved_deprecated", .set = "generic_btf_ids", .flags = 1u << 21},
                 {.name = "bpf_default_bits", .set = "generic_btf_ids", .flags = 3u << 30}};
  ExtractOptions options;
  options.flag_positions = {.stable_bit = 20, .deprecated_bit = 21};
  BuildRecord record = ExtractVmlinux(spec, options);
  EXPECT_TRUE(Find(record, "bpf_moved_stable")->stable());
  EXPECT_THAT(FlagNames(*Find(record, "bpf_moved_stable")), ElementsAre("KF_STABLE"));
  EXPECT_TRUE(Find(record, "bpf_moved_deprecated")->deprecated());
  const KfuncRecord* defaults = Find(record, "bpf_default_bits");
  EXPECT_FALSE(defaults->stable());
  EXPECT_FALSE(defaults->deprecated());
  EXPECT_THAT(FlagNames(*defaults), ElementsAre("bit30", "bit31"));
}

TEST(ExtractFixture, FlagPositionsMustBeTwoBitsOfTheWord) {
  absl::StatusOr<std::string> elf = kfuncdb::fixtures::BuildVmlinuxElf(Spec612());
  ASSERT_TRUE(elf.ok());
  KernelArtifacts artifacts = ArtifactsFor(*elf, KernelForm::kElfVmlinux, "vmlinux");
  for (KfuncFlagPositions bad : {KfuncFlagPositions{30, 30}, KfuncFlagPositions{32, 31},
                                 KfuncFlagPositions{-1, 31}}) {
    ExtractOptions options;
    options.flag_positions = bad;
    absl::StatusOr<BuildRecord> record = ExtractBuild(artifacts, options);
    ASSERT_FALSE(record.ok());
    EXPECT_EQ(record.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(ExtractFixture, FlagBitsDecodeByTheBuildsRelease) {
  VmlinuxSpec spec = Spec612();
  spec.kfuncs = {{.name = "bpf_old_style", .set = "generic_btf_ids", .flags = 0x18}};
  spec.kernel_release = "6.3.0-1-amd64";
  EXPECT_THAT(FlagNames(*Find(ExtractVmlinux(spec), "bpf_old_style")),
              ElementsAre("KF_KPTR_GET", "KF_TRUSTED_ARGS"));
  spec.kernel_release = "6.4.0-1-amd64";
  EXPECT_THAT(FlagNames(*Find(ExtractVmlinux(spec), "bpf_old_style")),
              ElementsAre("bit3", "KF_TRUSTED_ARGS"));
  spec.kernel_release = "7.0.1+deb14-amd64";
  EXPECT_THAT(FlagNames(*Find(ExtractVmlinux(spec), "bpf_old_style")), ElementsAre("bit3", "bit4"));
}

TEST(ExtractFixture, PrototypesAndSignatureHashIgnoringParameterNames) {
  BuildRecord record = ExtractVmlinux(Spec612());
  EXPECT_EQ(Find(record, "bpf_task_acquire")->prototype(),
            "struct task_struct *bpf_task_acquire(struct task_struct *p)");
  EXPECT_EQ(Find(record, "bpf_task_release")->prototype(),
            "void bpf_task_release(struct task_struct *p)");
  EXPECT_EQ(Find(record, "bpf_stable_one")->prototype(),
            "u32 bpf_stable_one(const char *name, u64 flags)");
  EXPECT_EQ(Find(record, "bpf_going_away")->prototype(), "void *bpf_going_away(void)");
  // Same types, other names: equal hash; other types: different hash.
  const KfuncRecord* twice = Find(record, "bpf_twice");
  EXPECT_EQ(twice->prototype(), "int bpf_twice(struct task_struct *task)");
  VmlinuxSpec renamed = Spec612();
  renamed.kfuncs = {{.name = "bpf_twice", .set = "generic_btf_ids", .flags = 0x20,
                     .return_type = "int", .params = {{"struct task_struct *", "t"}}},
                    {.name = "bpf_other", .set = "generic_btf_ids", .return_type = "long",
                     .params = {{"struct task_struct *", "task"}}}};
  BuildRecord renamed_record = ExtractVmlinux(renamed);
  EXPECT_EQ(Find(renamed_record, "bpf_twice")->prototype(), "int bpf_twice(struct task_struct *t)");
  EXPECT_EQ(Find(renamed_record, "bpf_twice")->signature_hash(), twice->signature_hash());
  EXPECT_NE(Find(renamed_record, "bpf_other")->signature_hash(), twice->signature_hash());
}

TEST(ExtractFixture, DeclTagsRecordedAndCrossChecked) {
  VmlinuxSpec spec = Spec612();
  spec.kfuncs.push_back({.name = "bpf_untagged", .set = "generic_btf_ids", .decl_tag = false});
  spec.kfuncs.push_back({.name = "bpf_tag_only", .set = ""});
  BuildRecord record = ExtractVmlinux(spec);
  EXPECT_THAT(std::vector<std::string>(Find(record, "bpf_fast")->decl_tags().begin(),
                                       Find(record, "bpf_fast")->decl_tags().end()),
              ElementsAre("bpf_fastcall", "bpf_kfunc"));
  EXPECT_EQ(Find(record, "bpf_tag_only"), nullptr) << "a tag without a set entry is no kfunc here";
  std::vector<std::string> messages;
  for (const auto& diagnostic : record.diagnostics()) messages.push_back(diagnostic.message());
  EXPECT_THAT(messages, ::testing::Contains(HasSubstr("bpf_untagged has no bpf_kfunc decl tag")));
  EXPECT_THAT(messages, ::testing::Contains(HasSubstr("bpf_tag_only has the bpf_kfunc decl tag but is in no kfunc set")));
}

TEST(ExtractFixture, IdentityFromBanner) {
  VmlinuxSpec spec = Spec612();
  spec.kernel_release = "6.1.0-56-cloud-arm64";
  spec.arch = "arm64";
  BuildRecord record = ExtractVmlinux(spec);
  EXPECT_EQ(record.kernel_release(), "6.1.0-56-cloud-arm64");
  EXPECT_EQ(record.release(), "6.1");
  EXPECT_EQ(record.arch(), "arm64");
  EXPECT_EQ(record.flavour(), "cloud-arm64");

  ExtractOptions options;
  options.release_override = "6.2.0-override";
  options.arch_override = "riscv64";
  BuildRecord overridden = ExtractVmlinux(spec, options);
  EXPECT_EQ(overridden.kernel_release(), "6.2.0-override");
  EXPECT_EQ(overridden.release(), "6.2");
  EXPECT_EQ(overridden.arch(), "riscv64");
}

TEST(ExtractFixture, RawBtfHasTaggedKfuncsAndNeedsRelease) {
  absl::StatusOr<std::string> raw = kfuncdb::fixtures::BuildRawBtf(Spec612());
  ASSERT_TRUE(raw.ok()) << raw.status();
  KernelArtifacts artifacts = ArtifactsFor(*raw, KernelForm::kRawBtf, "fixture.btf");
  absl::StatusOr<BuildRecord> missing = ExtractBuild(artifacts, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("fixture.btf"));
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("--release"));

  ExtractOptions options;
  options.release_override = "6.12.7";
  BuildRecord record = ExtractOrFail(artifacts, options);
  EXPECT_FALSE(record.flags_known());
  std::vector<std::string> names;
  for (const KfuncRecord& kfunc : record.kfuncs()) {
    names.push_back(kfunc.name());
    EXPECT_FALSE(kfunc.has_flags());
    EXPECT_FALSE(kfunc.stable());
  }
  // Tagged FUNCs once each (bpf_twice is one FUNC), untagged left out.
  EXPECT_THAT(names, UnorderedElementsAre("bpf_task_acquire", "bpf_task_release", "bpf_stable_one",
                                          "bpf_going_away", "bpf_twice", "bpf_fast"));
}

TEST(ExtractFixture, ModulesOwnTheirKfuncsAndMustMatchTheKernel) {
  VmlinuxSpec spec = Spec612();
  absl::StatusOr<std::string> vmlinux = kfuncdb::fixtures::BuildVmlinuxElf(spec);
  absl::StatusOr<std::string> base = kfuncdb::fixtures::BuildRawBtf(spec);
  ASSERT_TRUE(vmlinux.ok() && base.ok());
  ModuleSpec module;
  module.name = "nf_fixture";
  module.vermagic_release = spec.kernel_release;
  module.sets = {{"nf_fixture_kfunc_set", 1}};
  module.kfuncs = {{.name = "bpf_fixture_ct_lookup", .set = "nf_fixture_kfunc_set", .flags = 0x5,
                    .return_type = "struct nf_conn *",
                    .params = {{"struct task_struct *", "task"}, {"u32", "len"}}}};
  absl::StatusOr<std::string> good = kfuncdb::fixtures::BuildModuleElf(module, *base);
  ModuleSpec stale = module;
  stale.name = "nf_stale";
  stale.vermagic_release = "6.12.6-fixture";
  absl::StatusOr<std::string> other = kfuncdb::fixtures::BuildModuleElf(stale, *base);
  ASSERT_TRUE(good.ok() && other.ok()) << good.status() << other.status();

  KernelArtifacts artifacts = ArtifactsFor(*vmlinux, KernelForm::kElfVmlinux, "vmlinux");
  artifacts.modules = {{"nf_fixture.ko", *good},
                       {"nf_stale.ko", *other},
                       {"broken.ko", good->substr(0, good->size() / 3)}};
  artifacts.modules_scanned = 3;
  BuildRecord record = ExtractOrFail(artifacts);
  ASSERT_EQ(record.modules_size(), 1);
  EXPECT_EQ(record.modules(0).name(), "nf_fixture");
  EXPECT_EQ(record.modules(0).kfunc_count(), 1u);
  const KfuncRecord* lookup = Find(record, "bpf_fixture_ct_lookup");
  ASSERT_NE(lookup, nullptr);
  EXPECT_EQ(lookup->owner(), "nf_fixture");
  EXPECT_EQ(lookup->set_name(), "nf_fixture_kfunc_set");
  EXPECT_EQ(lookup->flags(), 0x5u);
  EXPECT_EQ(lookup->prototype(),
            "struct nf_conn *bpf_fixture_ct_lookup(struct task_struct *task, u32 len)");
  std::vector<std::string> origins;
  for (const auto& diagnostic : record.diagnostics()) {
    if (diagnostic.message().find("module skipped") != std::string::npos) {
      origins.push_back(diagnostic.origin());
    }
  }
  EXPECT_THAT(origins, UnorderedElementsAre("nf_stale.ko", "broken.ko"));
}

TEST(ExtractFixture, StrippedModuleIsScanned) {
  VmlinuxSpec spec = Spec612();
  absl::StatusOr<std::string> vmlinux = kfuncdb::fixtures::BuildVmlinuxElf(spec);
  absl::StatusOr<std::string> base = kfuncdb::fixtures::BuildRawBtf(spec);
  ModuleSpec module;
  module.name = "tcp_fixture";
  module.vermagic_release = spec.kernel_release;
  module.with_symbols = false;
  module.sets = {{"tcp_fixture_check_kfunc_ids", 1}};
  module.kfuncs = {{.name = "tcp_fixture_init", .set = "tcp_fixture_check_kfunc_ids", .return_type = "void",
                    .params = {{"struct sock *", "sk"}}},
                   {.name = "tcp_fixture_cwnd", .set = "tcp_fixture_check_kfunc_ids", .flags = 0x20,
                    .return_type = "u32", .params = {{"struct sock *", "sk"}}}};
  absl::StatusOr<std::string> ko = kfuncdb::fixtures::BuildModuleElf(module, *base);
  ASSERT_TRUE(vmlinux.ok() && base.ok() && ko.ok());
  KernelArtifacts artifacts = ArtifactsFor(*vmlinux, KernelForm::kElfVmlinux, "vmlinux");
  artifacts.modules = {{"tcp_fixture.ko", *ko}};
  BuildRecord record = ExtractOrFail(artifacts);
  const KfuncRecord* cwnd = Find(record, "tcp_fixture_cwnd");
  ASSERT_NE(cwnd, nullptr);
  EXPECT_EQ(cwnd->owner(), "tcp_fixture");
  EXPECT_EQ(cwnd->source(), kfuncdb::v1::KFUNC_SOURCE_SET_SCAN);
  EXPECT_FALSE(cwnd->has_set_name());
  EXPECT_EQ(cwnd->flags(), 0x20u);
  EXPECT_EQ(cwnd->prototype(), "u32 tcp_fixture_cwnd(struct sock *sk)");
  ASSERT_EQ(record.modules_size(), 1);
  EXPECT_EQ(record.modules(0).kfunc_count(), 2u);
}

// ---- Bad input: clear errors naming the file, never a crash ----

TEST(ExtractFixtureErrors, TruncatedRawBtf) {
  absl::StatusOr<std::string> raw = kfuncdb::fixtures::BuildRawBtf(Spec612());
  ASSERT_TRUE(raw.ok());
  for (size_t keep : {size_t{0}, size_t{1}, size_t{8}, size_t{24}, raw->size() / 2, raw->size() - 1}) {
    KernelArtifacts artifacts = ArtifactsFor(raw->substr(0, keep), KernelForm::kRawBtf, "cut.btf");
    ExtractOptions options;
    options.release_override = "6.12.7";
    absl::StatusOr<BuildRecord> record = ExtractBuild(artifacts, options);
    ASSERT_FALSE(record.ok()) << "kept " << keep << " bytes";
    EXPECT_THAT(std::string(record.status().message()), HasSubstr("cut.btf"));
  }
}

TEST(ExtractFixtureErrors, TruncatedBtfSectionInElf) {
  absl::StatusOr<std::string> bytes = kfuncdb::fixtures::BuildVmlinuxElf(Spec612());
  ASSERT_TRUE(bytes.ok());
  absl::StatusOr<ElfImage> elf = ElfImage::Open(*bytes, "fixture");
  ASSERT_TRUE(elf.ok());
  auto btf = elf->FindSection(".BTF");
  ASSERT_TRUE(btf.has_value());
  // Claim more types than the section holds: break the header's type_len.
  std::string broken = *bytes;
  size_t at = static_cast<size_t>(btf->bytes.data() - bytes->data());
  broken[at + 12] = '\xff';
  broken[at + 13] = '\xff';
  broken[at + 14] = '\xff';
  absl::StatusOr<BuildRecord> record =
      ExtractBuild(ArtifactsFor(broken, KernelForm::kElfVmlinux, "broken-vmlinux"), {});
  ASSERT_FALSE(record.ok());
  EXPECT_THAT(std::string(record.status().message()), HasSubstr("broken-vmlinux: .BTF"));
}

TEST(ExtractFixtureErrors, SetCountRunsPastSection) {
  absl::StatusOr<std::string> bytes = kfuncdb::fixtures::BuildVmlinuxElf(Spec612());
  ASSERT_TRUE(bytes.ok());
  absl::StatusOr<ElfImage> elf = ElfImage::Open(*bytes, "fixture");
  ASSERT_TRUE(elf.ok());
  auto btf_ids = elf->FindSection(".BTF_ids");
  absl::StatusOr<std::vector<Set8Symbol>> headers = FindSet8Symbols(*elf, *btf_ids);
  ASSERT_TRUE(headers.ok() && !headers->empty());
  std::string broken = *bytes;
  size_t at = static_cast<size_t>(btf_ids->bytes.data() - bytes->data()) + headers->front().offset;
  broken.replace(at, 4, std::string("\x00\x10\x00\x00", 4));  // cnt 4096
  absl::StatusOr<BuildRecord> record =
      ExtractBuild(ArtifactsFor(broken, KernelForm::kElfVmlinux, "overrun-vmlinux"), {});
  ASSERT_FALSE(record.ok());
  std::string message(record.status().message());
  EXPECT_THAT(message, HasSubstr("overrun-vmlinux"));
  EXPECT_THAT(message, HasSubstr(headers->front().name));
  EXPECT_THAT(message, HasSubstr("cnt 4096"));
}

TEST(ExtractFixtureErrors, ElfWithoutBtf) {
  std::string self = kfuncdb::testing::ReadFileOrFail("/proc/self/exe");
  absl::StatusOr<BuildRecord> record =
      ExtractBuild(ArtifactsFor(self, KernelForm::kElfVmlinux, "test-binary"), {});
  ASSERT_FALSE(record.ok());
  EXPECT_EQ(record.status().message(), "test-binary: no .BTF section");
}

TEST(ExtractFixtureErrors, FileThatIsNoKernel) {
  kfuncdb::testing::ScratchDir dir;
  kfuncdb::testing::WriteFileOrFail(dir / "notes.txt", "just some text, no kernel here\n");
  absl::StatusOr<KernelArtifacts> artifacts = ArtifactsFromPlainFiles(dir / "notes.txt", {});
  ASSERT_FALSE(artifacts.ok());
  EXPECT_THAT(std::string(artifacts.status().message()), HasSubstr("notes.txt: not a kernel"));

  absl::StatusOr<KernelArtifacts> missing = ArtifactsFromPlainFiles(dir / "absent", {});
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("absent"));

  // An ELF header with nothing behind it.
  absl::StatusOr<BuildRecord> record = ExtractBuild(
      ArtifactsFor(std::string("\x7f" "ELF\x02\x01\x01", 7), KernelForm::kElfVmlinux, "stub"), {});
  ASSERT_FALSE(record.ok());
  EXPECT_THAT(std::string(record.status().message()), HasSubstr("stub"));
}

TEST(ExtractFixtureErrors, MissingRelease) {
  VmlinuxSpec spec = Spec612();
  absl::StatusOr<std::string> raw = kfuncdb::fixtures::BuildRawBtf(spec);
  ASSERT_TRUE(raw.ok());
  kfuncdb::testing::ScratchDir dir;
  kfuncdb::testing::WriteFileOrFail(dir / "vmlinux.btf", *raw);
  absl::StatusOr<KernelArtifacts> artifacts = ArtifactsFromPlainFiles(dir / "vmlinux.btf", {});
  ASSERT_TRUE(artifacts.ok()) << artifacts.status();
  absl::StatusOr<BuildRecord> record = ExtractBuild(*artifacts, {});
  ASSERT_FALSE(record.ok());
  EXPECT_THAT(std::string(record.status().message()), HasSubstr("vmlinux.btf: kernel release unknown"));
}

// Hostile input: every region of a vmlinux and of a module, overwritten in
// turn, gives a record or an error, never a crash (run under ASan in CI).
TEST(ExtractFixtureErrors, CorruptedBytesNeverCrash) {
  VmlinuxSpec spec = Spec612();
  absl::StatusOr<std::string> vmlinux = kfuncdb::fixtures::BuildVmlinuxElf(spec);
  absl::StatusOr<std::string> base = kfuncdb::fixtures::BuildRawBtf(spec);
  ModuleSpec module;
  module.name = "nf_fixture";
  module.vermagic_release = spec.kernel_release;
  module.sets = {{"nf_fixture_kfunc_set", 1}};
  module.kfuncs = {{.name = "bpf_fixture_ct_lookup", .set = "nf_fixture_kfunc_set", .flags = 0x5}};
  absl::StatusOr<std::string> ko = kfuncdb::fixtures::BuildModuleElf(module, *base);
  ASSERT_TRUE(vmlinux.ok() && base.ok() && ko.ok());
  ExtractOptions options;
  options.release_override = spec.kernel_release;
  int records = 0, errors = 0;
  auto corrupt = [](const std::string& bytes, size_t at) {
    std::string copy = bytes;
    for (size_t i = at; i < std::min(copy.size(), at + 4); ++i) copy[i] = static_cast<char>(0xff - i);
    return copy;
  };
  for (size_t at = 0; at < vmlinux->size(); at += std::max<size_t>(1, vmlinux->size() / 400)) {
    KernelArtifacts artifacts = ArtifactsFor(corrupt(*vmlinux, at), KernelForm::kElfVmlinux, "v");
    artifacts.modules = {{"m.ko", corrupt(*ko, at % ko->size())}};
    (ExtractBuild(artifacts, options).ok() ? records : errors)++;
  }
  for (size_t at = 0; at < base->size(); at += std::max<size_t>(1, base->size() / 200)) {
    KernelArtifacts artifacts = ArtifactsFor(corrupt(*base, at), KernelForm::kRawBtf, "raw");
    (ExtractBuild(artifacts, options).ok() ? records : errors)++;
  }
  EXPECT_GT(records, 0);
  EXPECT_GT(errors, 0);
}

}  // namespace
}  // namespace kfuncdb::extract
