/* procfs: files whose contents are generated when read. The root holds
 * meminfo, mounts, uptime, kmsg, the link "self" and one directory per
 * process with its status, stat and cmdline and the links exe and cwd,
 * which lead to the inodes themselves (as Linux's "magic" links do).
 * Inodes are made on lookup and freed on release. */
#include "kernel.h"
#include "fs.h"
#include "proc.h"
#include "memlayout.h"
#include "module.h"
#include "tty.h"

enum kind { ROOT, MEMINFO, MOUNTS, UPTIME, KMSG, MODULES, KALLSYMS, KCMDLINE, STATALL, LOADAVG, SELF, PIDDIR, STATUS, CMDLINE, STAT, EXE, CWD,
            NKIND };

static const char *const root_files[] = {[MEMINFO] = "meminfo", [MOUNTS] = "mounts", [UPTIME] = "uptime", [KMSG] = "kmsg",
                                          [MODULES] = "modules", [KALLSYMS] = "kallsyms",
                                          [KCMDLINE] = "cmdline", [STATALL] = "stat", [LOADAVG] = "loadavg",
                                          [SELF] = "self"};
static const char *const pid_files[] = {[STATUS] = "status", [CMDLINE] = "cmdline", [STAT] = "stat", [EXE] = "exe",
                                        [CWD] = "cwd"};
#define LAST_ROOT SELF
#define FIRST_PID STATUS
#define LAST_PID CWD

static u32 mode_of(enum kind k) {
  if (k == ROOT || k == PIDDIR) return S_IFDIR | 0555;
  if (k == SELF || k == EXE || k == CWD) return S_IFLNK | 0777;
  return S_IFREG | 0444;
}

#define KIND(ip) ((u32)(ip)->priv & 0xff)
#define PID(ip) ((int)((u32)(ip)->priv >> 8))

static const struct inode_ops procfs_ops;

static struct inode *proc_inode(struct super *sb, enum kind kind, int pid, struct inode *parent, const char *name) {
  struct inode *ip = inode_new(sb, mode_of(kind));
  if (!ip) return NULL;
  ip->ino = (u32)pid * NKIND + kind + 1;
  ip->priv = (void *)((u32)kind | ((u32)pid << 8));
  ip->ops = &procfs_ops;
  ip->parent = parent;
  strncpy_safe(ip->name, name, sizeof ip->name);
  struct proc *p = pid ? proc_find(pid) : NULL;
  if (p) ip->uid = p->euid, ip->gid = p->egid; /* ps finds a process's owner so */
  else ip->uid = ip->gid = 0;
  return ip;
}

static int parse_pid(const char *s) {
  int v = 0;
  if (!*s) return -1;
  for (; *s; s++) {
    if (*s < '0' || *s > '9' || v > 100000) return -1;
    v = v * 10 + (*s - '0');
  }
  return v;
}

static int procfs_lookup(struct inode *dir, const char *name, struct inode **out) {
  struct inode *ip = NULL;
  if (KIND(dir) == ROOT) {
    for (u32 k = MEMINFO; k <= LAST_ROOT; k++)
      if (strcmp(name, root_files[k]) == 0) ip = proc_inode(dir->sb, k, 0, dir, name);
    int pid = parse_pid(name);
    if (!ip && pid > 0 && proc_find(pid)) ip = proc_inode(dir->sb, PIDDIR, pid, dir, name);
  } else {
    if (!proc_find(PID(dir))) return -ENOENT;
    for (u32 k = FIRST_PID; k <= LAST_PID; k++)
      if (strcmp(name, pid_files[k]) == 0) ip = proc_inode(dir->sb, k, PID(dir), dir, name);
  }
  if (!ip) return -ENOENT;
  if (ip->parent) iget(ip->parent); /* a child keeps its directory */
  *out = iget(ip);
  return 0;
}

static int procfs_readdir(struct inode *dir, u32 index, char *name, u32 *ino, u32 *mode) {
  if (KIND(dir) == ROOT) {
    if (index < LAST_ROOT) {
      strncpy_safe(name, root_files[index + 1], NAME_MAX + 1);
      *ino = index + 2;
      *mode = mode_of(index + 1);
      return 0;
    }
    struct proc *p = proc_nth_process(index - LAST_ROOT);
    if (!p) return 1;
    snprintk(name, NAME_MAX + 1, "%d", p->pid);
    *ino = (u32)p->pid * NKIND + PIDDIR + 1;
    *mode = S_IFDIR | 0555;
    return 0;
  }
  if (index > LAST_PID - FIRST_PID) return 1;
  strncpy_safe(name, pid_files[FIRST_PID + index], NAME_MAX + 1);
  *ino = (u32)PID(dir) * NKIND + FIRST_PID + index + 1;
  *mode = mode_of(FIRST_PID + index);
  return 0;
}

static const char *const state_names[] = {"?", "E (embryo)", "S (sleeping)", "R (runnable)", "R (running)", "Z (zombie)",
                                          "T (stopped)"};

/* /proc/PID/stat, the line ps reads: Linux's 52 fields, those not kept
 * here as 0. Times are in clock ticks (HZ). */
/* /proc/stat: the CPU's ticks (in user mode, the kernel, idle), as top
 * and ps read them, and the processes. */
static int system_stat(char *buf, u32 size) {
  u32 user = 0, sys = 0, n = 0, running = 0;
  for (struct proc *q; (q = proc_nth(n)); n++) {
    user += q->utime + q->cutime, sys += q->stime + q->cstime;
    running += q->state == RUNNABLE || q->state == RUNNING;
  }
  u32 idle = idle_ticks;
  return snprintk(buf, size,
                  "cpu  %u 0 %u %u 0 0 0 0 0 0\ncpu0 %u 0 %u %u 0 0 0 0 0 0\nintr 0\nctxt 0\nbtime %u\n"
                  "processes %d\nprocs_running %u\nprocs_blocked 0\n",
                  user, sys, idle, user, sys, idle, boot_time(), proc_last_pid(), running);
}

static int stat_line(struct proc *p, char *buf, u32 size) {
  int ppid = p->parent ? p->parent->tgid : 0;
  char state = state_names[p->state][0];
  return snprintk(buf, size,
                  "%d (%s) %c %d %d %d %d %d 4194304 0 0 0 0 %u %u %u %u 20 0 %d 0 %u %u %u 4294967295 134512640 134512640 "
                  "%u 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
                  p->pid, p->name, state, ppid, p->pgid, p->sid, tty_nr(p), tty_foreground(p), p->utime, p->stime,
                  p->cutime, p->cstime, proc_threads(p->tgid), p->start_tick, proc_user_pages(p) * PGSIZE, proc_user_pages(p), USTACK_TOP);
}

static int generate(struct inode *ip, char *buf, u32 size) {
  struct proc *p = NULL;
  if (KIND(ip) >= FIRST_PID && !(p = proc_find(PID(ip)))) return -ESRCH;
  switch (KIND(ip)) {
    case MEMINFO:
      return snprintk(buf, size, "MemTotal: %8u kB\nMemFree:  %8u kB\nMemAvailable: %8u kB\nBuffers:  %8u kB\nCached:   %8u kB\n"
                      "SwapTotal: %7u kB\nSwapFree: %8u kB\n",
                      kalloc_total_pages() * 4, kalloc_free_pages() * 4, kalloc_free_pages() * 4, 0, 0, 0, 0);
    case MOUNTS:
      return mounts_text(buf, size);
    case MODULES:
      return modules_text(buf, size);
    case KCMDLINE:
      return snprintk(buf, size, "%s\n", kernel_cmdline);
    case UPTIME:
      return snprintk(buf, size, "%u.%02u\n", ticks / HZ, ticks % HZ);
    case STATUS:
      return snprintk(buf, size, "Name:\t%s\nState:\t%s\nPid:\t%d\nPPid:\t%d\nPGid:\t%d\nVmSize:\t%u kB\n",
                      p->name, state_names[p->state], p->pid, p->parent ? p->parent->pid : 0, p->pgid,
                      proc_user_pages(p) * 4);
    case CMDLINE:
      memcpy(buf, p->cmdline, p->cmdline_len);
      return (int)p->cmdline_len;
    case STAT:
      return stat_line(p, buf, size);
    case STATALL:
      return system_stat(buf, size);
    case LOADAVG: {
      u32 n = 0, running = 0;
      for (struct proc *q; (q = proc_nth(n)); n++) running += q->state == RUNNABLE || q->state == RUNNING;
      return snprintk(buf, size, "0.00 0.00 0.00 %u/%u %d\n", running, n, proc_last_pid());
    }
    default:
      return -EINVAL;
  }
}

static int procfs_read(struct inode *ip, void *buf, u32 off, u32 n, int user) {
  if (KIND(ip) == KMSG) return klog_read(buf, off, n, user);
  if (KIND(ip) == KALLSYMS) return kallsyms_read(buf, off, n, user);
  char *page = kalloc();
  if (!page) return -ENOMEM;
  int len = generate(ip, page, PGSIZE);
  if (len > PGSIZE - 1) len = PGSIZE - 1;
  int r = len;
  if (len >= 0) {
    u32 avail = off < (u32)len ? (u32)len - off : 0;
    if (n > avail) n = avail;
    r = copy_out(user, buf, page + off, n) < 0 ? -EFAULT : (int)n;
  }
  kfree(page);
  return r;
}

/* "self" is the reading process's directory, by its number. */
static int procfs_readlink(struct inode *ip, char *buf, u32 size, int user) {
  char *text = kmalloc(PATH_MAX);
  if (!text) return -ENOMEM;
  int n = -ENOENT;
  struct proc *p = KIND(ip) == SELF ? curproc : proc_find(PID(ip));
  if (p && KIND(ip) == SELF) n = snprintk(text, PATH_MAX, "%d", p->tgid);
  else if (p && KIND(ip) == EXE && p->exe) n = inode_path(p->exe, text, PATH_MAX) - 1;
  else if (p && KIND(ip) == CWD && p->cwd) n = inode_path(p->cwd, text, PATH_MAX) - 1;
  if (n >= 0 && (u32)n > size) n = (int)size;
  if (n >= 0 && copy_out(user, buf, text, (u32)n) < 0) n = -EFAULT;
  kmfree(text);
  return n;
}

/* exe and cwd lead to the inode, not to a path (which may be gone). */
static int procfs_follow(struct inode *ip, struct inode **out) {
  struct proc *p = proc_find(PID(ip));
  struct inode *to = !p ? NULL : KIND(ip) == EXE ? p->exe : KIND(ip) == CWD ? p->cwd : NULL;
  if (KIND(ip) == SELF) return 1; /* an ordinary link: its text */
  if (!to) return -ENOENT;
  *out = iget(to);
  return 0;
}

static void procfs_release(struct inode *ip) {
  if (KIND(ip) == ROOT) return; /* lives as long as the mount */
  struct inode *parent = ip->parent;
  kmfree(ip);
  if (parent) iput(parent);
}

static const struct inode_ops procfs_ops = {
  .lookup = procfs_lookup,
  .readlink = procfs_readlink,
  .follow = procfs_follow,
  .readdir = procfs_readdir,
  .read = procfs_read,
  .release = procfs_release,
};

static void procfs_kill(struct super *sb) { kmfree(sb->root); }

static int procfs_mount(const char *source, struct super *sb) {
  (void)source;
  sb->root = proc_inode(sb, ROOT, 0, NULL, "");
  if (!sb->root) return -ENOMEM;
  sb->kill = procfs_kill;
  return 0;
}

static struct fs_type procfs_type = {.name = "proc", .mount = procfs_mount};

void procfs_init(void) { register_filesystem(&procfs_type, NULL); }
