/* poll and select (and their ppoll/pselect6 forms): which descriptors are
 * ready, waiting until one is, a timeout passes or a signal comes. A file
 * says what it is ready for through its poll operation (pipes and the
 * tty have one; other files are always ready); whatever may make a file
 * ready calls poll_wakeup, and every waiter looks again. */
#include "kernel.h"
#include "fs.h"
#include "proc.h"

static int poll_chan;

void poll_wakeup(void) { wakeup(&poll_chan); }

struct pollfd { int fd; u16 events, revents; };

static u32 ready(u32 fd, u32 events) {
  struct file *f = fd_file(fd);
  if (!f) return POLLNVAL;
  u32 mask = f->ops && f->ops->poll ? f->ops->poll(f) : POLLIN | POLLOUT;
  return mask & (events | POLLERR | POLLHUP);
}

/* Waits until ticks reaches deadline (0: for ever) or a poll_wakeup;
 * returns 0 once the deadline has passed. */
static int wait_until(u32 deadline, int has_deadline) {
  if (!has_deadline) { sleep(&poll_chan); return 1; }
  return sleep_until(&poll_chan, deadline);
}

/* The ticks a timeout in milliseconds (negative: none) takes. */
static u32 ms_ticks(int ms) { return ((u32)ms + 1000 / HZ - 1) / (1000 / HZ); }

static int do_poll(u32 fds_va, u32 n, int has_deadline, u32 deadline) {
  if (n > rlimit_nofile(curproc)) return -EINVAL;
  struct pollfd fds[NOFILE];
  if (n && copy_from_user(fds, fds_va, n * sizeof fds[0]) < 0) return -EFAULT;
  for (;;) {
    int count = 0;
    for (u32 i = 0; i < n; i++) {
      fds[i].revents = fds[i].fd < 0 ? 0 : (u16)ready((u32)fds[i].fd, fds[i].events);
      if (fds[i].revents) count++;
    }
    int expired = has_deadline && (s32)(ticks - deadline) >= 0;
    if (count || expired) {
      if (n && copy_to_user_checked(fds_va, fds, n * sizeof fds[0]) < 0) return -EFAULT;
      return count;
    }
    if (signal_pending()) return -ERESTARTNOHAND;
    wait_until(deadline, has_deadline);
  }
}

int sys_poll(u32 fds_va, u32 n, u32 timeout_ms) {
  int ms = (int)timeout_ms;
  return do_poll(fds_va, n, ms >= 0, ticks + (ms > 0 ? ms_ticks(ms) + 1 : 0));
}

/* A struct timespec timeout (NULL: none) as a deadline in ticks. */
static int ts_deadline(u32 ts_va, int wide, int *has, u32 *deadline) {
  *has = 0;
  if (!ts_va) return 0;
  u32 t;
  int err = user_timeout_ticks(ts_va, wide, &t);
  if (err) return err;
  *has = 1;
  *deadline = ticks + (t ? t + 1 : 0);
  return 0;
}

/* ppoll and pselect6's signal mask: in place while waiting, back after
 * (through sigsuspend's path, so that a handler runs with it set). */
static int swap_mask(u32 mask_va, u32 size) {
  if (!mask_va) return 0;
  if (size != 8) return -EINVAL;
  u64 mask;
  if (copy_from_user(&mask, mask_va, 8) < 0) return -EFAULT;
  curproc->saved_blocked = curproc->blocked;
  curproc->restore_blocked = 1;
  curproc->blocked = mask & ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP));
  return 0;
}

static int ppoll(u32 fds_va, u32 n, u32 ts_va, u32 mask_va, u32 size, int wide) {
  int has;
  u32 deadline;
  int err = ts_deadline(ts_va, wide, &has, &deadline);
  if (!err) err = swap_mask(mask_va, size);
  if (err) return err;
  int r = do_poll(fds_va, n, has, deadline);
  if (r != -ERESTARTNOHAND && mask_va) { /* no signal to deliver with the mask: it goes back now */
    curproc->blocked = curproc->saved_blocked;
    curproc->restore_blocked = 0;
  }
  return r == -ERESTARTNOHAND ? -EINTR : r;
}

int sys_ppoll(u32 fds, u32 n, u32 ts, u32 mask, u32 size) { return ppoll(fds, n, ts, mask, size, 0); }
int sys_ppoll_time64(u32 fds, u32 n, u32 ts, u32 mask, u32 size) { return ppoll(fds, n, ts, mask, size, 1); }

#define FD_SETSIZE 1024

/* select: three bit sets of n descriptors, each rewritten with those ready. */
static int do_select(u32 n, u32 in_va, u32 out_va, u32 ex_va, int has_deadline, u32 deadline) {
  if ((s32)n < 0) return -EINVAL;
  if (n > FD_SETSIZE) n = FD_SETSIZE;
  u32 words = (n + 31) / 32;
  u32 want[3][NOFILE / 32] = {{0}}, got[3][NOFILE / 32];
  u32 vas[3] = {in_va, out_va, ex_va};
  for (int k = 0; k < 3; k++) {
    if (!vas[k]) continue;
    for (u32 w = 0; w < words; w++) {
      u32 bits;
      if (copy_from_user(&bits, vas[k] + 4 * w, 4) < 0) return -EFAULT;
      if (n < 32 * (w + 1)) bits &= (1u << (n % 32)) - 1;
      if (w >= NOFILE / 32) { if (bits) return -EBADF; continue; }
      want[k][w] = bits;
    }
  }
  static const u32 events[3] = {POLLIN | POLLHUP | POLLERR, POLLOUT | POLLERR, POLLPRI};
  for (;;) {
    int count = 0;
    memset(got, 0, sizeof got);
    for (u32 fd = 0; fd < n && fd < NOFILE; fd++) {
      u32 bit = 1u << (fd % 32);
      if (!((want[0][fd / 32] | want[1][fd / 32] | want[2][fd / 32]) & bit)) continue;
      u32 r = ready(fd, POLLIN | POLLOUT | POLLPRI);
      if (r & POLLNVAL) return -EBADF;
      for (int k = 0; k < 3; k++)
        if ((want[k][fd / 32] & bit) && (r & events[k])) { got[k][fd / 32] |= bit; count++; }
    }
    int expired = has_deadline && (s32)(ticks - deadline) >= 0;
    if (count || expired) {
      for (int k = 0; k < 3; k++)
        for (u32 w = 0; vas[k] && w < words; w++) {
          u32 bits = w < NOFILE / 32 ? got[k][w] : 0;
          if (copy_to_user_checked(vas[k] + 4 * w, &bits, 4) < 0) return -EFAULT;
        }
      return count;
    }
    if (signal_pending()) return -ERESTARTNOHAND;
    wait_until(deadline, has_deadline);
  }
}

/* _newselect: a struct timeval timeout, which Linux rewrites with the
 * time left (here: 0 after a timeout, untouched otherwise). */
int sys_newselect(u32 n, u32 in, u32 out, u32 ex, u32 tv_va) {
  int has = 0;
  u32 deadline = 0, tv[2];
  if (tv_va) {
    if (copy_from_user(tv, tv_va, sizeof tv) < 0) return -EFAULT;
    if ((s32)tv[0] < 0 || tv[1] >= 1000000) return -EINVAL;
    u32 t = (tv[0] > 0x7fffff ? 0x7fffffff : tv[0] * HZ) + (tv[1] + 1000000 / HZ - 1) / (1000000 / HZ);
    has = 1;
    deadline = ticks + (t ? t + 1 : 0);
  }
  int r = do_select(n, in, out, ex, has, deadline);
  if (r == 0 && tv_va) {
    u32 zero[2] = {0, 0};
    copy_to_user_checked(tv_va, zero, sizeof zero);
  }
  return r;
}

/* pselect6: the sixth argument points at {sigmask pointer, its size}. */
static int pselect6(u32 n, u32 in, u32 out, u32 ex, u32 ts_va, u32 sig_va, int wide) {
  int has;
  u32 deadline, sig[2] = {0, 0};
  int err = ts_deadline(ts_va, wide, &has, &deadline);
  if (!err && sig_va && copy_from_user(sig, sig_va, sizeof sig) < 0) err = -EFAULT;
  if (!err) err = swap_mask(sig[0], sig[1]);
  if (err) return err;
  int r = do_select(n, in, out, ex, has, deadline);
  if (r != -ERESTARTNOHAND && sig[0]) {
    curproc->blocked = curproc->saved_blocked;
    curproc->restore_blocked = 0;
  }
  return r == -ERESTARTNOHAND ? -EINTR : r;
}

int sys_pselect6(u32 n, u32 in, u32 out, u32 ex, u32 ts, u32 sig) { return pselect6(n, in, out, ex, ts, sig, 0); }
int sys_pselect6_time64(u32 n, u32 in, u32 out, u32 ex, u32 ts, u32 sig) { return pselect6(n, in, out, ex, ts, sig, 1); }
