/* Resource limits: getrlimit, setrlimit and prlimit64 with Linux's rules
 * (only root raises a hard limit; the soft one stays under the hard one).
 * They are kept and inherited; RLIMIT_NOFILE is the one the kernel acts
 * on, through fd_alloc, and it can never exceed the descriptor table. */
#include "kernel.h"
#include "proc.h"

#define RLIMIT_STACK 3
#define RLIMIT_CORE 4
#define RLIMIT_NPROC 6
#define RLIMIT_NOFILE 7
#define RLIMIT_MEMLOCK 8
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE 12
#define RLIMIT_NICE 13
#define RLIMIT_RTPRIO 14
#define INF64 (~0ull)

/* What Linux gives its first process. */
void rlimit_init(struct proc *p) {
  for (int i = 0; i < NRLIMIT; i++) p->rlim[i].cur = p->rlim[i].max = INF64;
  p->rlim[RLIMIT_STACK].cur = STACK_MAX;
  p->rlim[RLIMIT_CORE].cur = 0;
  p->rlim[RLIMIT_NPROC].cur = p->rlim[RLIMIT_NPROC].max = NPROC;
  p->rlim[RLIMIT_NOFILE].cur = p->rlim[RLIMIT_NOFILE].max = NOFILE;
  p->rlim[RLIMIT_MEMLOCK].cur = p->rlim[RLIMIT_MEMLOCK].max = 8u << 20;
  p->rlim[RLIMIT_SIGPENDING].cur = p->rlim[RLIMIT_SIGPENDING].max = 64;
  p->rlim[RLIMIT_MSGQUEUE].cur = p->rlim[RLIMIT_MSGQUEUE].max = 819200;
  p->rlim[RLIMIT_NICE].cur = p->rlim[RLIMIT_NICE].max = 0;
  p->rlim[RLIMIT_RTPRIO].cur = p->rlim[RLIMIT_RTPRIO].max = 0;
}

/* The number of descriptors the process may have open. */
u32 rlimit_nofile(struct proc *p) {
  u64 n = p->rlim[RLIMIT_NOFILE].cur;
  return n < NOFILE ? (u32)n : NOFILE;
}

static int set_limit(struct proc *p, u32 res, u64 cur, u64 max) {
  if (cur > max) return -EINVAL;
  if (max > p->rlim[res].max && !is_root()) return -EPERM;
  if (res == RLIMIT_NOFILE && max > NOFILE) return -EPERM; /* Linux's nr_open */
  p->rlim[res].cur = cur;
  p->rlim[res].max = max;
  return 0;
}

static u32 clamp32(u64 v, u32 inf) { return v == INF64 || v > 0xffffffffull ? inf : (u32)v; }

/* getrlimit (76), the old call: infinity and anything larger is 2^31 - 1. */
int sys_getrlimit(u32 res, u32 va) {
  if (res >= NRLIMIT) return -EINVAL;
  u32 r[2] = {clamp32(curproc->rlim[res].cur, 0x7fffffff), clamp32(curproc->rlim[res].max, 0x7fffffff)};
  if (r[0] > 0x7fffffff) r[0] = 0x7fffffff;
  if (r[1] > 0x7fffffff) r[1] = 0x7fffffff;
  return copy_to_user_checked(va, r, sizeof r);
}

/* ugetrlimit (191): RLIM_INFINITY is ~0. */
int sys_ugetrlimit(u32 res, u32 va) {
  if (res >= NRLIMIT) return -EINVAL;
  u32 r[2] = {clamp32(curproc->rlim[res].cur, ~0u), clamp32(curproc->rlim[res].max, ~0u)};
  return copy_to_user_checked(va, r, sizeof r);
}

int sys_setrlimit(u32 res, u32 va) {
  u32 r[2];
  if (res >= NRLIMIT) return -EINVAL;
  if (copy_from_user(r, va, sizeof r) < 0) return -EFAULT;
  return set_limit(curproc, res, r[0] == ~0u ? INF64 : r[0], r[1] == ~0u ? INF64 : r[1]);
}

/* prlimit64(pid, resource, new, old): 64-bit limits, of this process or
 * (root, or the same user) another. */
int sys_prlimit64(u32 pid, u32 res, u32 new_va, u32 old_va) {
  if (res >= NRLIMIT) return -EINVAL;
  struct proc *p = pid ? proc_find((int)pid) : curproc;
  if (!p) return -ESRCH;
  if (p != curproc && !is_root() && p->uid != curproc->euid) return -EPERM;
  u64 nw[2], old[2] = {p->rlim[res].cur, p->rlim[res].max};
  if (new_va && copy_from_user(nw, new_va, sizeof nw) < 0) return -EFAULT;
  if (new_va) {
    int err = set_limit(p, res, nw[0], nw[1]);
    if (err) return err;
  }
  if (old_va && copy_to_user_checked(old_va, old, sizeof old) < 0) return -EFAULT;
  return 0;
}
