/* su USER [-c COMMAND]: runs a shell (or the command) as USER, from
 * /etc/passwd. Only root may: there are no passwords here. */
#include "stdio.h"
#include "string.h"
#include "unistd.h"
#include "errno.h"
#include "passwd.h"

int main(int argc, char **argv) {
  if (argc != 2 && !(argc == 4 && strcmp(argv[2], "-c") == 0)) {
    fprintf(stderr, "usage: su USER [-c COMMAND]\n");
    return 2;
  }
  struct user u;
  if (user_by_name(argv[1], &u) < 0) { fprintf(stderr, "su: no user %s in /etc/passwd\n", argv[1]); return 1; }
  /* the group first: once the uid is not root, setgid is refused */
  if (setgid(u.gid) < 0 || setuid(u.uid) < 0) { fprintf(stderr, "su: %s\n", strerror(errno)); return 1; }
  char *shell[] = {"sh", argc == 4 ? "-c" : NULL, argc == 4 ? argv[3] : NULL, NULL};
  execve("/bin/sh", shell, NULL);
  fprintf(stderr, "su: /bin/sh: %s\n", strerror(errno));
  return 127;
}
