/* /etc/passwd lookups: name to ids and back, for su and id. */
#include "stdio.h"
#include "string.h"
#include "stdlib.h"
#include "unistd.h"
#include "fcntl.h"
#include "passwd.h"

/* Walks the file's lines "name:x:uid:gid:gecos:home:shell" until match
 * says stop; returns 0 then, -1 when nothing matched. */
static int each_user(int (*match)(const struct user *u, const void *key), const void *key, struct user *out) {
  static char buf[2048];
  int fd = open("/etc/passwd", O_RDONLY);
  if (fd < 0) return -1;
  int n = (int)read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return -1;
  buf[n] = 0;
  for (char *line = buf, *next; line && *line; line = next) {
    next = strchr(line, '\n');
    if (next) *next++ = 0;
    char *field[7];
    int k = 0;
    for (char *p = line; k < 7; k++) {
      field[k] = p;
      p = strchr(p, ':');
      if (!p) { k++; break; }
      *p++ = 0;
    }
    if (k != 7) continue;
    struct user u = {field[0], (unsigned)atoi(field[2]), (unsigned)atoi(field[3]), field[5], field[6]};
    if (match(&u, key)) { *out = u; return 0; }
  }
  return -1;
}

static int by_name(const struct user *u, const void *key) { return strcmp(u->name, key) == 0; }
static int by_uid(const struct user *u, const void *key) { return u->uid == *(const unsigned *)key; }

int user_by_name(const char *name, struct user *out) { return each_user(by_name, name, out); }
int user_by_uid(unsigned uid, struct user *out) { return each_user(by_uid, &uid, out); }
