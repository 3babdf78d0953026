/* The users of /etc/passwd (the strings point into a static buffer that
 * the next lookup reuses). */
#ifndef PASSWD_H
#define PASSWD_H
struct user { const char *name; unsigned uid, gid; const char *home, *shell; };
int user_by_name(const char *name, struct user *out);
int user_by_uid(unsigned uid, struct user *out);
#endif
