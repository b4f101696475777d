// Small synthetic kernels for the unpack tests, built once per process by
// the fixture generator: a vmlinux ELF (with .BTF and .BTF_ids) and two
// modules of the same release, one with kfunc sets (.BTF_ids) and one
// without.
#pragma once

#include <string>

namespace kfuncdb::testing {

struct FixtureKernel {
  std::string release;
  std::string vmlinux;         // ELF
  std::string raw_btf;         // its .BTF alone
  std::string btf_ids;         // its .BTF_ids alone
  std::string kfunc_module;    // ET_REL with .BTF_ids, name "kfunc_mod"
  std::string plain_module;    // ET_REL without .BTF_ids, name "plain_mod"
};

// Built on first use; fails the current test (and returns an empty kernel)
// when the generator fails.
const FixtureKernel& SmallKernel();

}  // namespace kfuncdb::testing
