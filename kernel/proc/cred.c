/* Users: each process has a real, effective and saved user and group id,
 * inherited across fork and kept across exec. Root (effective uid 0) may
 * do anything; everyone else goes by the permission bits and may not call
 * what changes the whole machine. The rules are Linux's (setuid(2),
 * capabilities(7) reduced to "root or not"). */
#include "kernel.h"
#include "proc.h"
#include "fs.h"
#include "module.h"

int sys_getuid(void) { return (int)curproc->uid; }
int sys_geteuid(void) { return (int)curproc->euid; }
int sys_getgid(void) { return (int)curproc->gid; }
int sys_getegid(void) { return (int)curproc->egid; }

/* Root sets all three ids; anyone else only the effective one, and only to
 * the real or saved id (so a program that dropped root cannot get it back). */
int sys_setuid(u32 uid) {
  struct proc *p = curproc;
  if (p->euid == 0) p->uid = p->euid = p->suid = uid;
  else if (uid == p->uid || uid == p->suid) p->euid = uid;
  else return -EPERM;
  return 0;
}

int sys_setgid(u32 gid) {
  struct proc *p = curproc;
  if (p->euid == 0) p->gid = p->egid = p->sgid = gid;
  else if (gid == p->gid || gid == p->sgid) p->egid = gid;
  else return -EPERM;
  return 0;
}

int is_root(void) { return !curproc || curproc->euid == 0; }

/* Who owns what the running process creates (root for the kernel's own). */
u32 current_euid(void) { return curproc ? curproc->euid : 0; }
u32 current_egid(void) { return curproc ? curproc->egid : 0; }

/* mask: MAY_READ, MAY_WRITE, MAY_EXEC. Root needs an x bit somewhere to
 * execute a file, as on Linux, and nothing else. */
int permission(const struct inode *ip, u32 mask) {
  if (is_root()) return (mask & MAY_EXEC) && !S_ISDIR(ip->mode) && !(ip->mode & 0111) ? -EACCES : 0;
  u32 bits = curproc->euid == ip->uid ? ip->mode >> 6 : curproc->egid == ip->gid ? ip->mode >> 3 : ip->mode;
  return (bits & mask & 7) == mask ? 0 : -EACCES;
}

EXPORT_SYMBOL(current_euid);
EXPORT_SYMBOL(current_egid);
