// ExtractBuild on the real Debian kernels and raw BTF of the shared corpus,
// against the numbers in the corpus README (checked there with readelf,
// bpftool and debug symbols). Packages are unpacked by kfuncdb_unpack,
// once per test binary (tests/unpack/corpus_builds.h).
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <bpf/btf.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "ingest/extract/btf_handle.h"
#include "ingest/extract/btf_id_sets.h"
#include "ingest/extract/elf_image.h"
#include "ingest/extract/extract_build.h"
#include "ingest/extract/kernel_object.h"
#include "ingest/extract/plain_files.h"
#include "tests/support/test_support.h"
#include "tests/unpack/corpus_builds.h"

namespace kfuncdb::extract {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using kfuncdb::v1::BuildRecord;
using kfuncdb::v1::KfuncRecord;

constexpr char kDeb61[] = "linux-image-6.1.0-56-cloud-amd64_6.1.192-2_amd64.deb";
constexpr char kDeb612[] = "linux-image-6.12.118+deb13-cloud-amd64_6.12.118-1_amd64.deb";
constexpr char kBinary72[] = "linux-binary-7.2.13+deb14-cloud-amd64_7.2.13-1_amd64.deb";
constexpr char kModules72[] = "linux-modules-7.2.13+deb14-cloud-amd64_7.2.13-1_amd64.deb";
constexpr char kRawBtf618[] = "host-6.18.44/vmlinux.btf";

// `build`: the one build kfuncdb_unpack makes of the corpus files named
// (cached per process); skips when a file is missing from the corpus.
#define UNPACK_OR_SKIP(build, ...)                                                            \
  const absl::StatusOr<std::vector<KernelArtifacts>>& build##_builds =                        \
      kfuncdb::testing::UnpackedCorpus({__VA_ARGS__});                                        \
  if (absl::StartsWith(build##_builds.status().message(), "corpus file missing")) {            \
    GTEST_SKIP() << build##_builds.status().message();                                        \
  }                                                                                           \
  ASSERT_TRUE(build##_builds.ok()) << build##_builds.status();                                \
  ASSERT_EQ(build##_builds->size(), 1u);                                                      \
  const KernelArtifacts& build = build##_builds->front()

BuildRecord ExtractOrFail(const KernelArtifacts& artifacts, const ExtractOptions& options = {}) {
  absl::StatusOr<BuildRecord> record = ExtractBuild(artifacts, options);
  EXPECT_TRUE(record.ok()) << record.status();
  return record.ok() ? *record : BuildRecord();
}

std::vector<const KfuncRecord*> Owned(const BuildRecord& record, const std::string& owner) {
  std::vector<const KfuncRecord*> out;
  for (const KfuncRecord& kfunc : record.kfuncs()) {
    if (kfunc.owner() == owner) out.push_back(&kfunc);
  }
  return out;
}

const KfuncRecord* Find(const BuildRecord& record, const std::string& name) {
  for (const KfuncRecord& kfunc : record.kfuncs()) {
    if (kfunc.name() == name) return &kfunc;
  }
  return nullptr;
}

std::vector<std::string> Names(const KfuncRecord& kfunc) {
  return {kfunc.flag_names().begin(), kfunc.flag_names().end()};
}

std::string DiagnosticsText(const BuildRecord& record) {
  std::string text;
  for (const auto& diagnostic : record.diagnostics()) {
    text += diagnostic.origin() + ": " + diagnostic.message() + "\n";
  }
  return text;
}

// The symbol-free scan on the stripped 6.1 vmlinux finds the README's sets.
TEST(ExtractCorpus61, ScanFindsSixSetsWith42Pairs) {
  UNPACK_OR_SKIP(kernel, kDeb61);
  ASSERT_EQ(kernel.form, KernelForm::kElfVmlinux);
  absl::StatusOr<ElfImage> elf = ElfImage::Open(kernel.kernel_bytes, "vmlinux-6.1");
  ASSERT_TRUE(elf.ok()) << elf.status();
  EXPECT_FALSE(elf->has_symbols());
  auto btf_section = elf->FindSection(".BTF");
  auto btf_ids = elf->FindSection(".BTF_ids");
  ASSERT_TRUE(btf_section && btf_ids);
  EXPECT_EQ(btf_ids->bytes.size(), 2056u);
  absl::StatusOr<BtfPtr> btf = ParseBtf(btf_section->bytes, "vmlinux-6.1 .BTF");
  ASSERT_TRUE(btf.ok()) << btf.status();
  EXPECT_EQ(btf__type_cnt(btf->get()) - 1, 95246u);
  std::vector<BtfIdSet8> sets = ScanSet8s(btf_ids->bytes, WordOrder::kLittleEndian, [&](BtfTypeId id) {
    return FuncById(**btf, id) != nullptr;
  });
  ASSERT_EQ(sets.size(), 6u);
  size_t pairs = 0;
  for (const BtfIdSet8& set : sets) {
    EXPECT_FALSE(set.name.has_value());
    EXPECT_EQ(set.header_flags, 0u);
    pairs += set.pairs.size();
  }
  EXPECT_EQ(pairs, 42u);
}

TEST(ExtractCorpus61, VmlinuxKfuncsFlagsAndIdentity) {
  UNPACK_OR_SKIP(kernel, kDeb61);
  BuildRecord record = ExtractOrFail(kernel);
  EXPECT_EQ(record.kernel_release(), "6.1.0-56-cloud-amd64");
  EXPECT_EQ(record.release(), "6.1");
  EXPECT_EQ(record.upstream_version(), "6.1.192");
  EXPECT_EQ(record.arch(), "amd64");
  EXPECT_EQ(record.flavour(), "cloud-amd64");
  EXPECT_TRUE(record.flags_known());
  EXPECT_EQ(record.content_sha256().size(), 64u);

  std::vector<const KfuncRecord*> vmlinux = Owned(record, "vmlinux");
  EXPECT_EQ(vmlinux.size(), 42u);
  for (const KfuncRecord* kfunc : vmlinux) {
    EXPECT_FALSE(kfunc->has_set_name()) << kfunc->name();
    EXPECT_EQ(kfunc->set_flags(), 0u);
    EXPECT_TRUE(kfunc->has_flags());
    EXPECT_EQ(kfunc->source(), kfuncdb::v1::KFUNC_SOURCE_SET_SCAN);
    EXPECT_TRUE(kfunc->decl_tags().empty()) << "6.1 BTF has no decl tags";
    EXPECT_FALSE(kfunc->prototype().empty());
    EXPECT_EQ(kfunc->signature_hash().size(), 64u);
  }
  struct Expected {
    std::string name;
    uint32_t flags;
    std::vector<std::string> flag_names;
  };
  const Expected expected[] = {
      {"crash_kexec", 0x40, {"KF_DESTRUCTIVE"}},
      {"bpf_lookup_user_key", 0x25, {"KF_ACQUIRE", "KF_RET_NULL", "KF_SLEEPABLE"}},
      {"bpf_key_put", 0x2, {"KF_RELEASE"}},
      {"cgroup_rstat_flush", 0x20, {"KF_SLEEPABLE"}},
      {"bpf_kfunc_call_test_kptr_get", 0xd, {"KF_ACQUIRE", "KF_RET_NULL", "KF_KPTR_GET"}},
  };
  for (const Expected& want : expected) {
    const KfuncRecord* kfunc = Find(record, want.name);
    ASSERT_NE(kfunc, nullptr) << want.name;
    EXPECT_EQ(kfunc->owner(), "vmlinux");
    EXPECT_EQ(kfunc->flags(), want.flags) << want.name;
    EXPECT_EQ(Names(*kfunc), want.flag_names) << want.name;
  }
  EXPECT_EQ(Find(record, "bpf_key_put")->prototype(), "void bpf_key_put(struct bpf_key *bkey)");
}

TEST(ExtractCorpus61, ModulesGiveTheirKfuncsWithOwnersAndSetNames) {
  UNPACK_OR_SKIP(kernel, kDeb61);
  BuildRecord record = ExtractOrFail(kernel);
  EXPECT_EQ(record.modules_scanned(), 1121u) << "every .ko in the package";
  std::vector<std::string> modules;
  for (const auto& module : record.modules()) {
    modules.push_back(module.name());
    EXPECT_EQ(module.vermagic_release(), "6.1.0-56-cloud-amd64");
    EXPECT_GT(module.kfunc_count(), 0u) << module.name();
  }
  EXPECT_THAT(modules, UnorderedElementsAre("nf_conntrack", "nf_nat", "tcp_bbr", "tcp_dctcp"));

  const KfuncRecord* lookup = Find(record, "bpf_xdp_ct_lookup");
  ASSERT_NE(lookup, nullptr);
  EXPECT_EQ(lookup->owner(), "nf_conntrack");
  EXPECT_EQ(lookup->flags(), 0x5u);
  EXPECT_THAT(Names(*lookup), ElementsAre("KF_ACQUIRE", "KF_RET_NULL"));
  EXPECT_TRUE(lookup->has_set_name());
  EXPECT_EQ(lookup->source(), kfuncdb::v1::KFUNC_SOURCE_SET_SYMBOL);
  const KfuncRecord* insert = Find(record, "bpf_ct_insert_entry");
  ASSERT_NE(insert, nullptr);
  EXPECT_EQ(insert->owner(), "nf_conntrack");
  EXPECT_EQ(insert->flags(), 0x7u);
  const KfuncRecord* nat = Find(record, "bpf_ct_set_nat_info");
  ASSERT_NE(nat, nullptr);
  EXPECT_EQ(nat->owner(), "nf_nat");
  EXPECT_EQ(nat->set_name(), "nf_nat_kfunc_set");
  for (const KfuncRecord& kfunc : record.kfuncs()) {
    if (kfunc.owner() != "vmlinux") {
      EXPECT_TRUE(kfunc.has_set_name()) << kfunc.name();
    }
  }
  EXPECT_EQ(record.diagnostics_size(), 0) << DiagnosticsText(record);
}

TEST(ExtractCorpus612, VmlinuxSetsAgreeWithDeclTags) {
  UNPACK_OR_SKIP(kernel, kDeb612);
  BuildRecord record = ExtractOrFail(kernel);
  EXPECT_EQ(record.kernel_release(), "6.12.118+deb13-cloud-amd64");
  EXPECT_EQ(record.release(), "6.12");
  EXPECT_EQ(record.upstream_version(), "6.12.118");
  EXPECT_EQ(record.flavour(), "cloud-amd64");
  EXPECT_TRUE(record.flags_known());

  std::set<std::string> names;
  int records = 0;
  for (const KfuncRecord* kfunc : Owned(record, "vmlinux")) {
    names.insert(kfunc->name());
    ++records;
    EXPECT_EQ(kfunc->set_flags(), 1u) << kfunc->name();
    EXPECT_THAT(std::vector<std::string>(kfunc->decl_tags().begin(), kfunc->decl_tags().end()),
                ElementsAre("bpf_kfunc"))
        << kfunc->name();
  }
  EXPECT_EQ(names.size(), 132u);
  EXPECT_EQ(records, 133) << "bpf_modify_return_test_tp is in two sets";
  EXPECT_EQ(Find(record, "update_socket_protocol"), nullptr)
      << "bpf_mptcp_fmodret_ids is not a kfunc set";

  // The only diagnostic: the fmodret set left out; no tag/set disagreement.
  ASSERT_EQ(record.diagnostics_size(), 1) << DiagnosticsText(record);
  EXPECT_THAT(record.diagnostics(0).message(), HasSubstr("not a kfunc set"));

  const KfuncRecord* acquire = Find(record, "bpf_task_acquire");
  ASSERT_NE(acquire, nullptr);
  EXPECT_EQ(acquire->flags(), 0x85u);
  EXPECT_THAT(Names(*acquire), ElementsAre("KF_ACQUIRE", "KF_RET_NULL", "KF_RCU"));
  EXPECT_EQ(acquire->prototype(), "struct task_struct *bpf_task_acquire(struct task_struct *p)");
  const KfuncRecord* iter = Find(record, "bpf_iter_num_new");
  ASSERT_NE(iter, nullptr);
  EXPECT_EQ(iter->flags(), 0x100u);
  EXPECT_THAT(Names(*iter), ElementsAre("KF_ITER_NEW"));
  EXPECT_EQ(iter->prototype(), "int bpf_iter_num_new(struct bpf_iter_num *it, int start, int end)");
  EXPECT_EQ(Find(record, "bpf_task_release")->prototype(),
            "void bpf_task_release(struct task_struct *p)");
  EXPECT_EQ(Find(record, "bpf_xdp_metadata_rx_timestamp")->flags(), 0x10u);
  EXPECT_EQ(Find(record, "bpf_obj_new_impl")->flags(), 0x5u);
}

// Real modules keep their symbols: there the symbol-free scan must find
// exactly the sets the __BTF_ID__set8__ symbols name.
TEST(ExtractCorpus612, ModuleScanMatchesModuleSymbols) {
  UNPACK_OR_SKIP(kernel, kDeb612);
  absl::StatusOr<ElfImage> vmlinux = ElfImage::Open(kernel.kernel_bytes, "vmlinux");
  ASSERT_TRUE(vmlinux.ok());
  absl::StatusOr<KernelObject> base = ReadVmlinuxElf(*vmlinux);
  ASSERT_TRUE(base.ok()) << base.status();
  int compared = 0;
  for (const ModuleBytes& module : kernel.modules) {
    absl::StatusOr<ElfImage> elf = ElfImage::Open(module.bytes, module.origin);
    ASSERT_TRUE(elf.ok()) << elf.status();
    absl::StatusOr<KernelObject> object = ReadModuleElf(*elf, *base->btf);
    ASSERT_TRUE(object.ok()) << object.status();
    ASSERT_EQ(object->set_source, kfuncdb::v1::KFUNC_SOURCE_SET_SYMBOL) << module.origin;
    std::vector<BtfIdSet8> scanned =
        ScanSet8s(elf->FindSection(".BTF_ids")->bytes, WordOrder::kLittleEndian,
                  [&](BtfTypeId id) { return FuncById(*object->btf, id) != nullptr; });
    std::vector<std::pair<size_t, size_t>> by_symbol, by_scan;
    for (const BtfIdSet8& set : *object->sets) {
      if (!set.pairs.empty()) by_symbol.push_back({set.offset, set.pairs.size()});
    }
    for (const BtfIdSet8& set : scanned) by_scan.push_back({set.offset, set.pairs.size()});
    EXPECT_EQ(by_scan, by_symbol) << module.origin;
    ++compared;
  }
  EXPECT_EQ(compared, 7);
}

TEST(ExtractCorpus612, SevenModulesCarryKfuncs) {
  UNPACK_OR_SKIP(kernel, kDeb612);
  BuildRecord record = ExtractOrFail(kernel);
  std::vector<std::string> modules;
  int pairs = 0;
  for (const auto& module : record.modules()) {
    modules.push_back(module.name());
    pairs += static_cast<int>(module.kfunc_count());
  }
  EXPECT_THAT(modules, UnorderedElementsAre("fou", "nf_conntrack", "nf_flow_table", "nf_nat",
                                            "tcp_bbr", "tcp_dctcp", "xfrm_interface"));
  EXPECT_EQ(pairs, 30);
  const KfuncRecord* lookup = Find(record, "bpf_xdp_ct_lookup");
  ASSERT_NE(lookup, nullptr);
  EXPECT_EQ(lookup->owner(), "nf_conntrack");
  EXPECT_EQ(lookup->source(), kfuncdb::v1::KFUNC_SOURCE_SET_SYMBOL);
  EXPECT_THAT(std::vector<std::string>(lookup->decl_tags().begin(), lookup->decl_tags().end()),
              ElementsAre("bpf_kfunc"));
}

// 7.x: split packages, the 7.x flag table (no KF_TRUSTED_ARGS, bit 16 is
// KF_IMPLICIT_ARGS, bit 12 KF_FASTCALL).
TEST(ExtractCorpus72, SplitPackagesAndTheSevenTable) {
  UNPACK_OR_SKIP(split, kBinary72, kModules72);
  BuildRecord record = ExtractOrFail(split);
  EXPECT_EQ(record.kernel_release(), "7.2.13+deb14-cloud-amd64");
  EXPECT_EQ(record.release(), "7.2");
  std::set<std::string> names;
  int records = 0, implicit_args = 0;
  for (const KfuncRecord* kfunc : Owned(record, "vmlinux")) {
    names.insert(kfunc->name());
    ++records;
    std::vector<std::string> flags = Names(*kfunc);
    EXPECT_EQ(std::count(flags.begin(), flags.end(), "KF_TRUSTED_ARGS"), 0) << kfunc->name();
    EXPECT_EQ(std::count(flags.begin(), flags.end(), "bit4"), 0) << kfunc->name();
    if (std::count(flags.begin(), flags.end(), "KF_IMPLICIT_ARGS") > 0) ++implicit_args;
  }
  EXPECT_EQ(records, 334);
  EXPECT_EQ(names.size(), 301u);
  EXPECT_EQ(implicit_args, 84) << "bit 16 on 84 set entries (corpus README)";
  EXPECT_EQ(Find(record, "bpf_task_acquire")->flags(), 0x85u);
  const KfuncRecord* cast = Find(record, "bpf_cast_to_kern_ctx");
  ASSERT_NE(cast, nullptr);
  EXPECT_EQ(cast->flags(), 0x1000u);
  EXPECT_THAT(Names(*cast), ElementsAre("KF_FASTCALL"));
  EXPECT_THAT(std::vector<std::string>(cast->decl_tags().begin(), cast->decl_tags().end()),
              ElementsAre("bpf_fastcall", "bpf_kfunc"));
  std::vector<std::string> module_names;
  for (const auto& module : record.modules()) module_names.push_back(module.name());
  EXPECT_THAT(module_names, UnorderedElementsAre("fou", "nf_conntrack", "nf_flow_table", "nf_nat",
                                                 "tcp_bbr", "tcp_dctcp", "xfrm_interface"));
}

TEST(ExtractCorpus618, RawBtfGivesTaggedKfuncsWithUnknownFlags) {
  KFUNCDB_REQUIRE_CORPUS_FILE(path, kRawBtf618);
  absl::StatusOr<KernelArtifacts> artifacts = ArtifactsFromPlainFiles(path, {});
  ASSERT_TRUE(artifacts.ok()) << artifacts.status();
  EXPECT_EQ(artifacts->form, KernelForm::kRawBtf);

  absl::StatusOr<BuildRecord> without_release = ExtractBuild(*artifacts, {});
  ASSERT_FALSE(without_release.ok());
  EXPECT_THAT(std::string(without_release.status().message()), HasSubstr("--release"));
  EXPECT_THAT(std::string(without_release.status().message()), HasSubstr(path.string()));

  ExtractOptions options;
  options.release_override = "6.18.44";
  absl::StatusOr<BuildRecord> record = ExtractBuild(*artifacts, options);
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->release(), "6.18");
  EXPECT_EQ(record->upstream_version(), "6.18.44");
  EXPECT_EQ(record->arch(), "amd64") << "told by struct pt_regs, without --arch";
  EXPECT_THAT(DiagnosticsText(*record), HasSubstr("architecture amd64 told by the BTF's struct pt_regs"));
  EXPECT_FALSE(record->flags_known());
  EXPECT_EQ(record->kfuncs_size(), 203);
  std::vector<std::string> fastcall;
  for (const KfuncRecord& kfunc : record->kfuncs()) {
    EXPECT_FALSE(kfunc.has_flags()) << kfunc.name();
    EXPECT_FALSE(kfunc.has_set_flags()) << kfunc.name();
    EXPECT_TRUE(kfunc.flag_names().empty());
    EXPECT_EQ(kfunc.source(), kfuncdb::v1::KFUNC_SOURCE_DECL_TAG);
    EXPECT_EQ(kfunc.owner(), "vmlinux");
    std::vector<std::string> tags(kfunc.decl_tags().begin(), kfunc.decl_tags().end());
    if (std::find(tags.begin(), tags.end(), "bpf_fastcall") != tags.end()) fastcall.push_back(kfunc.name());
  }
  EXPECT_THAT(fastcall, UnorderedElementsAre("bpf_cast_to_kern_ctx", "bpf_rdonly_cast"));
  EXPECT_EQ(Find(*record, "bpf_task_acquire")->prototype(),
            "struct task_struct *bpf_task_acquire(struct task_struct *p)");
}

}  // namespace
}  // namespace kfuncdb::extract
