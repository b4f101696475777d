/* The few declarations the test programs need, instead of vmlinux.h: kfuncs
 * are declared `extern ... __ksym` exactly as libbpf's bpf_helpers.h does, so
 * clang records them as extern FUNCs in the object's .ksyms DATASEC. */
#ifndef KFUNCDB_TESTS_CLIENT_BPF_KFUNC_DECLS_H_
#define KFUNCDB_TESTS_CLIENT_BPF_KFUNC_DECLS_H_

typedef unsigned long long u64;
struct task_struct;

#define SEC(name) __attribute__((section(name), used))
#define __ksym __attribute__((section(".ksyms")))
#define __weak __attribute__((weak))

#endif
