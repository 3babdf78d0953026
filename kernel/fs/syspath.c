/* System calls on paths: the *at family (each starting from a directory
 * descriptor or the working directory) and the older calls, which are
 * the same with AT_FDCWD: mkdir, unlink, rmdir, rename, link, symlink,
 * readlink, access, chmod, chown, utimensat, truncate, chdir, getcwd,
 * umask, mount. Names are checked once here ("." and "..", sticky
 * directories, mount points) before a filesystem is asked. */
#include "kernel.h"
#include "fs.h"
#include "proc.h"

#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR 0x200
#define AT_EACCESS 0x200
#define AT_SYMLINK_FOLLOW 0x400
#define AT_NO_AUTOMOUNT 0x800
#define AT_EMPTY_PATH 0x1000

static int is_dot(const char *name) { return strcmp(name, ".") == 0 || strcmp(name, "..") == 0; }

/* The inode a (dirfd, path) pair names; with AT_EMPTY_PATH an empty path
 * is the descriptor's own file. */
int lookup_at(u32 dirfd, u32 path_va, u32 at_flags, struct inode **out) {
  char path[PATH_MAX];
  int n = copy_string(path, PATH_MAX, path_va);
  if (n < 0) return n;
  struct inode *start = NULL;
  if (n == 0) {
    if (!(at_flags & AT_EMPTY_PATH)) return -ENOENT;
    if ((int)dirfd == AT_FDCWD) { *out = iget(curproc->cwd); return 0; }
    struct file *f = fd_file(dirfd);
    if (!f) return -EBADF;
    if (!f->ip) return -EINVAL; /* a pipe: the caller handles it by descriptor */
    *out = iget(f->ip);
    return 0;
  }
  int err = path[0] == '/' ? 0 : at_dir(dirfd, &start);
  if (err < 0) return err;
  return namei_at(start, path, at_flags & AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW, out);
}

/* The directory holding the last component of (dirfd, path), and that name. */
static int parent_at(u32 dirfd, u32 path_va, struct inode **dir, char *name) {
  char path[PATH_MAX];
  struct inode *start = NULL;
  int err = user_path(path, path_va);
  if (err < 0) return err;
  if (path[0] != '/' && (err = at_dir(dirfd, &start)) < 0) return err;
  return namei_parent_at(start, path, dir, name);
}

/* A sticky directory (/tmp) lets only a file's owner, the directory's or
 * root remove or rename what is in it. */
static int sticky_ok(struct inode *dir, struct inode *ip) {
  if (!(dir->mode & S_ISVTX) || is_root()) return 0;
  u32 uid = curproc->euid;
  return uid == ip->uid || uid == dir->uid ? 0 : -EPERM;
}

static int may_create(struct inode *dir, const char *name) {
  if (is_dot(name)) return -EEXIST;
  if (dir->nlink == 0) return -ENOENT; /* removed while someone is in it */
  int err = permission(dir, MAY_WRITE | MAY_EXEC);
  if (err) return err;
  if (dir->sb->rdonly) return -EROFS;
  if (!dir->ops->create) return -EROFS;
  struct inode *old;
  if (vfs_step(dir, name, &old) == 0) { iput(old); return -EEXIST; }
  return 0;
}

int sys_mkdirat(u32 dirfd, u32 path_va, u32 mode) {
  char name[NAME_MAX + 1];
  struct inode *dir;
  int err = parent_at(dirfd, path_va, &dir, name);
  if (err < 0) return err;
  if (!(err = may_create(dir, name)))
    err = dir->ops->create(dir, name, S_IFDIR | (mode & 01777 & ~curproc->umask), 0, NULL);
  iput(dir);
  return err;
}

int sys_mkdir(u32 path_va, u32 mode) { return sys_mkdirat((u32)AT_FDCWD, path_va, mode); }

/* mknod: FIFOs and device nodes (root's alone, as CAP_MKNOD), regular
 * files; the mode less the umask. */
int sys_mknodat(u32 dirfd, u32 path_va, u32 mode, u32 dev) {
  u32 type = mode & S_IFMT;
  if (type == 0) type = S_IFREG;
  if (type != S_IFREG && type != S_IFIFO && type != S_IFCHR && type != S_IFBLK) return -EINVAL;
  if ((type == S_IFCHR || type == S_IFBLK) && !is_root()) return -EPERM;
  char name[NAME_MAX + 1];
  struct inode *dir;
  int err = parent_at(dirfd, path_va, &dir, name);
  if (err < 0) return err;
  if (!(err = may_create(dir, name)))
    err = dir->ops->create(dir, name, type | (mode & 07777 & ~curproc->umask), MKDEV((dev >> 8) & 0xfff, dev & 0xff), NULL);
  iput(dir);
  return err;
}

int sys_mknod(u32 path_va, u32 mode, u32 dev) { return sys_mknodat((u32)AT_FDCWD, path_va, mode, dev); }

/* unlink and rmdir: the entry must be of the right kind. */
static int remove_at(u32 dirfd, u32 path_va, int want_dir) {
  char name[NAME_MAX + 1];
  struct inode *dir, *ip;
  int err = parent_at(dirfd, path_va, &dir, name);
  if (err < 0) return err == -EEXIST ? -EBUSY : err; /* "/" */
  if (is_dot(name)) { iput(dir); return want_dir ? (strcmp(name, ".") == 0 ? -EINVAL : -ENOTEMPTY) : -EISDIR; }
  if ((err = permission(dir, MAY_EXEC)) < 0 || !dir->ops->lookup || (err = dir->ops->lookup(dir, name, &ip)) < 0) {
    iput(dir);
    return err < 0 ? err : -ENOENT;
  }
  if (S_ISDIR(ip->mode) && !want_dir) err = -EISDIR;
  else if (!S_ISDIR(ip->mode) && want_dir) err = -ENOTDIR;
  else if (ip->mounted) err = -EBUSY;
  else if (!(err = permission(dir, MAY_WRITE | MAY_EXEC))) err = sticky_ok(dir, ip);
  iput(ip);
  if (!err) err = dir->ops->unlink ? dir->ops->unlink(dir, name) : -EROFS;
  iput(dir);
  return err;
}

int sys_unlinkat(u32 dirfd, u32 path_va, u32 flags) {
  if (flags & ~(u32)AT_REMOVEDIR) return -EINVAL;
  return remove_at(dirfd, path_va, (flags & AT_REMOVEDIR) != 0);
}

int sys_unlink(u32 path_va) { return remove_at((u32)AT_FDCWD, path_va, 0); }
int sys_rmdir(u32 path_va) { return remove_at((u32)AT_FDCWD, path_va, 1); }

/* The rules every filesystem's rename relies on, checked once here: no "."
 * or ".." at either end (POSIX: EINVAL; Linux says EBUSY), no mount point,
 * and no directory moved into itself or below itself, which would cut it
 * off from the tree as a cycle. The walk up uses the parents the VFS
 * recorded while looking tdir up, so it ends at the filesystem's root. */
static int rename_allowed(struct inode *fdir, const char *from, struct inode *tdir, const char *to, u32 flags) {
  if (is_dot(from) || is_dot(to)) return -EINVAL;
  if (fdir->sb != tdir->sb) return -EXDEV;
  int denied = permission(fdir, MAY_WRITE | MAY_EXEC);
  if (!denied) denied = permission(tdir, MAY_WRITE | MAY_EXEC);
  if (denied) return denied;
  struct inode *src, *dst;
  int err = fdir->ops->lookup ? fdir->ops->lookup(fdir, from, &src) : -ENOENT;
  if (err < 0) return err;
  if (src->mounted) err = -EBUSY;
  else if (!(err = sticky_ok(fdir, src)) && S_ISDIR(src->mode))
    for (struct inode *d = tdir; d && d->sb == src->sb; d = d->parent) {
      if (d->ino == src->ino) { err = -EINVAL; break; }
      if (d == d->sb->root) break;
    }
  if (!err && tdir->ops->lookup && tdir->ops->lookup(tdir, to, &dst) == 0) {
    if (flags & 1) err = -EEXIST; /* RENAME_NOREPLACE */
    else if (dst != src) err = sticky_ok(tdir, dst);
    iput(dst);
  }
  iput(src);
  return err;
}

int sys_renameat2(u32 fdirfd, u32 from_va, u32 tdirfd, u32 to_va, u32 flags) {
  if (flags & ~1u) return -EINVAL; /* only RENAME_NOREPLACE */
  char from[NAME_MAX + 1], to[NAME_MAX + 1];
  struct inode *fdir, *tdir;
  int err = parent_at(fdirfd, from_va, &fdir, from);
  if (err < 0) return err == -EEXIST ? -EBUSY : err; /* "/" */
  if ((err = parent_at(tdirfd, to_va, &tdir, to)) < 0) { iput(fdir); return err == -EEXIST ? -EBUSY : err; }
  err = rename_allowed(fdir, from, tdir, to, flags);
  if (!err && (fdir->sb->rdonly || !fdir->ops->rename)) err = -EROFS;
  if (!err) err = fdir->ops->rename(fdir, from, tdir, to);
  iput(fdir);
  iput(tdir);
  return err;
}

int sys_renameat(u32 fdirfd, u32 from_va, u32 tdirfd, u32 to_va) { return sys_renameat2(fdirfd, from_va, tdirfd, to_va, 0); }
int sys_rename(u32 from_va, u32 to_va) { return sys_renameat2((u32)AT_FDCWD, from_va, (u32)AT_FDCWD, to_va, 0); }

int sys_linkat(u32 fdirfd, u32 from_va, u32 tdirfd, u32 to_va, u32 flags) {
  if (flags & ~(u32)(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  char name[NAME_MAX + 1];
  struct inode *target, *dir;
  int err = lookup_at(fdirfd, from_va, (flags & AT_SYMLINK_FOLLOW ? 0 : AT_SYMLINK_NOFOLLOW) | (flags & AT_EMPTY_PATH), &target);
  if (err < 0) return err;
  if ((err = parent_at(tdirfd, to_va, &dir, name)) < 0) { iput(target); return err; }
  if (S_ISDIR(target->mode)) err = -EPERM;
  else if (is_dot(name)) err = -EEXIST;
  else if (dir->sb != target->sb) err = -EXDEV;
  else if (!(err = may_create(dir, name))) err = dir->ops->link ? dir->ops->link(dir, name, target) : -EPERM;
  iput(dir);
  iput(target);
  return err;
}

int sys_link(u32 from_va, u32 to_va) { return sys_linkat((u32)AT_FDCWD, from_va, (u32)AT_FDCWD, to_va, 0); }

/* symlink: a link's data is its target. */
int sys_symlinkat(u32 target_va, u32 dirfd, u32 path_va) {
  char *target = kmalloc(PATH_MAX);
  if (!target) return -ENOMEM;
  int n = copy_string(target, PATH_MAX, target_va);
  if (n == 0) n = -ENOENT;
  char name[NAME_MAX + 1];
  struct inode *dir, *ip;
  int err = n < 0 ? n : parent_at(dirfd, path_va, &dir, name);
  if (err >= 0) {
    if (!(err = may_create(dir, name)) && dir->ops->symlink) {
      err = dir->ops->symlink(dir, name, target, (u32)n);
    } else if (!err && !(err = dir->ops->create(dir, name, S_IFLNK | 0777, 0, &ip))) {
      int w = ip->ops->write ? ip->ops->write(ip, target, 0, (u32)n, 0) : -EPERM;
      if (w != n) { iput(ip); dir->ops->unlink(dir, name); err = w < 0 ? w : -ENOSPC; }
      else iput(ip);
    }
    iput(dir);
  }
  kmfree(target);
  return err;
}

int sys_symlink(u32 target_va, u32 path_va) { return sys_symlinkat(target_va, (u32)AT_FDCWD, path_va); }

int sys_readlinkat(u32 dirfd, u32 path_va, u32 buf, u32 size) {
  if ((s32)size <= 0) return -EINVAL;
  struct inode *ip;
  int err = lookup_at(dirfd, path_va, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, &ip);
  if (err < 0) return err;
  char *target = kmalloc(PATH_MAX);
  int n = target ? vfs_readlink(ip, target, PATH_MAX, 0) : -ENOMEM;
  iput(ip);
  if (n >= 0) {
    if ((u32)n > size) n = (int)size;
    if (copy_to_user_checked(buf, target, (u32)n) < 0) n = -EFAULT;
  }
  kmfree(target);
  return n;
}

int sys_readlink(u32 path_va, u32 buf, u32 size) { return sys_readlinkat((u32)AT_FDCWD, path_va, buf, size); }

/* access and faccessat: by the real ids (unless AT_EACCESS), as a
 * set-user-id program asks whether its caller may. */
int sys_faccessat2(u32 dirfd, u32 path_va, u32 mode, u32 flags) {
  if (mode & ~7u) return -EINVAL;
  if (flags & ~(u32)(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  struct inode *ip;
  int err = lookup_at(dirfd, path_va, flags & (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH), &ip);
  if (err < 0) return err;
  if (mode) err = (flags & AT_EACCESS) ? permission(ip, mode) : permission_real(ip, mode);
  if (!err && (mode & MAY_WRITE) && ip->sb->rdonly && !S_ISCHR(ip->mode) && !S_ISBLK(ip->mode)) err = -EROFS;
  iput(ip);
  return err;
}

int sys_faccessat(u32 dirfd, u32 path_va, u32 mode) { return sys_faccessat2(dirfd, path_va, mode, 0); }
int sys_access(u32 path_va, u32 mode) { return sys_faccessat2((u32)AT_FDCWD, path_va, mode, 0); }

/* After a change of mode, owner or times: the filesystem writes it back. */
static int changed(struct inode *ip) {
  ip->ctime = time_now();
  return ip->ops->setattr ? ip->ops->setattr(ip) : 0;
}

static int chmod_inode(struct inode *ip, u32 mode) {
  if (!is_root() && curproc->euid != ip->uid) return -EPERM;
  if (ip->sb->rdonly) return -EROFS;
  mode &= 07777;
  if (!is_root() && curproc->egid != ip->gid) mode &= ~(u32)S_ISGID; /* as Linux: not a group one is out of */
  ip->mode = (ip->mode & S_IFMT) | mode;
  return changed(ip);
}

int sys_fchmodat(u32 dirfd, u32 path_va, u32 mode) {
  struct inode *ip;
  int err = lookup_at(dirfd, path_va, 0, &ip);
  if (err < 0) return err;
  err = chmod_inode(ip, mode);
  iput(ip);
  return err;
}

int sys_chmod(u32 path_va, u32 mode) { return sys_fchmodat((u32)AT_FDCWD, path_va, mode); }

int sys_fchmod(u32 fd, u32 mode) {
  struct file *f = fd_file(fd);
  if (!f) return -EBADF;
  return f->ip ? chmod_inode(f->ip, mode) : 0;
}

/* chown: the owner only by root; the group by root, or by the owner to
 * their own group. A regular file loses its set-id bits. */
static int chown_inode(struct inode *ip, u32 uid, u32 gid) {
  int root = is_root();
  if (uid != ~0u && uid != ip->uid && !root) return -EPERM;
  if (gid != ~0u && gid != ip->gid && !root && (curproc->euid != ip->uid || gid != curproc->egid)) return -EPERM;
  if (ip->sb->rdonly) return -EROFS;
  if (uid != ~0u) ip->uid = uid;
  if (gid != ~0u) ip->gid = gid;
  if (S_ISREG(ip->mode) && (uid != ~0u || gid != ~0u)) ip->mode &= ~(u32)(S_ISUID | ((ip->mode & 010) ? S_ISGID : 0));
  return changed(ip);
}

int sys_fchownat(u32 dirfd, u32 path_va, u32 uid, u32 gid, u32 flags) {
  if (flags & ~(u32)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  struct inode *ip;
  int err = lookup_at(dirfd, path_va, flags, &ip);
  if (err < 0) return err;
  err = chown_inode(ip, uid, gid);
  iput(ip);
  return err;
}

int sys_chown32(u32 path_va, u32 uid, u32 gid) { return sys_fchownat((u32)AT_FDCWD, path_va, uid, gid, 0); }
int sys_lchown32(u32 path_va, u32 uid, u32 gid) { return sys_fchownat((u32)AT_FDCWD, path_va, uid, gid, AT_SYMLINK_NOFOLLOW); }

int sys_fchown32(u32 fd, u32 uid, u32 gid) {
  struct file *f = fd_file(fd);
  if (!f) return -EBADF;
  return f->ip ? chown_inode(f->ip, uid, gid) : 0;
}

#define UTIME_NOW ((1u << 30) - 1)
#define UTIME_OMIT ((1u << 30) - 2)

/* Access and modification times (seconds here): both to now needs write
 * permission, anything else ownership. */
static int set_times(struct inode *ip, const u32 *sec, const u32 *nsec) {
  int now_only = nsec[0] == UTIME_NOW && nsec[1] == UTIME_NOW;
  int owner = is_root() || curproc->euid == ip->uid;
  if (!owner && (!now_only || permission(ip, MAY_WRITE) < 0)) return now_only ? -EACCES : -EPERM;
  if (ip->sb->rdonly) return -EROFS;
  u32 now = time_now();
  if (nsec[0] != UTIME_OMIT) ip->atime = nsec[0] == UTIME_NOW ? now : sec[0];
  if (nsec[1] != UTIME_OMIT) ip->mtime = nsec[1] == UTIME_NOW ? now : sec[1];
  return changed(ip);
}

/* utimensat(dirfd, path, times, flags); a NULL path is the descriptor's
 * file (futimens). times holds two struct timespec (32-bit fields). */
static int utimens(u32 dirfd, u32 path_va, const u32 *sec, const u32 *nsec, u32 flags) {
  if (flags & ~(u32)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  for (int i = 0; i < 2; i++)
    if (nsec[i] >= 1000000000u && nsec[i] != UTIME_NOW && nsec[i] != UTIME_OMIT) return -EINVAL;
  if (nsec[0] == UTIME_OMIT && nsec[1] == UTIME_OMIT) return 0;
  struct inode *ip;
  int err;
  if (!path_va) {
    struct file *f = fd_file(dirfd);
    if (!f) return (int)dirfd == AT_FDCWD ? -EFAULT : -EBADF;
    if (!f->ip) return -EINVAL;
    ip = iget(f->ip);
  } else if ((err = lookup_at(dirfd, path_va, flags, &ip)) < 0) {
    return err;
  }
  err = set_times(ip, sec, nsec);
  iput(ip);
  return err;
}

int sys_utimensat(u32 dirfd, u32 path_va, u32 times_va, u32 flags) {
  u32 t[4] = {0, UTIME_NOW, 0, UTIME_NOW};
  if (times_va && copy_from_user(t, times_va, sizeof t) < 0) return -EFAULT;
  u32 sec[2] = {t[0], t[2]}, nsec[2] = {t[1], t[3]};
  return utimens(dirfd, path_va, sec, nsec, flags);
}

/* utimensat_time64: struct __kernel_timespec, 64-bit seconds. */
int sys_utimensat_time64(u32 dirfd, u32 path_va, u32 times_va, u32 flags) {
  struct { s64 sec; s64 nsec; } t[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
  if (times_va && copy_from_user(t, times_va, sizeof t) < 0) return -EFAULT;
  u32 sec[2] = {(u32)t[0].sec, (u32)t[1].sec}, nsec[2] = {(u32)t[0].nsec, (u32)t[1].nsec};
  return utimens(dirfd, path_va, sec, nsec, flags);
}

/* utimes(path, struct timeval[2]) and utime(path, struct utimbuf). */
int sys_utimes(u32 path_va, u32 tv_va) {
  u32 t[4], sec[2], nsec[2] = {UTIME_NOW, UTIME_NOW};
  if (tv_va) {
    if (copy_from_user(t, tv_va, sizeof t) < 0) return -EFAULT;
    if (t[1] >= 1000000u || t[3] >= 1000000u) return -EINVAL;
    sec[0] = t[0], sec[1] = t[2], nsec[0] = t[1] * 1000, nsec[1] = t[3] * 1000;
  }
  return utimens((u32)AT_FDCWD, path_va, sec, nsec, 0);
}

int sys_utime(u32 path_va, u32 buf_va) {
  u32 t[2], sec[2], nsec[2] = {UTIME_NOW, UTIME_NOW};
  if (buf_va) {
    if (copy_from_user(t, buf_va, sizeof t) < 0) return -EFAULT;
    sec[0] = t[0], sec[1] = t[1], nsec[0] = nsec[1] = 0;
  }
  return utimens((u32)AT_FDCWD, path_va, sec, nsec, 0);
}

int sys_truncate64(u32 path_va, u32 lo, u32 hi) {
  if ((s32)hi < 0 || (s32)lo < 0) return -EINVAL;
  if (hi) return -EFBIG;
  struct inode *ip;
  int err = lookup_at((u32)AT_FDCWD, path_va, 0, &ip);
  if (err < 0) return err;
  if (S_ISDIR(ip->mode)) err = -EISDIR;
  else if (!S_ISREG(ip->mode)) err = -EINVAL;
  else if (!(err = permission(ip, MAY_WRITE)))
    err = ip->sb->rdonly ? -EROFS : ip->ops->truncate ? ip->ops->truncate(ip, lo) : -EINVAL;
  iput(ip);
  return err;
}

int sys_truncate(u32 path_va, u32 len) { return sys_truncate64(path_va, len, 0); }

/* The working directory (and the umask) is the process's (CLONE_FS):
 * every thread's changes with it. */
static int set_cwd(struct inode *ip) {
  if (!S_ISDIR(ip->mode)) return -ENOTDIR;
  int err = permission(ip, MAY_EXEC);
  if (err < 0) return err;
  for (u32 n = 0;; n++) {
    struct proc *q = proc_nth(n);
    if (!q) break;
    if (q->tgid != curproc->tgid || !q->cwd) continue;
    iput(q->cwd);
    q->cwd = iget(ip);
  }
  return 0;
}

int sys_chdir(u32 path_va) {
  struct inode *ip;
  int err = lookup_at((u32)AT_FDCWD, path_va, 0, &ip);
  if (err < 0) return err;
  err = set_cwd(ip);
  iput(ip);
  return err;
}

int sys_fchdir(u32 fd) {
  struct file *f = fd_file(fd);
  if (!f) return -EBADF;
  return f->ip ? set_cwd(f->ip) : -ENOTDIR;
}

int sys_getcwd(u32 buf, u32 size) {
  char path[PATH_MAX];
  int n = inode_path(curproc->cwd, path, sizeof path);
  if (n < 0) return n;
  if ((u32)n > size) return -ERANGE;
  return copy_to_user_checked(buf, path, (u32)n) < 0 ? -EFAULT : n;
}

int sys_umask(u32 mask) {
  u32 old = curproc->umask;
  for (u32 n = 0;; n++) {
    struct proc *q = proc_nth(n);
    if (!q) break;
    if (q->tgid == curproc->tgid) q->umask = mask & 0777;
  }
  return (int)old;
}

int sys_mount(u32 source_va, u32 target_va, u32 type_va) {
  char source[32], target[PATH_MAX], type[16];
  int err;
  if ((err = copy_string(source, sizeof source, source_va)) < 0) return err == -ENAMETOOLONG ? -EINVAL : err;
  if ((err = user_path(target, target_va)) < 0) return err;
  if ((err = copy_string(type, sizeof type, type_va)) < 0) return err == -ENAMETOOLONG ? -ENODEV : err;
  return vfs_mount(source, target, type);
}

int sys_umount2(u32 target_va, u32 flags) {
  (void)flags;
  char target[PATH_MAX];
  int err = user_path(target, target_va);
  return err < 0 ? err : vfs_umount(target);
}

int sys_umount(u32 target_va) { return sys_umount2(target_va, 0); }
