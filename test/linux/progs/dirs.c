/* Directories: mkdir, a tree listed with readdir (sorted: the order is
 * the filesystem's), stat of what is in it, rename, links both hard and
 * symbolic, realpath, getcwd and chdir, rmdir and unlink, the errors. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list(const char *path) {
  DIR *d = opendir(path);
  if (!d) { printf("opendir %s: %s\n", path, strerror(errno)); return; }
  char *names[64];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 64) names[n++] = strdup(e->d_name);
  closedir(d);
  qsort(names, n, sizeof names[0], cmp);
  printf("%s:", path);
  for (int i = 0; i < n; i++) {
    char full[PATH_MAX];
    snprintf(full, sizeof full, "%s/%s", path, names[i]);
    struct stat st;
    lstat(full, &st);
    const char *kind = S_ISDIR(st.st_mode) ? "/" : S_ISLNK(st.st_mode) ? "@" : "";
    printf(" %s%s", names[i], kind);
    if (S_ISREG(st.st_mode)) printf("(%lld)", (long long)st.st_size);
    free(names[i]);
  }
  printf("\n");
}

static void file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  write(fd, text, strlen(text));
  close(fd);
}

int main(void) {
  umask(022);
  mkdir("tree", 0755);
  mkdir("tree/a", 0755);
  mkdir("tree/a/b", 0700);
  file("tree/one", "1");
  file("tree/a/two", "22");
  file("tree/a/b/three", "333");
  list("tree");
  list("tree/a");
  printf("mkdir again: %s\n", mkdir("tree/a", 0755) < 0 ? strerror(errno) : "made");
  printf("rmdir non-empty: %s\n", rmdir("tree/a") < 0 ? strerror(errno) : "removed");
  printf("unlink a directory: %s\n", unlink("tree/a") < 0 ? strerror(errno) : "removed");
  printf("open missing: %s\n", open("tree/none", O_RDONLY) < 0 ? strerror(errno) : "opened");
  printf("mkdir under a file: %s\n", mkdir("tree/one/x", 0755) < 0 ? strerror(errno) : "made");

  struct stat st;
  stat("tree/a/b", &st);
  printf("tree/a/b mode %o\n", st.st_mode & 07777);
  rename("tree/one", "tree/a/uno");
  rename("tree/a/b", "tree/bee");
  list("tree");
  list("tree/a");
  symlink("a/uno", "tree/link");
  char target[64];
  ssize_t n = readlink("tree/link", target, sizeof target - 1);
  target[n > 0 ? n : 0] = 0;
  printf("readlink: %s; through it: ", target);
  int fd = open("tree/link", O_RDONLY);
  char buf[16] = {0};
  read(fd, buf, sizeof buf - 1);
  close(fd);
  printf("%s\n", buf);
  lstat("tree/link", &st);
  printf("lstat: link %d, size %lld\n", S_ISLNK(st.st_mode), (long long)st.st_size);
  printf("link: %s\n", link("tree/a/two", "tree/two-again") == 0 ? "made" : strerror(errno));
  stat("tree/a/two", &st);
  printf("two has %ld links\n", (long)st.st_nlink);
  symlink("nowhere", "tree/dangling");
  printf("stat dangling: %s\n", stat("tree/dangling", &st) < 0 ? strerror(errno) : "ok");
  symlink("loop", "tree/loop");
  printf("stat loop: %s\n", stat("tree/loop", &st) < 0 ? strerror(errno) : "ok");

  char cwd[PATH_MAX], *base = getcwd(cwd, sizeof cwd) ? strdup(cwd) : NULL;
  chdir("tree/bee");
  getcwd(cwd, sizeof cwd);
  printf("cwd ends with /tree/bee: %s\n", strlen(cwd) >= 9 && strcmp(cwd + strlen(cwd) - 9, "/tree/bee") == 0 ? "yes" : "no");
  chdir("..");
  char real[PATH_MAX];
  realpath("a/../link", real);
  printf("realpath ends with /tree/a/uno: %s\n", strlen(real) >= 10 && strcmp(real + strlen(real) - 10, "/tree/a/uno") == 0 ? "yes" : "no");
  int dfd = open("a", O_RDONLY | O_DIRECTORY);
  printf("fstatat through a dirfd: %s\n", fstatat(dfd, "uno", &st, 0) == 0 && st.st_size == 1 ? "ok" : "failed");
  printf("openat: %s\n", openat(dfd, "two", O_RDONLY) >= 0 ? "ok" : "failed");
  printf("unlinkat: %s\n", unlinkat(dfd, "two", 0) == 0 ? "ok" : strerror(errno));
  close(dfd);
  chdir(base);
  const char *gone[] = {"tree/bee/three", "tree/bee", "tree/a/uno", "tree/a", "tree/link", "tree/two-again", "tree/dangling", "tree/loop", "tree"};
  for (unsigned i = 0; i < sizeof gone / sizeof gone[0]; i++) {
    int r = lstat(gone[i], &st) == 0 && S_ISDIR(st.st_mode) ? rmdir(gone[i]) : unlink(gone[i]);
    if (r < 0) printf("removing %s: %s\n", gone[i], strerror(errno));
  }
  printf("tree gone: %s\n", access("tree", F_OK) < 0 && errno == ENOENT ? "yes" : "no");
  return 0;
}
