// The Debian architecture of a kernel told by its BTF alone, for raw BTF
// (/sys/kernel/btf/vmlinux) whose bytes carry no ELF header, banner or
// package name. Every architecture defines `struct pt_regs` with register
// names of its own (x86-64's r15, arm64's orig_x0, ...), and the BTF header
// gives the byte order, which separates ppc64el from ppc64.
#pragma once

#include <string>

struct btf;

namespace kfuncdb::extract {

// "amd64", "arm64", "i386", "riscv64", "s390x", "ppc64el", "ppc64" or
// "loong64"; "" when the BTF has no `struct pt_regs` or one of a layout
// this table does not know.
std::string ArchFromBtf(const btf& handle);

}  // namespace kfuncdb::extract
