// Reading which kfuncs a compiled BPF object (PROG.bpf.o) imports.
//
// A BPF program calls a kfunc through an extern declaration
// (`extern struct task_struct *bpf_task_acquire(struct task_struct *) __ksym;`).
// clang records each such extern as a BTF FUNC with BTF_FUNC_EXTERN linkage
// and lists it in the object's BTF DATASEC ".ksyms", which is where libbpf
// itself finds the kfuncs to resolve at load time. Extern variables in the
// same DATASEC (`extern const int bpf_prog_active __ksym;`) are kernel
// symbols, not kfuncs, and are left out.
//
// The object is untrusted input (a CI job may hand us anything): the file's
// ELF header is checked (64-bit, EM_BPF) before libbpf parses it, and every
// failure is a status naming the file and what is wrong, never a crash.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace kfuncdb::client {

// The kfunc names `object` imports, sorted and without duplicates; empty when
// it calls no kfunc. InvalidArgument when the file is not a 64-bit BPF ELF
// object, is truncated, or has no (valid) .BTF section; NotFound when it
// cannot be opened.
absl::StatusOr<std::vector<std::string>> ReadImportedKfuncs(const std::filesystem::path& object);

}  // namespace kfuncdb::client
