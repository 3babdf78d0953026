/* loadtest [PROCS] [ROUNDS]: PROCS processes at once doing mixed work
 * (files in /tmp, anonymous memory, system calls, pipes),
 * each reporting ROUNDS lines through one shared pipe. The parent checks
 * that every line arrived and that free memory returns to where it was
 * after two warm-up runs. */
#include "stdio.h"
#include "stdlib.h"
#include "string.h"
#include "unistd.h"
#include "meminfo.h"
#include "fcntl.h"
#include "sys/wait.h"
#include "sys/mman.h"

static void work(int id, int rounds, int out) {
  char path[32], line[48];
  snprintf(path, sizeof path, "/tmp/load%d", id);
  for (int r = 0; r < rounds; r++) {
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    char data[512];
    memset(data, 'a' + id % 26, sizeof data);
    write(fd, data, sizeof data);
    close(fd);
    unsigned char *m = mmap(0, 64 << 10, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (int k = 0; k < (64 << 10); k += 4096) m[k] = (unsigned char)r;
    munmap(m, 64 << 10);
    for (int k = 0; k < 200; k++) getpid();
    if (r % 4 == 0) { /* a pipe of its own, there and back */
      int p[2];
      char c = (char)r;
      pipe(p);
      write(p[1], &c, 1);
      read(p[0], &c, 1);
      close(p[0]);
      close(p[1]);
    }
    int n = snprintf(line, sizeof line, "%d %d\n", id, r);
    write(out, line, (unsigned)n); /* short lines: each write is atomic on the pipe */
  }
  unlink(path);
  _exit(0);
}

static int run(int procs, int rounds) {
  int fds[2];
  pipe(fds);
  for (int i = 0; i < procs; i++) {
    pid_t pid = fork();
    if (pid == 0) { close(fds[0]); work(i, rounds, fds[1]); }
    if (pid < 0) { perror("loadtest: fork"); return -1; }
  }
  close(fds[1]);
  static int seen[64];
  memset(seen, 0, sizeof seen);
  char buf[4096], carry[64];
  int kept = 0, lines = 0, n;
  while ((n = (int)read(fds[0], buf, sizeof buf)) > 0)
    for (int i = 0; i < n; i++) {
      if (buf[i] != '\n') { if (kept < 63) carry[kept++] = buf[i]; continue; }
      carry[kept] = 0;
      kept = 0;
      int id = atoi(carry);
      if (id >= 0 && id < 64) seen[id]++;
      lines++;
    }
  close(fds[0]);
  while (wait(0) > 0) {}
  for (int i = 0; i < procs; i++)
    if (seen[i] != rounds) { printf("loadtest: process %d sent %d of %d lines\n", i, seen[i], rounds); return -1; }
  return lines;
}

int main(int argc, char **argv) {
  int procs = argc > 1 ? atoi(argv[1]) : 50, rounds = argc > 2 ? atoi(argv[2]) : 40;
  if (procs > 60) procs = 60;
  /* Warm-up runs fill the kernel's caches (kmalloc keeps its pages). One
   * is not always enough: which process runs when differs from run to
   * run, and so does the peak of kmalloc's use; a third run reaches it
   * (with fork's copy on write, the second did not always). */
  run(procs, rounds);
  run(procs, rounds);
  run(procs, rounds);
  unsigned before = meminfo_free_kb();
  int lines = run(procs, rounds);
  unsigned after = meminfo_free_kb();
  printf("loadtest: %d processes, %d lines of %d arrived; free memory %u kB before, %u kB after\n",
         procs, lines < 0 ? 0 : lines, procs * rounds, before, after);
  return lines == procs * rounds && after == before ? 0 : 1;
}
