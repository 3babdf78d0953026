/* ps: every process, from /proc/PID/status and cmdline. */
#include "stdio.h"
#include "string.h"
#include "unistd.h"
#include "fcntl.h"
#include "dirent.h"

static int read_file(const char *path, char *buf, int size) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  int n = (int)read(fd, buf, (size_t)size - 1);
  close(fd);
  if (n < 0) return -1;
  buf[n] = 0;
  return n;
}

/* The line starting with name. */
static const char *line_of(const char *s, const char *name) {
  size_t n = strlen(name);
  for (const char *line = s; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : 0)
    if (strncmp(line, name, n) == 0 && line[n] == ':') return line;
  return 0;
}

static const char *field(const char *status, const char *name, char *out, int size) {
  const char *p = line_of(status, name);
  out[0] = 0;
  if (!p) return out;
  p += strlen(name);
  while (*p == ':' || *p == '\t' || *p == ' ') p++;
  int n = 0;
  while (*p && *p != '\n' && n < size - 1) out[n++] = *p++;
  out[n] = 0;
  return out;
}

int main(void) {
  DIR *d = opendir("/proc");
  if (!d) { perror("ps: /proc"); return 1; }
  printf("  PID  PPID  PGID S CMD\n");
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    char path[64], status[512], cmd[128], pid[12], ppid[12], pgid[12], state[16];
    snprintf(path, sizeof path, "/proc/%s/status", e->d_name);
    if (read_file(path, status, sizeof status) < 0) continue;
    snprintf(path, sizeof path, "/proc/%s/cmdline", e->d_name);
    int n = read_file(path, cmd, sizeof cmd);
    for (int i = 0; i < n - 1; i++) if (!cmd[i]) cmd[i] = ' ';
    if (n <= 0) field(status, "Name", cmd, sizeof cmd);
    printf("%5s %5s %5s %c %s\n", field(status, "Pid", pid, sizeof pid), field(status, "PPid", ppid, sizeof ppid),
           field(status, "PGid", pgid, sizeof pgid), field(status, "State", state, sizeof state)[0], cmd);
  }
  closedir(d);
  return 0;
}
