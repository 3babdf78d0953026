/* opendir/readdir over getdents64, a buffer of records at a time. */
#include "dirent.h"
#include "fcntl.h"
#include "stdlib.h"
#include "string.h"
#include "unistd.h"

struct DIR { int fd, len, pos; char buf[2048]; struct dirent ent; };

DIR *opendir(const char *path) {
  int fd = open(path, O_RDONLY | O_DIRECTORY);
  if (fd < 0) return 0;
  DIR *d = malloc(sizeof *d);
  if (!d) { close(fd); return 0; }
  d->fd = fd;
  d->len = d->pos = 0;
  return d;
}

struct dirent *readdir(DIR *d) {
  if (d->pos >= d->len) {
    d->len = getdents64(d->fd, d->buf, sizeof d->buf);
    d->pos = 0;
    if (d->len <= 0) return 0;
  }
  struct dirent *rec = (struct dirent *)(d->buf + d->pos);
  d->pos += rec->d_reclen;
  size_t n = rec->d_reclen - 19;
  memcpy(&d->ent, rec, 19);
  memcpy(d->ent.d_name, rec->d_name, n < sizeof d->ent.d_name ? n : sizeof d->ent.d_name);
  d->ent.d_name[sizeof d->ent.d_name - 1] = 0;
  return &d->ent;
}

int closedir(DIR *d) {
  int r = close(d->fd);
  free(d);
  return r;
}
