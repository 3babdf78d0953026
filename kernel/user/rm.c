/* rm [-r] [-f] path...: -r removes directories with what they hold, -f
 * says nothing about missing files. */
#include "stdio.h"
#include "string.h"
#include "unistd.h"
#include "errno.h"
#include "dirent.h"
#include "sys/stat.h"

static int recursive, force;

static int remove_path(const char *path) {
  struct stat st;
  if (stat(path, &st) < 0) {
    if (force && errno == ENOENT) return 0;
    fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
    return 1;
  }
  if (!S_ISDIR(st.st_mode)) {
    if (unlink(path) == 0) return 0;
  } else if (!recursive) {
    errno = EISDIR;
  } else {
    int status = 0;
    DIR *d = opendir(path);
    struct dirent *e;
    while (d && (e = readdir(d))) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
      char child[512];
      snprintf(child, sizeof child, "%s/%s", path, e->d_name);
      status |= remove_path(child);
      closedir(d); /* the directory changed: read it again from the start */
      d = opendir(path);
    }
    if (d) closedir(d);
    if (status) return status;
    if (rmdir(path) == 0) return 0;
  }
  fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
  return 1;
}

int main(int argc, char **argv) {
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++)
    for (const char *f = argv[i] + 1; *f; f++) {
      if (*f == 'r' || *f == 'R') recursive = 1;
      else if (*f == 'f') force = 1;
      else { fprintf(stderr, "usage: rm [-rf] path...\n"); return 2; }
    }
  if (i == argc && !force) { fprintf(stderr, "usage: rm [-rf] path...\n"); return 2; }
  int status = 0;
  for (; i < argc; i++) status |= remove_path(argv[i]);
  return status;
}
