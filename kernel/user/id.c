/* id: the user and group ids of this process, with their names. */
#include "stdio.h"
#include "unistd.h"
#include "passwd.h"

static const char *name_of(unsigned uid) {
  static char buf[32];
  struct user u;
  if (user_by_uid(uid, &u) < 0) return "?";
  snprintf(buf, sizeof buf, "%s", u.name);
  return buf;
}

int main(void) {
  unsigned uid = getuid(), euid = geteuid(), gid = getgid();
  printf("uid=%u(%s) gid=%u", uid, name_of(uid), gid);
  if (euid != uid) printf(" euid=%u(%s)", euid, name_of(euid));
  printf("\n");
  return 0;
}
