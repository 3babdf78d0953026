/* System calls the tools do not all reach: offsets, descriptors, errors
 * by errno name, devices, pipes, process groups and the terminal. Each
 * line is "what: result", negative results as -errno. */
#include "stdio.h"
#include "string.h"
#include "unistd.h"
#include "fcntl.h"
#include "errno.h"
#include "signal.h"
#include "time.h"
#include "dirent.h"
#include "sys/stat.h"
#include "sys/wait.h"
#include "sys/ioctl.h"
#include "sys/mount.h"
#include "sys/reboot.h"
#include "syscall.h"

static void show(const char *what, long r) { printf("%s: %ld\n", what, r < 0 ? (long)-errno : r); }

int main(void) {
  int fd = open("/tmp/sys", O_RDWR | O_CREAT | O_TRUNC, 0644);
  show("write 10", write(fd, "0123456789", 10));
  show("lseek SEEK_SET 3", lseek(fd, 3, SEEK_SET));
  char c[4] = {0};
  read(fd, c, 2);
  printf("read at 3: %s\n", c);
  show("lseek SEEK_CUR -1", lseek(fd, -1, SEEK_CUR));
  show("lseek SEEK_END 5", lseek(fd, 5, SEEK_END));
  show("lseek before 0", lseek(fd, -100, SEEK_SET));
  long long pos = -1;
  show("_llseek SEEK_SET 7", syscall(SYS_llseek, fd, 0, 7, &pos, SEEK_SET));
  printf("_llseek result: %lld\n", pos);
  write(fd, "x", 1); /* a hole is not made: 7 < size */
  struct stat st;
  fstat(fd, &st);
  printf("fstat size %lld regular %d\n", st.st_size, S_ISREG(st.st_mode));
  int d = dup(fd);
  show("dup gives the lowest free", d);
  show("dup shares the offset", lseek(d, 0, SEEK_CUR));
  show("dup2 to 9", dup2(fd, 9));
  show("close 9", close(9));
  show("close 9 again", close(9));
  show("lseek on the terminal", lseek(0, 0, SEEK_SET));
  close(d);
  close(fd);

  show("open missing", open("/tmp/none", O_RDONLY));
  show("open dir for writing", open("/tmp", O_WRONLY));
  show("open O_EXCL existing", open("/tmp/sys", O_CREAT | O_EXCL | O_WRONLY, 0644));
  show("open through a file", open("/tmp/sys/x", O_RDONLY));
  show("mkdir existing", mkdir("/tmp", 0755));
  show("rmdir non-empty", rmdir("/bin"));
  show("rmdir a file", rmdir("/tmp/sys"));
  show("unlink a directory", unlink("/tmp"));
  show("rename", rename("/tmp/sys", "/tmp/sys2"));
  show("stat renamed", stat("/tmp/sys2", &st));
  show("stat old name", stat("/tmp/sys", &st));
  show("rename dir into itself", rename("/tmp", "/tmp/x"));
  show("unlink", unlink("/tmp/sys2"));

  stat("/dev/null", &st);
  printf("/dev/null: char %d, rdev %d,%d\n", S_ISCHR(st.st_mode), (int)(st.st_rdev >> 8), (int)(st.st_rdev & 0xff));
  fd = open("/dev/zero", O_RDONLY);
  char z[8] = {1, 1, 1, 1, 1, 1, 1, 1};
  show("read /dev/zero", read(fd, z, 8));
  printf("zeros: %d\n", memcmp(z, "\0\0\0\0\0\0\0\0", 8) == 0);
  close(fd);
  fd = open("/dev/null", O_RDWR);
  show("write /dev/null", write(fd, "gone", 4));
  show("read /dev/null", read(fd, z, 8));
  close(fd);

  int p[2];
  pipe(p);
  show("pipe write", write(p[1], "abc", 3));
  close(p[1]);
  show("pipe read", read(p[0], z, 8));
  show("pipe read at EOF", read(p[0], z, 8));
  close(p[0]);
  pipe(p);
  close(p[0]);
  signal(SIGPIPE, SIG_IGN);
  show("pipe write, no reader", write(p[1], "abc", 3));
  close(p[1]);

  char cwd[64];
  chdir("/proc");
  printf("getcwd: %s\n", getcwd(cwd, sizeof cwd));
  show("umount busy /proc", umount("/proc"));
  show("getcwd too small", getcwd(cwd, 3) ? 0 : -1);
  chdir("/");
  show("chdir to a file", chdir("/init"));

  show("tcgetpgrp is our job's", tcgetpgrp(0) == getpgrp() ? 0 : 1);
  show("ioctl on a file", ioctl(open("/init", O_RDONLY), TIOCGWINSZ, (void *)0));
  show("kill pid 0 signal 0", kill(getpid(), 0));
  show("kill missing", kill(9999, SIGTERM));
  show("signal SIGKILL", (long)signal(SIGKILL, SIG_IGN));
  struct timespec bad = {0, 2000000000};
  show("nanosleep bad", nanosleep(&bad, 0));
  time_t now = time(0);
  printf("time is 2025 or later: %d\n", now >= 1735689600);
  show("reboot bad magic", syscall(SYS_reboot, 1, 2, RB_POWER_OFF));
  show("waitpid no children", waitpid(-1, 0, WNOHANG));
  show("mount unknown type", mount("x", "/tmp", "nofs", 0, 0));
  show("getpgid of init", syscall(SYS_getpgid, 1));
  show("unknown system call", syscall(400));
  return 0;
}
