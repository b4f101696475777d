/* An fentry program importing bpf_task_acquire/release plus a kfunc no
 * kernel has (bpf_kfuncdb_no_such_kfunc, weak so the program could probe
 * for it), and a kernel variable from .ksyms, which is not a kfunc. */
#include "kfunc_decls.h"

extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern int bpf_kfuncdb_no_such_kfunc(struct task_struct *p) __ksym __weak;
extern const int bpf_prog_active __ksym;

SEC("fentry/wake_up_new_task")
int on_wake_up_new_task(u64 *ctx) {
  struct task_struct *task = (struct task_struct *)ctx[0];
  struct task_struct *acquired = bpf_task_acquire(task);
  if (!acquired) return 0;
  int result = bpf_kfuncdb_no_such_kfunc(acquired) + bpf_prog_active;
  bpf_task_release(acquired);
  return result;
}

char LICENSE[] SEC("license") = "GPL";
