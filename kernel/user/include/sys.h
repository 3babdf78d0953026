/* System calls from user space: int 0x80 with the Linux i386 convention. */
#ifndef SYS_H
#define SYS_H
typedef unsigned int u32;
typedef unsigned int size_t;

static inline int syscall3(int n, u32 a, u32 b, u32 c) {
  int r;
  __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c) : "memory");
  return r;
}

#define SYS_exit 1
#define SYS_fork 2
#define SYS_write 4
#define SYS_waitpid 7
#define SYS_execve 11
#define SYS_getpid 20
#define SYS_getppid 64
#define SYS_sched_yield 158

static inline void exit(int status) { syscall3(SYS_exit, (u32)status, 0, 0); for (;;) {} }
static inline int write(int fd, const void *buf, size_t n) { return syscall3(SYS_write, (u32)fd, (u32)buf, n); }
static inline int getpid(void) { return syscall3(SYS_getpid, 0, 0, 0); }
static inline int getppid(void) { return syscall3(SYS_getppid, 0, 0, 0); }
static inline int fork(void) { return syscall3(SYS_fork, 0, 0, 0); }
static inline int waitpid(int pid, int *status, int options) {
  return syscall3(SYS_waitpid, (u32)pid, (u32)status, (u32)options);
}
static inline int execve(const char *path, char *const argv[], char *const envp[]) {
  return syscall3(SYS_execve, (u32)path, (u32)argv, (u32)envp);
}
static inline int sched_yield(void) { return syscall3(SYS_sched_yield, 0, 0, 0); }

/* lib/printf.c: %d %u %x %s %c to standard output. */
int printf(const char *fmt, ...);
#endif
