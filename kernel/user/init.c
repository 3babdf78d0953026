/* /init, the first process: mounts /proc, loads the modules /etc/modules
 * names, mounts the disk on /mnt and the host's shared folder (if there
 * is one) on /host, starts the shell on the console and reaps orphans;
 * when the shell exits, the machine powers off. Nothing that fails on
 * the way stops the boot. */
#include "stdio.h"
#include "unistd.h"
#include "errno.h"
#include "sys/mount.h"
#include "sys/reboot.h"
#include "sys/wait.h"
#include "fcntl.h"
#include "string.h"
#include "sys/stat.h"
#include "module.h"
#include "sys/ioctl.h"
#include "termios.h"

static char *const shell_argv[] = {"sh", 0};
static char *const shell_env[] = {"PATH=/bin", "HOME=/", "TERM=vt100", 0};

static int run(char *const argv[]) {
  pid_t pid = fork();
  if (pid == 0) {
    execve(argv[0], argv, shell_env);
    perror(argv[0]);
    _exit(127);
  }
  int status = 1;
  while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  return pid < 0 ? -1 : status;
}

/* Each name in /etc/modules (one per line, # for comments) through modprobe. */
static void load_modules(void) {
  int fd = open("/etc/modules", O_RDONLY);
  if (fd < 0) return;
  char buf[512];
  int n = (int)read(fd, buf, sizeof buf - 1);
  close(fd);
  buf[n > 0 ? n : 0] = 0;
  for (char *line = buf; line && *line;) {
    char *end = strchr(line, '\n');
    if (end) *end = 0;
    while (*line == ' ') line++;
    if (*line && *line != '#') {
      char *argv[] = {"/bin/modprobe", line, 0};
      run(argv);
    }
    line = end ? end + 1 : 0;
  }
}

/* The disk's first partition, or the whole disk, as ext2 on /mnt. */
static void mount_disk(void) {
  static const char *const devices[] = {"/dev/hda1", "/dev/hda"};
  struct stat st;
  for (unsigned i = 0; i < 2; i++) {
    if (stat(devices[i], &st) < 0) continue;
    if (mount(devices[i], "/mnt", "ext2", 0, 0) == 0) {
      printf("init: %s mounted on /mnt\n", devices[i]);
      return;
    }
    printf("init: cannot mount %s on /mnt: %s\n", devices[i], strerror(errno));
  }
}

/* The host's shared folder (wasm386 --share) on /host. hostfs.ko stays
 * only when the device answers (ENODEV otherwise, said nowhere: most boots
 * have no folder). Loaded here rather than by modprobe, which would cost
 * every boot a fork and an exec; it depends on nothing. */
static void mount_host(void) {
  if (load_module_file("/lib/modules/hostfs.ko", "") < 0 && errno != EEXIST) {
    if (errno != ENODEV) printf("init: cannot load hostfs: %s\n", strerror(errno));
    return;
  }
  if (mount("none", "/host", "hostfs", 0, 0) == 0) printf("init: the host's shared folder is on /host\n");
  else printf("init: cannot mount the host's folder on /host: %s\n", strerror(errno));
}

static const char *find(const char *s, const char *w) {
  size_t n = strlen(w);
  for (; *s; s++)
    if (strncmp(s, w, n) == 0) return s;
  return 0;
}

static int has_word(const char *s, const char *word) {
  size_t n = strlen(word);
  for (const char *p = s; (p = find(p, word)); p += n)
    if ((p == s || p[-1] == ' ') && (p[n] == 0 || p[n] == ' ' || p[n] == '\n')) return 1;
  return 0;
}

int main(void) {
  if (getpid() != 1) {
    fprintf(stderr, "init: must be process 1\n");
    return 1;
  }
  if (mount("proc", "/proc", "proc", 0, 0) < 0) perror("init: mount /proc");
  /* "nomodules" on the kernel command line: no modules but the console's,
   * no disk (as a rescue boot, and for tests that load them by hand). */
  char cmdline[256] = "";
  int fd = open("/proc/cmdline", O_RDONLY);
  if (fd >= 0) {
    int n = (int)read(fd, cmdline, sizeof cmdline - 1);
    cmdline[n > 0 ? n : 0] = 0;
    close(fd);
  }
  /* The console's driver first: without it the shell could not read. */
  char *serial[] = {"/bin/modprobe", "serial", 0};
  run(serial);
  if (!has_word(cmdline, "nomodules")) {
    load_modules();
    mount_disk();
    mount_host();
  }
  printf("init: starting /bin/sh (type 'help' for the commands, 'poweroff' or 'exit' to stop)\n");
  pid_t sh = fork();
  if (sh == 0) {
    /* The shell leads a session of its own with the console's terminal as
     * its controlling terminal, for job control (Ctrl-C to the foreground
     * job); init's own session has none, as on Linux. */
    setsid();
    ioctl(0, TIOCSCTTY, 0);
    execve("/bin/sh", shell_argv, shell_env);
    perror("init: /bin/sh");
    _exit(127);
  }
  if (sh < 0) perror("init: fork");
  for (;;) {
    int status;
    pid_t pid = wait(&status);
    if (pid == sh || (pid < 0 && errno == ECHILD)) break;
  }
  sync();
  reboot(RB_POWER_OFF);
  return 0;
}
