/* File system calls: descriptors, paths, directories, mounts. */
#include "kernel.h"
#include "fs.h"
#include "proc.h"
#include "uapi/stat_abi.h"

static struct file *fd_file(u32 fd) { return fd < NOFILE ? curproc->ofile[fd] : NULL; }

static int fd_alloc(struct file *f, u32 from) {
  for (u32 fd = from; fd < NOFILE; fd++)
    if (!curproc->ofile[fd]) {
      curproc->ofile[fd] = f;
      return (int)fd;
    }
  return -EMFILE;
}

static int user_path(char *buf, u32 va) {
  int n = copy_string(buf, PATH_MAX, va);
  return n < 0 ? n : n == 0 ? -ENOENT : 0;
}

int sys_read(u32 fd, u32 buf, u32 n) {
  struct file *f = fd_file(fd);
  return f ? file_read(f, (void *)buf, n, 1) : -EBADF;
}

int sys_write(u32 fd, u32 buf, u32 n) {
  struct file *f = fd_file(fd);
  return f ? file_write(f, (const void *)buf, n, 1) : -EBADF;
}

int sys_open(u32 path_va, u32 flags, u32 mode) {
  char path[PATH_MAX];
  int err = user_path(path, path_va);
  if (err < 0) return err;
  struct file *f;
  if ((err = vfs_open(path, flags, mode, &f)) < 0) return err;
  int fd = fd_alloc(f, 0);
  if (fd < 0) file_close(f);
  return fd;
}

int sys_close(u32 fd) {
  struct file *f = fd_file(fd);
  if (!f) return -EBADF;
  curproc->ofile[fd] = NULL;
  file_close(f);
  return 0;
}

int sys_dup(u32 fd) {
  struct file *f = fd_file(fd);
  if (!f) return -EBADF;
  int nfd = fd_alloc(f, 0);
  if (nfd >= 0) file_dup(f);
  return nfd;
}

int sys_dup2(u32 fd, u32 nfd) {
  struct file *f = fd_file(fd);
  if (!f) return -EBADF;
  if (nfd >= NOFILE) return -EBADF;
  if (fd == nfd) return (int)nfd;
  if (curproc->ofile[nfd]) file_close(curproc->ofile[nfd]);
  curproc->ofile[nfd] = file_dup(f);
  return (int)nfd;
}

int sys_pipe(u32 fds_va) {
  struct file *r, *w;
  int err = pipe_new(&r, &w);
  if (err < 0) return err;
  int fds[2] = {fd_alloc(r, 0), -1};
  if (fds[0] >= 0) fds[1] = fd_alloc(w, 0);
  if (fds[1] < 0 || copy_to_user_checked(fds_va, fds, sizeof fds) < 0) {
    if (fds[0] >= 0) curproc->ofile[fds[0]] = NULL;
    if (fds[1] >= 0) curproc->ofile[fds[1]] = NULL;
    file_close(r);
    file_close(w);
    return fds[1] < 0 ? -EMFILE : -EFAULT;
  }
  return 0;
}

static int seek(struct file *f, s64 off, u32 whence, s64 *result) {
  if (!f->ip || (f->ip->mode & S_IFMT) == S_IFCHR) return -ESPIPE;
  s64 base = whence == 0 ? 0 : whence == 1 ? (s64)f->off : whence == 2 ? (s64)f->ip->size : -1;
  if (base < 0) return -EINVAL;
  s64 pos = base + off;
  if (pos < 0 || pos > 0x7fffffff) return -EINVAL;
  f->off = (u32)pos;
  *result = pos;
  return 0;
}

int sys_lseek(u32 fd, u32 off, u32 whence) {
  struct file *f = fd_file(fd);
  if (!f) return -EBADF;
  s64 pos;
  int err = seek(f, (s32)off, whence, &pos);
  return err < 0 ? err : (int)pos;
}

int sys_llseek(u32 fd, u32 hi, u32 lo, u32 result_va, u32 whence) {
  struct file *f = fd_file(fd);
  if (!f) return -EBADF;
  s64 pos;
  int err = seek(f, (s64)(((u64)hi << 32) | lo), whence, &pos);
  if (err < 0) return err;
  return copy_to_user_checked(result_va, &pos, sizeof pos);
}

int sys_ioctl(u32 fd, u32 cmd, u32 arg) {
  struct file *f = fd_file(fd);
  if (!f) return -EBADF;
  return f->ops->ioctl ? f->ops->ioctl(f, cmd, arg) : -ENOTTY;
}

/* Operations on a name in a directory: the parent is looked up, then
 * asked to do the work. */
static int is_dot(const char *name) { return strcmp(name, ".") == 0 || strcmp(name, "..") == 0; }

static int in_parent(u32 path_va, struct inode **dir, char *name) {
  char path[PATH_MAX];
  int err = user_path(path, path_va);
  return err < 0 ? err : namei_parent(path, dir, name);
}

int sys_mkdir(u32 path_va, u32 mode) {
  char name[NAME_MAX + 1];
  struct inode *dir;
  int err = in_parent(path_va, &dir, name);
  if (err < 0) return err;
  if (is_dot(name)) err = -EEXIST;
  else if ((err = permission(dir, MAY_WRITE | MAY_EXEC)) == 0)
    err = dir->ops->create ? dir->ops->create(dir, name, S_IFDIR | (mode & 07777), 0, NULL) : -EROFS;
  iput(dir);
  return err;
}

/* unlink and rmdir: the entry must be of the right kind. */
static int remove(u32 path_va, int want_dir) {
  char name[NAME_MAX + 1];
  struct inode *dir, *ip;
  int err = in_parent(path_va, &dir, name);
  if (err < 0) return err;
  if (is_dot(name)) { iput(dir); return want_dir ? -EINVAL : -EISDIR; }
  if (!dir->ops->lookup || (err = dir->ops->lookup(dir, name, &ip)) < 0) { iput(dir); return err < 0 ? err : -ENOENT; }
  if (S_ISDIR(ip->mode) && !want_dir) err = -EISDIR;
  else if (!S_ISDIR(ip->mode) && want_dir) err = -ENOTDIR;
  else if (ip->mounted) err = -EBUSY;
  else err = permission(dir, MAY_WRITE | MAY_EXEC);
  iput(ip);
  if (!err) err = dir->ops->unlink ? dir->ops->unlink(dir, name) : -EROFS;
  iput(dir);
  return err;
}

int sys_unlink(u32 path_va) { return remove(path_va, 0); }
int sys_rmdir(u32 path_va) { return remove(path_va, 1); }

/* The rules every filesystem's rename relies on, checked once here: no "."
 * or ".." at either end (POSIX: EINVAL; Linux says EBUSY), no mount point,
 * and no directory moved into itself or below itself, which would cut it
 * off from the tree as a cycle. The walk up uses the parents the VFS
 * recorded while looking tdir up, so it ends at the filesystem's root. */
static int rename_allowed(struct inode *fdir, const char *from, struct inode *tdir, const char *to) {
  if (is_dot(from) || is_dot(to)) return -EINVAL;
  if (fdir->sb != tdir->sb) return -EXDEV;
  int denied = permission(fdir, MAY_WRITE | MAY_EXEC);
  if (!denied) denied = permission(tdir, MAY_WRITE | MAY_EXEC);
  if (denied) return denied;
  struct inode *src;
  int err = fdir->ops->lookup ? fdir->ops->lookup(fdir, from, &src) : -ENOENT;
  if (err < 0) return err;
  if (src->mounted) err = -EBUSY;
  else if (S_ISDIR(src->mode))
    for (struct inode *d = tdir; d && d->sb == src->sb; d = d->parent) {
      if (d->ino == src->ino) { err = -EINVAL; break; }
      if (d == d->sb->root) break;
    }
  iput(src);
  return err;
}

int sys_rename(u32 from_va, u32 to_va) {
  char from[NAME_MAX + 1], to[NAME_MAX + 1];
  struct inode *fdir, *tdir;
  int err = in_parent(from_va, &fdir, from);
  if (err < 0) return err == -EEXIST ? -EBUSY : err; /* "/" */
  if ((err = in_parent(to_va, &tdir, to)) < 0) { iput(fdir); return err == -EEXIST ? -EBUSY : err; }
  err = rename_allowed(fdir, from, tdir, to);
  if (!err) err = fdir->ops->rename ? fdir->ops->rename(fdir, from, tdir, to) : -EROFS;
  iput(fdir);
  iput(tdir);
  return err;
}

int sys_link(u32 from_va, u32 to_va) {
  char from[PATH_MAX], name[NAME_MAX + 1];
  struct inode *target, *dir;
  int err = user_path(from, from_va);
  if (err < 0 || (err = namei(from, &target)) < 0) return err;
  if ((err = in_parent(to_va, &dir, name)) < 0) { iput(target); return err; }
  if (S_ISDIR(target->mode)) err = -EPERM;
  else if (is_dot(name)) err = -EEXIST;
  else if (dir->sb != target->sb) err = -EXDEV;
  else err = permission(dir, MAY_WRITE | MAY_EXEC);
  if (!err) err = dir->ops->link ? dir->ops->link(dir, name, target) : -EPERM;
  iput(dir);
  iput(target);
  return err;
}

int sys_chdir(u32 path_va) {
  char path[PATH_MAX];
  struct inode *ip;
  int err = user_path(path, path_va);
  if (err < 0 || (err = namei(path, &ip)) < 0) return err;
  if (!S_ISDIR(ip->mode)) { iput(ip); return -ENOTDIR; }
  if ((err = permission(ip, MAY_EXEC)) < 0) { iput(ip); return err; }
  iput(curproc->cwd);
  curproc->cwd = ip;
  return 0;
}

int sys_getcwd(u32 buf, u32 size) {
  char path[PATH_MAX];
  int n = inode_path(curproc->cwd, path, sizeof path);
  if (n < 0) return n;
  if ((u32)n > size) return -ERANGE;
  return copy_to_user_checked(buf, path, (u32)n) < 0 ? -EFAULT : n;
}

static int stat_to_user(struct inode *ip, u32 va) {
  struct stat64 st;
  memset(&st, 0, sizeof st);
  if (ip) {
    st.st_dev = 1;
    st.st_ino = st.st_ino32 = ip->ino;
    st.st_mode = ip->mode;
    st.st_nlink = ip->nlink;
    st.st_uid = ip->uid;
    st.st_gid = ip->gid;
    st.st_rdev = ip->rdev;
    st.st_size = ip->size;
    st.st_blksize = 4096;
    st.st_blocks = (ip->size + 511) / 512;
    st.st_atime = st.st_mtime = st.st_ctime = ip->mtime;
  } else {
    st.st_mode = S_IFIFO | 0600;
    st.st_nlink = 1;
    st.st_blksize = 4096;
  }
  return copy_to_user_checked(va, &st, sizeof st);
}

int sys_stat64(u32 path_va, u32 st_va) {
  char path[PATH_MAX];
  struct inode *ip;
  int err = user_path(path, path_va);
  if (err < 0 || (err = namei(path, &ip)) < 0) return err;
  err = stat_to_user(ip, st_va);
  iput(ip);
  return err;
}

int sys_lstat64(u32 path_va, u32 st_va) { return sys_stat64(path_va, st_va); } /* no symbolic links */

int sys_fstat64(u32 fd, u32 st_va) {
  struct file *f = fd_file(fd);
  return f ? stat_to_user(f->ip, st_va) : -EBADF;
}

/* getdents64: struct linux_dirent64 records, 8-byte aligned; the file
 * offset counts entries. "." and ".." come first. */
int sys_getdents64(u32 fd, u32 buf, u32 size) {
  struct file *f = fd_file(fd);
  if (!f) return -EBADF;
  struct inode *dir = f->ip;
  if (!dir || !S_ISDIR(dir->mode)) return -ENOTDIR;
  u32 used = 0;
  for (;;) {
    char name[NAME_MAX + 1];
    u32 ino, mode;
    if (f->off == 0) strncpy_safe(name, ".", sizeof name), ino = dir->ino, mode = S_IFDIR;
    else if (f->off == 1) strncpy_safe(name, "..", sizeof name), ino = 0, mode = S_IFDIR;
    else {
      int r = dir->ops->readdir(dir, f->off - 2, name, &ino, &mode);
      if (r < 0 && used == 0) return r;
      if (r != 0) break;
    }
    u32 len = strlen(name);
    u32 reclen = (19 + len + 1 + 7) & ~7u;
    if (used + reclen > size) {
      if (used == 0) return -EINVAL;
      break;
    }
    u8 rec[19 + NAME_MAX + 1 + 8];
    memset(rec, 0, sizeof rec);
    u64 ino64 = ino, next = f->off + 1;
    u16 rl = (u16)reclen;
    memcpy(rec, &ino64, 8);
    memcpy(rec + 8, &next, 8);
    memcpy(rec + 16, &rl, 2);
    rec[18] = (u8)((mode & S_IFMT) >> 12); /* DT_* is the S_IFMT field shifted */
    memcpy(rec + 19, name, len);
    if (copy_to_user_checked(buf + used, rec, reclen) < 0) return -EFAULT;
    used += reclen;
    f->off++;
  }
  return (int)used;
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

int sys_sync(void) {
  vfs_sync();
  return 0;
}
