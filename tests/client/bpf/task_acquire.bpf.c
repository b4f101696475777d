/* A tp_btf program that takes and drops a reference on the new task: it
 * imports exactly bpf_task_acquire and bpf_task_release (upstream since 6.2). */
#include "kfunc_decls.h"

extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;

SEC("tp_btf/task_newtask")
int on_task_newtask(u64 *ctx) {
  struct task_struct *task = (struct task_struct *)ctx[0];
  struct task_struct *acquired = bpf_task_acquire(task);
  if (acquired) bpf_task_release(acquired);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
