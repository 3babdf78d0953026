/* POSIX calls of the small libc: system call wrappers that return -1 and
 * set errno on failure. */
#ifndef UNISTD_H
#define UNISTD_H
#include <stddef.h>
#include "types.h"

#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

extern char **environ;

ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
int close(int fd);
off_t lseek(int fd, off_t off, int whence);
int dup(int fd);
int dup2(int fd, int nfd);
int pipe(int fds[2]);
pid_t fork(void);
int execve(const char *path, char *const argv[], char *const envp[]);
int execv(const char *path, char *const argv[]);
void _exit(int status) __attribute__((noreturn));
pid_t getpid(void);
pid_t getppid(void);
pid_t getpgrp(void);
uid_t getuid(void);
uid_t geteuid(void);
gid_t getgid(void);
gid_t getegid(void);
int setuid(uid_t uid);
int setgid(gid_t gid);
int setpgid(pid_t pid, pid_t pgid);
pid_t setsid(void);
pid_t tcgetpgrp(int fd);
int tcsetpgrp(int fd, pid_t pgrp);
int isatty(int fd);
int chdir(const char *path);
char *getcwd(char *buf, size_t size);
int unlink(const char *path);
int link(const char *from, const char *to);
int rmdir(const char *path);
int brk(void *addr);
void *sbrk(int increment);
unsigned sleep(unsigned seconds);
void sync(void);
int sched_yield(void);
long syscall(long n, ...);
#endif
