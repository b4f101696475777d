// C declarations of BTF FUNCs, and a signature hash over their types.
//
//   struct task_struct *bpf_task_acquire(struct task_struct *p)
//   void bpf_rcu_read_lock(void)
//   int bpf_dynptr_from_mem(void *data, u32 size, u64 flags, struct bpf_dynptr_kern *ptr__uninit)
//   void bpf_iter_css_task_destroy(struct bpf_iter_css_task *it)
//   int (*cb)(void *, void *)                 (function pointer parameter)
//   const char *name, char buf[16], ...       (qualifiers, arrays, variadic)
//
// Typedefs and struct/union/enum tags are named, never expanded, so the text
// is what a C header would say. BTF type tags (__user, __rcu...) are left
// out. Anonymous aggregates render as "struct {...}".
//
// The signature hash is SHA-256 (hex) of the same rendering with the
// function name and all parameter names removed ("struct task_struct
// *(struct task_struct *)"): it is equal across builds exactly when the types
// are, whatever the parameters are called, and it does not depend on BTF ids.
//
// Thread-safe on a const btf.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "common/strong_id.h"

struct btf;

namespace kfuncdb::extract {

struct RenderedPrototype {
  std::string prototype;       // with names
  std::string types_only;      // without function and parameter names
  std::string signature_hash;  // SHA-256 hex of types_only
};

// Renders the FUNC `func_id`. InvalidArgument when the id is not a FUNC, its
// type is not a FUNC_PROTO, or a type chain is cyclic or deeper than any C
// declaration (malformed BTF).
absl::StatusOr<RenderedPrototype> RenderPrototype(const btf& handle, BtfTypeId func_id);

}  // namespace kfuncdb::extract
