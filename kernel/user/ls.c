/* ls [-l] [-a] [path...]: directory entries sorted by name; -l adds the
 * type and mode, links, size and inode number. */
#include "stdio.h"
#include "stdlib.h"
#include "string.h"
#include "errno.h"
#include "dirent.h"
#include "sys/stat.h"

static int long_form, all;

static void mode_string(unsigned mode, char *s) {
  s[0] = S_ISDIR(mode) ? 'd' : S_ISCHR(mode) ? 'c' : S_ISBLK(mode) ? 'b' : (mode & S_IFMT) == S_IFIFO ? 'p' : '-';
  for (int i = 0; i < 9; i++) s[1 + i] = (mode & (0400 >> i)) ? "rwxrwxrwx"[i] : '-';
  s[10] = 0;
}

static void show(const char *path, const char *name) {
  if (!long_form) { printf("%s\n", name); return; }
  struct stat st;
  if (stat(path, &st) < 0) { printf("?????????? %s\n", name); return; }
  char m[11];
  mode_string(st.st_mode, m);
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
    printf("%s %2u %4u, %3u %s\n", m, st.st_nlink, (unsigned)(st.st_rdev >> 8), (unsigned)(st.st_rdev & 0xff), name);
  else
    printf("%s %2u %9lld %s\n", m, st.st_nlink, st.st_size, name);
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int list(const char *path) {
  struct stat st;
  if (stat(path, &st) < 0) { fprintf(stderr, "ls: %s: %s\n", path, strerror(errno)); return 1; }
  if (!S_ISDIR(st.st_mode)) { show(path, path); return 0; }
  DIR *d = opendir(path);
  if (!d) { fprintf(stderr, "ls: %s: %s\n", path, strerror(errno)); return 1; }
  char **names = 0;
  int n = 0, cap = 0;
  struct dirent *e;
  for (;;) {
    errno = 0; /* readdir's end and its failure differ only in errno */
    if (!(e = readdir(d))) break;
    if (e->d_name[0] == '.' && !all) continue;
    if (n == cap) names = realloc(names, sizeof *names * (size_t)(cap = cap ? cap * 2 : 32));
    names[n++] = strdup(e->d_name);
  }
  int err = errno;
  closedir(d);
  if (err) fprintf(stderr, "ls: %s: %s\n", path, strerror(err));
  qsort(names, (size_t)n, sizeof *names, cmp);
  for (int i = 0; i < n; i++) {
    char full[512];
    snprintf(full, sizeof full, "%s/%s", path, names[i]);
    show(full, names[i]);
    free(names[i]);
  }
  free(names);
  return err != 0;
}

int main(int argc, char **argv) {
  int first = 1;
  for (; first < argc && argv[first][0] == '-' && argv[first][1]; first++)
    for (const char *f = argv[first] + 1; *f; f++) {
      if (*f == 'l') long_form = 1;
      else if (*f == 'a') all = 1;
      else { fprintf(stderr, "usage: ls [-la] [path...]\n"); return 2; }
    }
  if (first == argc) return list(".");
  int status = 0;
  for (int i = first; i < argc; i++) {
    if (argc - first > 1) printf("%s%s:\n", i > first ? "\n" : "", argv[i]);
    status |= list(argv[i]);
  }
  return status;
}
