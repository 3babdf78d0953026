/* fswalk DEV DIR: mounts the ext2 filesystem on DEV at DIR, reads all of
 * it, changes it and unmounts it, for the damaged-disk tests. The walk
 * lists every directory and reads every file (bounded: 8 levels, 400
 * entries, 64 KiB of a file, since a damaged disk may claim anything).
 * The changes go through what the walk found, where damage hides: files
 * are overwritten at their start, middle and end, then removed, as are
 * the directories; around that, a create, an append, a mkdir, renames of
 * a file and of a directory, a link and a truncate. One line per phase,
 * with each call's errno (0: it worked) or how many calls worked; whether
 * the filesystem went read-only (from /proc/mounts) is told after the
 * walk and after the changes. */
#include "stdio.h"
#include "string.h"
#include "unistd.h"
#include "fcntl.h"
#include "errno.h"
#include "dirent.h"
#include "sys/stat.h"
#include "sys/mount.h"

#define MAX_DEPTH 8
#define MAX_ENTRIES 400
#define READ_LIMIT 65536
#define KEPT 8

static const char *top;
static int entries, dirs, errors;
static unsigned bytes;
/* the files and directories found, in walk order (directories: deepest last) */
static char file[KEPT][256], dir[KEPT][256];
static int nfiles, ndirs;
static char buf[4096];

static void read_file(const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) { errors++; return; }
  for (unsigned got = 0; got < READ_LIMIT;) {
    int n = (int)read(fd, buf, sizeof buf);
    if (n < 0) errors++;
    if (n <= 0) break;
    got += (unsigned)n;
    bytes += (unsigned)n;
  }
  close(fd);
}

static void walk(const char *path, int depth) {
  DIR *d = opendir(path);
  if (!d) { errors++; return; }
  dirs++;
  for (;;) {
    errno = 0;
    struct dirent *e = readdir(d);
    if (!e) { if (errno) errors++; break; }
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    if (++entries > MAX_ENTRIES) break;
    char full[256];
    snprintf(full, sizeof full, "%s/%s", path, e->d_name);
    struct stat st;
    if (stat(full, &st) < 0) { errors++; continue; }
    if (S_ISDIR(st.st_mode)) {
      if (ndirs < KEPT && strcmp(e->d_name, "lost+found") != 0) strcpy(dir[ndirs++], full);
      if (depth < MAX_DEPTH) walk(full, depth + 1);
    } else {
      if (nfiles < KEPT) strcpy(file[nfiles++], full);
      if (S_ISREG(st.st_mode)) read_file(full);
    }
  }
  closedir(d);
}

static int read_only(void) {
  char text[1024], line[80];
  int fd = open("/proc/mounts", O_RDONLY);
  int n = fd < 0 ? 0 : (int)read(fd, text, sizeof text - 1);
  if (fd >= 0) close(fd);
  text[n > 0 ? n : 0] = 0;
  snprintf(line, sizeof line, " %s ext2 ro ", top);
  return strstr(text, line) != 0;
}

static int result(int r) { return r < 0 ? errno : 0; }

static int write_file(const char *path, int flags, unsigned n) {
  int fd = open(path, flags, 0644);
  if (fd < 0) return errno;
  memset(buf, 'w', sizeof buf);
  int err = 0;
  while (n && !err) {
    unsigned k = n < sizeof buf ? n : sizeof buf;
    if (write(fd, buf, k) != (int)k) err = errno ? errno : ENOSPC;
    n -= k;
  }
  close(fd);
  return err;
}

/* A few bytes at the start, middle and end of a file, through whatever
 * its block map says: 1 when all three writes worked. */
static int overwrite(const char *path) {
  struct stat st;
  int fd = stat(path, &st) < 0 ? -1 : open(path, O_WRONLY);
  if (fd < 0) return 0;
  unsigned size = (unsigned)st.st_size, at[3] = {0, size / 2, size ? size - 1 : 0}, ok = 0;
  for (int i = 0; i < 3; i++)
    if (lseek(fd, (off_t)(at[i] & 0x7fffffff), SEEK_SET) >= 0 && write(fd, "fswalk!", 7) == 7) ok++;
  close(fd);
  return ok == 3;
}

static void changes(void) {
  char fresh[256], d[256], f[256], g[256], moved[256], sub[256];
  snprintf(fresh, sizeof fresh, "%s/fswalk.new", top);
  snprintf(d, sizeof d, "%s/fswalk.d", top);
  snprintf(f, sizeof f, "%s/fswalk.d/f", top);
  snprintf(g, sizeof g, "%s/fswalk.d/g", top);
  snprintf(moved, sizeof moved, "%s/fswalk.moved", top);
  snprintf(sub, sizeof sub, "%s/fswalk.d/sub", top);
  int r[12], rewritten = 0, removed = 0;
  r[0] = write_file(fresh, O_WRONLY | O_CREAT | O_EXCL, 3000);
  r[1] = nfiles > 0 ? write_file(file[0], O_WRONLY | O_APPEND, 100) : ENOENT;
  r[2] = result(mkdir(d, 0755));
  r[3] = write_file(f, O_WRONLY | O_CREAT, 5000);
  r[4] = result(rename(fresh, g));
  r[5] = nfiles > 1 ? result(rename(file[1], moved)) : ENOENT;
  r[6] = result(link(moved, fresh));
  r[7] = nfiles > 0 ? write_file(file[0], O_WRONLY | O_TRUNC, 10) : ENOENT;
  for (int i = 2; i < nfiles; i++) rewritten += overwrite(file[i]);
  for (int i = 2; i < nfiles; i++) removed += unlink(file[i]) == 0;
  for (int i = ndirs - 1; i > 0; i--) removed += rmdir(dir[i]) == 0; /* the empty ones */
  r[8] = ndirs > 0 ? result(rename(dir[0], sub)) : ENOENT;
  r[9] = result(unlink(moved));
  r[10] = result(unlink(f));
  r[11] = result(rmdir(d)); /* not empty: g, and sub when a directory moved in */
  printf("fswalk: changes");
  for (int i = 0; i < 12; i++) printf(" %d", r[i]);
  printf("; %d of %d files overwritten, %d removed\n", rewritten, nfiles > 2 ? nfiles - 2 : 0, removed);
}

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: fswalk DEV DIR\n"); return 2; }
  top = argv[2];
  if (mount(argv[1], top, "ext2", 0, 0) < 0) { printf("fswalk: mount %d\n", errno); return 1; }
  printf("fswalk: mount 0\n");
  walk(top, 0);
  printf("fswalk: walk %d dirs, %d entries, %u bytes, %d errors; %s\n", dirs, entries, bytes, errors,
         read_only() ? "ro" : "rw");
  changes();
  printf("fswalk: %s\n", read_only() ? "ro" : "rw");
  int r = umount(top);
  printf("fswalk: umount %d\n", r < 0 ? errno : 0);
  return 0;
}
