/* The system call wrappers: a negative result from the kernel becomes -1
 * with errno set, as POSIX has it. */
#include <stdarg.h>
#include "unistd.h"
#include "fcntl.h"
#include "errno.h"
#include "signal.h"
#include "time.h"
#include "termios.h"
#include "dirent.h"
#include "sys/wait.h"
#include "sys/stat.h"
#include "sys/mount.h"
#include "sys/utsname.h"
#include "sys/reboot.h"
#include "sys/mman.h"
#include "sys/ioctl.h"
#include "syscall.h"

int errno;
char **environ;

long __syscall(long n, long a, long b, long c, long d, long e, long f);

static long ret(long r) {
  if (r < 0 && r > -4096) {
    errno = (int)-r;
    return -1;
  }
  return r;
}

#define SC0(n) ret(__syscall(n, 0, 0, 0, 0, 0, 0))
#define SC1(n, a) ret(__syscall(n, (long)(a), 0, 0, 0, 0, 0))
#define SC2(n, a, b) ret(__syscall(n, (long)(a), (long)(b), 0, 0, 0, 0))
#define SC3(n, a, b, c) ret(__syscall(n, (long)(a), (long)(b), (long)(c), 0, 0, 0))

long syscall(long n, ...) {
  va_list ap;
  va_start(ap, n);
  long a[6];
  for (int i = 0; i < 6; i++) a[i] = va_arg(ap, long);
  va_end(ap);
  return ret(__syscall(n, a[0], a[1], a[2], a[3], a[4], a[5]));
}

ssize_t read(int fd, void *buf, size_t n) { return SC3(SYS_read, fd, buf, n); }
ssize_t write(int fd, const void *buf, size_t n) { return SC3(SYS_write, fd, buf, n); }
int close(int fd) { return SC1(SYS_close, fd); }
off_t lseek(int fd, off_t off, int whence) { return SC3(SYS_lseek, fd, off, whence); }
int dup(int fd) { return SC1(SYS_dup, fd); }
int dup2(int fd, int nfd) { return SC2(SYS_dup2, fd, nfd); }
int pipe(int fds[2]) { return SC1(SYS_pipe, fds); }
pid_t fork(void) { return SC0(SYS_fork); }
int execve(const char *path, char *const argv[], char *const envp[]) { return SC3(SYS_execve, path, argv, envp); }
int execv(const char *path, char *const argv[]) { return execve(path, argv, environ); }
void _exit(int status) {
  __syscall(SYS_exit, status, 0, 0, 0, 0, 0);
  for (;;) {}
}
pid_t getpid(void) { return SC0(SYS_getpid); }
pid_t getppid(void) { return SC0(SYS_getppid); }
pid_t getpgrp(void) { return SC0(SYS_getpgrp); }
uid_t getuid(void) { return (uid_t)SC0(SYS_getuid32); }
uid_t geteuid(void) { return (uid_t)SC0(SYS_geteuid32); }
gid_t getgid(void) { return (gid_t)SC0(SYS_getgid32); }
gid_t getegid(void) { return (gid_t)SC0(SYS_getegid32); }
int setuid(uid_t uid) { return SC1(SYS_setuid32, uid); }
int setgid(gid_t gid) { return SC1(SYS_setgid32, gid); }
int setpgid(pid_t pid, pid_t pgid) { return SC2(SYS_setpgid, pid, pgid); }
pid_t setsid(void) { return SC0(SYS_setsid); }
int chdir(const char *path) { return SC1(SYS_chdir, path); }
char *getcwd(char *buf, size_t size) { return SC2(SYS_getcwd, buf, size) < 0 ? 0 : buf; }
int unlink(const char *path) { return SC1(SYS_unlink, path); }
int rmdir(const char *path) { return SC1(SYS_rmdir, path); }
int mkdir(const char *path, mode_t mode) { return SC2(SYS_mkdir, path, mode); }
int rename(const char *from, const char *to) { return SC2(SYS_rename, from, to); }
int link(const char *from, const char *to) { return SC2(SYS_link, from, to); }
void sync(void) { SC0(SYS_sync); }
int sched_yield(void) { return SC0(SYS_sched_yield); }
int kill(pid_t pid, int sig) { return SC2(SYS_kill, pid, sig); }
sighandler_t signal(int sig, sighandler_t h) { return (sighandler_t)SC2(SYS_signal, sig, h); }
pid_t waitpid(pid_t pid, int *status, int options) { return SC3(SYS_waitpid, pid, status, options); }
pid_t wait(int *status) { return waitpid(-1, status, 0); }
int stat(const char *path, struct stat *st) { return SC2(SYS_stat64, path, st); }
int lstat(const char *path, struct stat *st) { return SC2(SYS_lstat64, path, st); }
int fstat(int fd, struct stat *st) { return SC2(SYS_fstat64, fd, st); }
time_t time(time_t *t) { return SC1(SYS_time, t); }
int nanosleep(const struct timespec *req, struct timespec *rem) { return SC2(SYS_nanosleep, req, rem); }
int uname(struct utsname *u) { return SC1(SYS_uname, u); }
int reboot(int cmd) { return SC3(SYS_reboot, 0xfee1dead, 672274793, cmd); }
int mount(const char *source, const char *target, const char *type, unsigned long flags, const void *data) {
  return (int)ret(__syscall(SYS_mount, (long)source, (long)target, (long)type, (long)flags, (long)data, 0));
}
int umount2(const char *target, int flags) { return SC2(SYS_umount2, target, flags); }
int umount(const char *target) { return umount2(target, 0); }
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off) {
  long r = __syscall(SYS_mmap2, (long)addr, (long)len, prot, flags, fd, off >> 12);
  return (void *)ret(r);
}
int munmap(void *addr, size_t len) { return SC2(SYS_munmap, addr, len); }
int getdents64(int fd, void *buf, unsigned size) { return SC3(SYS_getdents64, fd, buf, size); }

int ioctl(int fd, unsigned long cmd, ...) {
  va_list ap;
  va_start(ap, cmd);
  long arg = va_arg(ap, long);
  va_end(ap);
  return SC3(SYS_ioctl, fd, cmd, arg);
}

int tcgetattr(int fd, struct termios *t) { return ioctl(fd, TCGETS, t); }
int tcsetattr(int fd, int when, const struct termios *t) { (void)when; return ioctl(fd, TCSETS, t); }
pid_t tcgetpgrp(int fd) {
  pid_t p;
  return ioctl(fd, TIOCGPGRP, &p) < 0 ? -1 : p;
}
int tcsetpgrp(int fd, pid_t pgrp) { return ioctl(fd, TIOCSPGRP, &pgrp); }
int isatty(int fd) {
  struct termios t;
  return tcgetattr(fd, &t) == 0;
}

int open(const char *path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  int mode = va_arg(ap, int);
  va_end(ap);
  return SC3(SYS_open, path, flags, mode);
}
int creat(const char *path, mode_t mode) { return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode); }

/* The heap grows with brk; the kernel answers with the current end. */
static char *heap_end;
int brk(void *addr) {
  char *r = (char *)__syscall(SYS_brk, (long)addr, 0, 0, 0, 0, 0);
  heap_end = r;
  if (r != addr) { errno = ENOMEM; return -1; }
  return 0;
}
void *sbrk(int increment) {
  if (!heap_end) heap_end = (char *)__syscall(SYS_brk, 0, 0, 0, 0, 0, 0);
  char *old = heap_end;
  if (increment && brk(old + increment) < 0) return (void *)-1;
  return old;
}

unsigned sleep(unsigned seconds) {
  struct timespec req = {(time_t)seconds, 0}, rem = {0, 0};
  if (nanosleep(&req, &rem) < 0) return (unsigned)rem.tv_sec + (rem.tv_nsec > 0);
  return 0;
}
