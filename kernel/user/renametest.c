/* renametest DIR: rename, link and mkdir with "." and "..", a directory
 * moved into its own subtree, and the other names no filesystem may
 * accept, in DIR (any filesystem); then everything is removed again, which
 * fails if a bad rename left a hidden entry or a cycle. One line per call
 * with its result (0 or the negated errno). */
#include "stdio.h"
#include "string.h"
#include "unistd.h"
#include "fcntl.h"
#include "errno.h"
#include "sys/stat.h"

static int failed;

static void show(const char *what, int r, int want) {
  int got = r < 0 ? -errno : r;
  printf("%-34s = %d%s\n", what, got, got == want ? "" : "  WRONG");
  if (got != want) failed = 1;
}

#define RENAME(a, b, want) show("rename(" a ", " b ")", rename(a, b), want)

int main(int argc, char **argv) {
  if (argc != 2 || chdir(argv[1]) < 0) { fprintf(stderr, "usage: renametest DIR\n"); return 2; }
  show("mkdir(a)", mkdir("a", 0755), 0);
  show("mkdir(a/b)", mkdir("a/b", 0755), 0);
  show("mkdir(a/b/c)", mkdir("a/b/c", 0755), 0);
  int fd = open("f", O_WRONLY | O_CREAT, 0644);
  show("write(f)", write(fd, "data\n", 5), 5);
  close(fd);
  /* "." and ".." as the last component: POSIX says EINVAL (Linux: EBUSY) */
  RENAME("a/.", "x", -EINVAL);
  RENAME("a/..", "x", -EINVAL);
  RENAME("f", "a/.", -EINVAL);
  RENAME("f", "a/..", -EINVAL);
  RENAME(".", "x", -EINVAL);
  RENAME("..", "x", -EINVAL);
  RENAME("a/b", "a/b/c/..", -EINVAL);
  /* a directory into itself or below itself */
  RENAME("a", "a/x", -EINVAL);
  RENAME("a", "a/b/c/x", -EINVAL);
  RENAME("a/b", "a/b/c/x", -EINVAL);
  /* onto its own ancestor: that directory is not empty */
  RENAME("a/b/c", "a", -ENOTEMPTY);
  /* the same file: nothing happens */
  RENAME("a", "a", 0);
  RENAME("f", "f", 0);
  /* the other names no one may take */
  show("link(f, a/.)", link("f", "a/."), -EEXIST);
  show("link(f, a/..)", link("f", "a/.."), -EEXIST);
  show("mkdir(a/..)", mkdir("a/..", 0755), -EEXIST);
  /* moves that are fine, and back */
  RENAME("a/b", "b2", 0);
  RENAME("b2", "a/b", 0);
  RENAME("f", "a/b/c/f", 0);
  RENAME("a/b/c/f", "f", 0);
  /* everything goes: nothing hidden is left behind */
  show("rmdir(a/b/c)", rmdir("a/b/c"), 0);
  show("rmdir(a/b)", rmdir("a/b"), 0);
  show("rmdir(a)", rmdir("a"), 0);
  show("unlink(f)", unlink("f"), 0);
  printf(failed ? "renametest: some results were wrong\n" : "renametest: all as POSIX says\n");
  return failed;
}
