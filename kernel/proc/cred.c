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

/* setreuid: -1 leaves an id alone; an unprivileged process may swap its
 * real and effective ids or set either to one it has. The saved id
 * follows the effective one when the real id is set or the effective one
 * changes to other than the real id. */
int sys_setreuid32(u32 ruid, u32 euid) {
  struct proc *p = curproc;
  int root = p->euid == 0;
  if (ruid != ~0u && !root && ruid != p->uid && ruid != p->euid) return -EPERM;
  if (euid != ~0u && !root && euid != p->uid && euid != p->euid && euid != p->suid) return -EPERM;
  u32 old_ruid = p->uid;
  if (ruid != ~0u) p->uid = ruid;
  if (euid != ~0u) p->euid = euid;
  if (ruid != ~0u || (euid != ~0u && euid != old_ruid)) p->suid = p->euid;
  return 0;
}

int sys_setregid32(u32 rgid, u32 egid) {
  struct proc *p = curproc;
  int root = p->euid == 0;
  if (rgid != ~0u && !root && rgid != p->gid && rgid != p->egid) return -EPERM;
  if (egid != ~0u && !root && egid != p->gid && egid != p->egid && egid != p->sgid) return -EPERM;
  u32 old_rgid = p->gid;
  if (rgid != ~0u) p->gid = rgid;
  if (egid != ~0u) p->egid = egid;
  if (rgid != ~0u || (egid != ~0u && egid != old_rgid)) p->sgid = p->egid;
  return 0;
}

/* setresuid: each of the three may become any of the current three, or
 * anything for root; -1 leaves it. */
static int one_of(u32 v, u32 a, u32 b, u32 c) { return v == ~0u || v == a || v == b || v == c; }

int sys_setresuid32(u32 r, u32 e, u32 s) {
  struct proc *p = curproc;
  if (p->euid != 0 && !(one_of(r, p->uid, p->euid, p->suid) && one_of(e, p->uid, p->euid, p->suid) &&
                        one_of(s, p->uid, p->euid, p->suid)))
    return -EPERM;
  if (r != ~0u) p->uid = r;
  if (e != ~0u) p->euid = e;
  if (s != ~0u) p->suid = s;
  return 0;
}

int sys_setresgid32(u32 r, u32 e, u32 s) {
  struct proc *p = curproc;
  if (p->euid != 0 && !(one_of(r, p->gid, p->egid, p->sgid) && one_of(e, p->gid, p->egid, p->sgid) &&
                        one_of(s, p->gid, p->egid, p->sgid)))
    return -EPERM;
  if (r != ~0u) p->gid = r;
  if (e != ~0u) p->egid = e;
  if (s != ~0u) p->sgid = s;
  return 0;
}

int sys_getresuid32(u32 r, u32 e, u32 s) {
  struct proc *p = curproc;
  if (copy_to_user_checked(r, &p->uid, 4) < 0 || copy_to_user_checked(e, &p->euid, 4) < 0 ||
      copy_to_user_checked(s, &p->suid, 4) < 0)
    return -EFAULT;
  return 0;
}

int sys_getresgid32(u32 r, u32 e, u32 s) {
  struct proc *p = curproc;
  if (copy_to_user_checked(r, &p->gid, 4) < 0 || copy_to_user_checked(e, &p->egid, 4) < 0 ||
      copy_to_user_checked(s, &p->sgid, 4) < 0)
    return -EFAULT;
  return 0;
}

/* The supplementary groups: getgroups with size 0 says how many. */
int sys_getgroups32(u32 size, u32 va) {
  struct proc *p = curproc;
  if ((s32)size < 0) return -EINVAL;
  if (size == 0) return (int)p->ngroups;
  if (size < p->ngroups) return -EINVAL;
  return copy_to_user_checked(va, p->groups, p->ngroups * 4) < 0 ? -EFAULT : (int)p->ngroups;
}

int sys_setgroups32(u32 size, u32 va) {
  struct proc *p = curproc;
  if (p->euid != 0) return -EPERM;
  if (size > NGROUPS) return -EINVAL;
  u32 g[NGROUPS];
  if (size && copy_from_user(g, va, size * 4) < 0) return -EFAULT;
  memcpy(p->groups, g, size * 4);
  p->ngroups = size;
  return 0;
}

/* The filesystem ids are the effective ones here; these report them. */
int sys_setfsuid32(u32 uid) { (void)uid; return (int)curproc->euid; }
int sys_setfsgid32(u32 gid) { (void)gid; return (int)curproc->egid; }

int is_root(void) { return !curproc || curproc->euid == 0; }

/* Who owns what the running process creates (root for the kernel's own). */
u32 current_euid(void) { return curproc ? curproc->euid : 0; }
u32 current_egid(void) { return curproc ? curproc->egid : 0; }

/* Whether the caller is in group g: its (effective) group or one of its
 * supplementary ones. */
static int in_group(u32 gid, u32 g) {
  if (gid == g) return 1;
  for (u32 i = 0; curproc && i < curproc->ngroups; i++)
    if (curproc->groups[i] == g) return 1;
  return 0;
}

/* mask: MAY_READ, MAY_WRITE, MAY_EXEC, for a user and group. Root needs
 * an x bit somewhere to execute a file, as on Linux, and nothing else. */
static int allowed(const struct inode *ip, u32 mask, u32 uid, u32 gid) {
  if (uid == 0) return (mask & MAY_EXEC) && !S_ISDIR(ip->mode) && !(ip->mode & 0111) ? -EACCES : 0;
  u32 bits = uid == ip->uid ? ip->mode >> 6 : in_group(gid, ip->gid) ? ip->mode >> 3 : ip->mode;
  return (bits & mask & 7) == mask ? 0 : -EACCES;
}

int permission(const struct inode *ip, u32 mask) {
  return curproc ? allowed(ip, mask, curproc->euid, curproc->egid) : allowed(ip, mask, 0, 0);
}

/* By the real ids: access(2). */
int permission_real(const struct inode *ip, u32 mask) {
  return curproc ? allowed(ip, mask, curproc->uid, curproc->gid) : allowed(ip, mask, 0, 0);
}

EXPORT_SYMBOL(current_euid);
EXPORT_SYMBOL(current_egid);
