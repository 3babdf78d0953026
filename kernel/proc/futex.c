/* futex: FUTEX_WAIT sleeps while a word of user memory holds the value
 * expected, FUTEX_WAKE wakes those waiting on it. A process here has one
 * thread, so waiters share the word through memory shared otherwise: a
 * vfork child's (CLONE_VM) or MAP_SHARED memory (then told apart by the
 * address space and address, which is enough for the first, and for the
 * second as long as the sharers map it at the same place: they do after
 * fork). */
#include "kernel.h"
#include "proc.h"
#include "mm.h"

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256

static int futex_chan;

static int wake(struct mm *mm, u32 addr, u32 n) {
  u32 woken = 0;
  for (u32 i = 0; woken < n; i++) {
    struct proc *p = proc_nth(i);
    if (!p) break;
    if (p->state != SLEEPING || p->chan != &futex_chan || p->futex_addr != addr) continue;
    if (p->futex_mm != mm && !(p->futex_mm && mm && mm_same_page(p->futex_mm, mm, addr))) continue;
    p->futex_mm = NULL;
    p->state = RUNNABLE;
    woken++;
  }
  return (int)woken;
}

void futex_wake_address(struct mm *mm, u32 addr) { wake(mm, addr, 1); }

/* timeout: a struct timespec (relative for FUTEX_WAIT, absolute for the
 * bitset form, as Linux has them), or 0 to wait for ever. */
static int wait(u32 addr, u32 val, u32 timeout_va, int absolute) {
  u32 cur;
  if (addr & 3) return -EINVAL;
  if (copy_from_user(&cur, addr, 4) < 0) return -EFAULT;
  if (cur != val) return -EAGAIN;
  u32 deadline = 0;
  if (timeout_va) {
    u32 t;
    int err = user_timeout_ticks(timeout_va, 0, &t);
    if (err) return err;
    if (absolute) t = (s32)(t - ticks) > 0 ? t - ticks : 0; /* CLOCK_MONOTONIC: ticks since boot */
    deadline = ticks + t + 1;
  }
  curproc->futex_mm = curproc->mm;
  curproc->futex_addr = addr;
  int woken;
  if (deadline) woken = sleep_until(&futex_chan, deadline);
  else { sleep(&futex_chan); woken = 1; }
  int was_woken = curproc->futex_mm == NULL;
  curproc->futex_mm = NULL;
  if (was_woken) return 0;
  if (!woken) return -ETIMEDOUT;
  return -ERESTARTSYS;
}

int sys_futex(u32 addr, u32 op, u32 val, u32 timeout_va, u32 addr2, u32 val3) {
  (void)addr2;
  switch (op & ~(u32)(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME)) {
    case FUTEX_WAIT: return wait(addr, val, timeout_va, 0);
    case FUTEX_WAIT_BITSET: return val3 ? wait(addr, val, timeout_va, 1) : -EINVAL;
    case FUTEX_WAKE: return wake(curproc->mm, addr, val);
    case FUTEX_WAKE_BITSET: return val3 ? wake(curproc->mm, addr, val) : -EINVAL;
    default: return -ENOSYS;
  }
}
