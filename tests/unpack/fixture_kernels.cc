#include "tests/unpack/fixture_kernels.h"

#include <gtest/gtest.h>

#include "tests/fixtures/kernel_fixture.h"
#include "tests/unpack/elf_sections_for_test.h"

namespace kfuncdb::testing {
namespace {

FixtureKernel Build() {
  fixtures::VmlinuxSpec spec;
  spec.kernel_release = "6.1.0-77-fixture-amd64";
  spec.with_symbols = false;  // stripped, as decompressed from a vmlinuz
  spec.sets = {{"generic_btf_ids", 0}};
  spec.kfuncs = {{.name = "bpf_task_acquire", .set = "generic_btf_ids", .flags = 0x5,
                  .return_type = "struct task_struct *", .params = {{"struct task_struct *", "p"}}},
                 {.name = "bpf_task_release", .set = "generic_btf_ids", .flags = 0x2,
                  .return_type = "void", .params = {{"struct task_struct *", "p"}}}};
  FixtureKernel kernel;
  kernel.release = spec.kernel_release;
  absl::StatusOr<std::string> vmlinux = fixtures::BuildVmlinuxElf(spec);
  absl::StatusOr<std::string> raw_btf = fixtures::BuildRawBtf(spec);
  if (!vmlinux.ok() || !raw_btf.ok()) {
    ADD_FAILURE() << "fixture vmlinux: " << vmlinux.status() << " / " << raw_btf.status();
    return {};
  }
  kernel.vmlinux = *vmlinux;
  kernel.raw_btf = *raw_btf;
  kernel.btf_ids = ElfSectionBytes(kernel.vmlinux, ".BTF_ids").value_or("");

  fixtures::ModuleSpec with_sets;
  with_sets.name = "kfunc_mod";
  with_sets.vermagic_release = spec.kernel_release;
  with_sets.sets = {{"kfunc_mod_ids", 0}};
  with_sets.kfuncs = {{.name = "bpf_mod_lookup", .set = "kfunc_mod_ids", .flags = 0x1}};
  fixtures::ModuleSpec plain;
  plain.name = "plain_mod";
  plain.vermagic_release = spec.kernel_release;
  absl::StatusOr<std::string> kfunc_module = fixtures::BuildModuleElf(with_sets, kernel.raw_btf);
  absl::StatusOr<std::string> plain_module = fixtures::BuildModuleElf(plain, kernel.raw_btf);
  if (!kfunc_module.ok() || !plain_module.ok()) {
    ADD_FAILURE() << "fixture modules: " << kfunc_module.status() << " / " << plain_module.status();
    return {};
  }
  kernel.kfunc_module = *kfunc_module;
  kernel.plain_module = *plain_module;
  return kernel;
}

}  // namespace

const FixtureKernel& SmallKernel() {
  static const FixtureKernel kernel = Build();
  return kernel;
}

}  // namespace kfuncdb::testing
