/* Time: the clocks (CLOCK_REALTIME from the RTC at boot and the timer's
 * ticks since, CLOCK_MONOTONIC and its kin from the ticks alone, the CPU
 * time clocks from a process's ticks), sleeping, and what a process has
 * used (times, getrusage). The resolution is the tick, 1/HZ s. */
#include "kernel.h"
#include "proc.h"

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define TIMER_ABSTIME 1
#define NS_PER_TICK (1000000000u / HZ)

struct ktime { s64 sec; u32 nsec; };

static int clock_read(u32 id, struct ktime *t) {
  u32 n;
  switch (id) {
    case CLOCK_REALTIME: case CLOCK_REALTIME_COARSE:
      n = ticks;
      t->sec = (s64)boot_time() + n / HZ;
      break;
    case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW: case CLOCK_MONOTONIC_COARSE: case CLOCK_BOOTTIME:
      n = ticks;
      t->sec = n / HZ;
      break;
    case CLOCK_PROCESS_CPUTIME_ID: case CLOCK_THREAD_CPUTIME_ID:
      n = curproc->utime + curproc->stime;
      t->sec = n / HZ;
      break;
    default:
      return -EINVAL;
  }
  t->nsec = (n % HZ) * NS_PER_TICK;
  return 0;
}

/* A time in ticks, rounded up; an absolute one on the realtime clock as
 * ticks since boot. */
static s64 ticks_of(u32 id, s64 sec, u32 nsec, int absolute) {
  s64 t = sec * HZ + (nsec + NS_PER_TICK - 1) / NS_PER_TICK;
  if (absolute && (id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE)) t -= (s64)boot_time() * HZ;
  return t;
}

static int put_time(u32 va, const struct ktime *t, int wide) {
  if (wide) {
    s64 v[2] = {t->sec, t->nsec};
    return copy_to_user_checked(va, v, sizeof v);
  }
  u32 v[2] = {(u32)t->sec, t->nsec};
  return copy_to_user_checked(va, v, sizeof v);
}

static int get_time(u32 va, struct ktime *t, int wide) {
  if (wide) {
    s64 v[2];
    if (copy_from_user(v, va, sizeof v) < 0) return -EFAULT;
    t->sec = v[0];
    /* The upper half of a 64-bit tv_nsec is padding on i386: Linux reads
     * the field into a 32-bit long, so only the low half counts. */
    if ((u32)v[1] >= 1000000000u || v[0] < 0) return -EINVAL;
    t->nsec = (u32)v[1];
  } else {
    s32 v[2];
    if (copy_from_user(v, va, sizeof v) < 0) return -EFAULT;
    t->sec = v[0];
    if ((u32)v[1] >= 1000000000u || v[0] < 0) return -EINVAL;
    t->nsec = (u32)v[1];
  }
  return 0;
}

/* A struct timespec in user memory (32- or 64-bit fields), checked as
 * Linux does (EFAULT, EINVAL for a negative second or nsec past 10^9), as
 * ticks rounded up; a huge one is clamped to about four months of ticks
 * rather than wrapped into a short wait. For poll, ppoll, pselect6,
 * rt_sigtimedwait and futex, which used to read it each their own way. */
int user_timeout_ticks(u32 ts_va, int wide, u32 *ticks_out) {
  struct ktime t;
  int err = get_time(ts_va, &t, wide);
  if (err) return err;
  const s64 most = 0x3fffffff;
  *ticks_out = (u32)(t.sec >= most / HZ ? most : ticks_of(CLOCK_MONOTONIC, t.sec, t.nsec, 0));
  return 0;
}

int sys_clock_gettime(u32 id, u32 va) {
  struct ktime t;
  int err = clock_read(id, &t);
  return err ? err : put_time(va, &t, 0);
}

int sys_clock_gettime64(u32 id, u32 va) {
  struct ktime t;
  int err = clock_read(id, &t);
  return err ? err : put_time(va, &t, 1);
}

static int getres(u32 id, u32 va, int wide) {
  struct ktime t = {0, NS_PER_TICK};
  if (id > CLOCK_BOOTTIME) return -EINVAL;
  return va ? put_time(va, &t, wide) : 0;
}

int sys_clock_getres(u32 id, u32 va) { return getres(id, va, 0); }
int sys_clock_getres_time64(u32 id, u32 va) { return getres(id, va, 1); }

static int settime(u32 id, const struct ktime *t) {
  if (id != CLOCK_REALTIME) return -EINVAL;
  if (!is_root()) return -EPERM;
  set_boot_time((u32)(t->sec - ticks / HZ));
  return 0;
}

int sys_clock_settime(u32 id, u32 va) {
  struct ktime t;
  int err = get_time(va, &t, 0);
  return err ? err : settime(id, &t);
}

int sys_clock_settime64(u32 id, u32 va) {
  struct ktime t;
  int err = get_time(va, &t, 1);
  return err ? err : settime(id, &t);
}

int sys_gettimeofday(u32 tv_va, u32 tz_va) {
  struct ktime t;
  clock_read(CLOCK_REALTIME, &t);
  u32 tv[2] = {(u32)t.sec, t.nsec / 1000}, tz[2] = {0, 0};
  if (tv_va && copy_to_user_checked(tv_va, tv, sizeof tv) < 0) return -EFAULT;
  if (tz_va && copy_to_user_checked(tz_va, tz, sizeof tz) < 0) return -EFAULT;
  return 0;
}

int sys_settimeofday(u32 tv_va, u32 tz_va) {
  (void)tz_va;
  if (!tv_va) return 0;
  u32 tv[2];
  if (copy_from_user(tv, tv_va, sizeof tv) < 0) return -EFAULT;
  if (tv[1] >= 1000000) return -EINVAL;
  struct ktime t = {tv[0], tv[1] * 1000};
  return settime(CLOCK_REALTIME, &t);
}

int sys_time(u32 tloc) {
  u32 t = time_now();
  if (tloc && copy_to_user_checked(tloc, &t, 4) < 0) return -EFAULT;
  return (int)t;
}

/* Sleeps until ticks reaches end (a tick at least, as Linux rounds up);
 * a signal cuts it short with what is left in rem. The call is then
 * restarted (for a stop and a continue) or fails with EINTR (when a
 * handler runs), as Linux's, except that a restart sleeps the whole time
 * again. */
static int sleep_ticks(s64 wait, u32 rem_va, int wide) {
  if (wait < 1) wait = 1;
  if (wait > 0x7fffffff) wait = 0x7fffffff;
  u32 end = ticks + (u32)wait + 1;
  while ((s32)(end - ticks) > 0) {
    if (signal_pending()) {
      if (rem_va) {
        u32 left = end - ticks;
        struct ktime rem = {left / HZ, (left % HZ) * NS_PER_TICK};
        put_time(rem_va, &rem, wide);
      }
      return -ERESTARTNOHAND;
    }
    sleep_until((void *)&ticks, end);
  }
  return 0;
}

int sys_nanosleep(u32 req_va, u32 rem_va) {
  struct ktime t;
  int err = get_time(req_va, &t, 0);
  return err ? err : sleep_ticks(ticks_of(CLOCK_MONOTONIC, t.sec, t.nsec, 0), rem_va, 0);
}

static int clock_nanosleep(u32 id, u32 flags, u32 req_va, u32 rem_va, int wide) {
  if (id == CLOCK_THREAD_CPUTIME_ID) return -EINVAL;
  if (id > CLOCK_BOOTTIME || id == CLOCK_PROCESS_CPUTIME_ID) return -EOPNOTSUPP;
  struct ktime t;
  int err = get_time(req_va, &t, wide);
  if (err) return err;
  s64 wait = ticks_of(id, t.sec, t.nsec, flags & TIMER_ABSTIME);
  if (flags & TIMER_ABSTIME) {
    wait -= ticks;
    if (wait <= 0) return 0;
    rem_va = 0;
  }
  return sleep_ticks(wait, rem_va, wide);
}

int sys_clock_nanosleep(u32 id, u32 flags, u32 req, u32 rem) { return clock_nanosleep(id, flags, req, rem, 0); }
int sys_clock_nanosleep_time64(u32 id, u32 flags, u32 req, u32 rem) { return clock_nanosleep(id, flags, req, rem, 1); }

/* times: the clock ticks of this process and its waited-for children;
 * returns the ticks since boot. */
int sys_times(u32 va) {
  struct proc *p = curproc;
  u32 t[4] = {p->utime, p->stime, p->cutime, p->cstime};
  if (va && copy_to_user_checked(va, t, sizeof t) < 0) return -EFAULT;
  return (int)ticks;
}

int sys_getrusage(u32 who, u32 va) {
  struct proc *p = curproc;
  u32 u, s;
  if (who == 0) u = p->utime, s = p->stime;               /* RUSAGE_SELF */
  else if (who == (u32)-1) u = p->cutime, s = p->cstime;  /* RUSAGE_CHILDREN */
  else if (who == 1) u = p->utime, s = p->stime;          /* RUSAGE_THREAD */
  else return -EINVAL;
  u32 ru[18];
  memset(ru, 0, sizeof ru);
  ru[0] = u / HZ, ru[1] = (u % HZ) * (1000000 / HZ), ru[2] = s / HZ, ru[3] = (s % HZ) * (1000000 / HZ);
  return copy_to_user_checked(va, ru, sizeof ru);
}

/* sysinfo: uptime, memory and the number of processes (no load average
 * is kept, no swap). */
int sys_sysinfo(u32 va) {
  struct {
    s32 uptime;
    u32 loads[3], totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    u16 procs, pad;
    u32 totalhigh, freehigh, mem_unit;
    u8 reserved[8];
  } si;
  memset(&si, 0, sizeof si);
  si.uptime = (s32)(ticks / HZ);
  si.totalram = kalloc_total_pages();
  si.freeram = kalloc_free_pages();
  si.mem_unit = 4096;
  u16 n = 0;
  while (proc_nth(n)) n++;
  si.procs = n;
  return copy_to_user_checked(va, &si, sizeof si);
}
