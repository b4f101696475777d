/* A program that calls no kfunc: its object has no .ksyms DATASEC. */
#include "kfunc_decls.h"

SEC("tp_btf/task_newtask")
int on_task_newtask(u64 *ctx) { return ctx[1] != 0; }

char LICENSE[] SEC("license") = "GPL";
