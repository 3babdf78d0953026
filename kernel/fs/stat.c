/* What a file is: stat64 and its relatives (lstat64, fstat64, fstatat64),
 * statx, which glibc tries first, and statfs64 for the filesystems. */
#include "kernel.h"
#include "fs.h"
#include "proc.h"
#include "uapi/stat_abi.h"

#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_NO_AUTOMOUNT 0x800
#define AT_EMPTY_PATH 0x1000
#define AT_STATX_SYNC_TYPE 0x6000

/* The attributes stat shows, of an inode or (ip NULL) of a pipe. */
struct kstat {
  u32 dev, ino, mode, nlink, uid, gid, rdev, size, blksize, blocks, atime, mtime, ctime;
};

static void fill(struct inode *ip, struct kstat *k) {
  memset(k, 0, sizeof *k);
  k->blksize = 4096;
  if (!ip) { /* a pipe: Linux's pipefs */
    k->mode = S_IFIFO | 0600;
    k->nlink = 1;
    k->uid = curproc->euid, k->gid = curproc->egid;
    k->dev = super_dev(NULL);
    return;
  }
  k->dev = super_dev(ip->sb);
  k->ino = ip->ino;
  k->mode = ip->mode;
  k->nlink = ip->nlink;
  k->uid = ip->uid, k->gid = ip->gid;
  k->rdev = ip->rdev;
  k->size = ip->size;
  k->blocks = S_ISREG(ip->mode) || S_ISDIR(ip->mode) ? (ip->size + 4095) / 4096 * 8 : 0;
  k->mtime = ip->mtime;
  k->atime = ip->atime ? ip->atime : ip->mtime;
  k->ctime = ip->ctime ? ip->ctime : ip->mtime;
}

/* Device numbers as glibc's 64-bit dev_t has them (major << 8 | minor
 * for the small numbers used here). */
static int put_stat64(const struct kstat *k, u32 va) {
  struct stat64 st;
  memset(&st, 0, sizeof st);
  st.st_dev = k->dev;
  st.st_ino = st.st_ino32 = k->ino;
  st.st_mode = k->mode;
  st.st_nlink = k->nlink;
  st.st_uid = k->uid;
  st.st_gid = k->gid;
  st.st_rdev = k->rdev;
  st.st_size = k->size;
  st.st_blksize = k->blksize;
  st.st_blocks = k->blocks;
  st.st_atime = k->atime, st.st_mtime = k->mtime, st.st_ctime = k->ctime;
  return copy_to_user_checked(va, &st, sizeof st);
}

/* (dirfd, path, flags) to the attributes; a descriptor with an empty
 * path may be a pipe. */
static int stat_at(u32 dirfd, u32 path_va, u32 flags, struct kstat *k) {
  if (flags & ~(u32)(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE)) return -EINVAL;
  char c;
  if ((flags & AT_EMPTY_PATH) && copy_from_user(&c, path_va, 1) == 0 && c == 0 && (int)dirfd != AT_FDCWD) {
    struct file *f = fd_file(dirfd);
    if (!f) return -EBADF;
    fill(f->ip, k);
    return 0;
  }
  struct inode *ip;
  int err = lookup_at(dirfd, path_va, flags & (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH), &ip);
  if (err < 0) return err;
  fill(ip, k);
  iput(ip);
  return 0;
}

int sys_fstatat64(u32 dirfd, u32 path_va, u32 st_va, u32 flags) {
  struct kstat k;
  int err = stat_at(dirfd, path_va, flags, &k);
  return err < 0 ? err : put_stat64(&k, st_va);
}

int sys_stat64(u32 path_va, u32 st_va) { return sys_fstatat64((u32)AT_FDCWD, path_va, st_va, 0); }
int sys_lstat64(u32 path_va, u32 st_va) { return sys_fstatat64((u32)AT_FDCWD, path_va, st_va, AT_SYMLINK_NOFOLLOW); }

int sys_fstat64(u32 fd, u32 st_va) {
  struct file *f = fd_file(fd);
  if (!f) return -EBADF;
  struct kstat k;
  fill(f->ip, &k);
  return put_stat64(&k, st_va);
}

/* struct statx (<linux/stat.h>), 256 bytes. */
struct statx_ts { s64 sec; u32 nsec; s32 pad; };
struct statx {
  u32 mask, blksize;
  u64 attributes;
  u32 nlink, uid, gid;
  u16 mode, pad1;
  u64 ino, size, blocks, attributes_mask;
  struct statx_ts atime, btime, ctime, mtime;
  u32 rdev_major, rdev_minor, dev_major, dev_minor;
  u64 spare[14];
};
#define STATX_BASIC_STATS 0x7ff

int sys_statx(u32 dirfd, u32 path_va, u32 flags, u32 mask, u32 buf) {
  (void)mask;
  struct kstat k;
  int err = stat_at(dirfd, path_va, flags, &k);
  if (err < 0) return err;
  struct statx sx;
  memset(&sx, 0, sizeof sx);
  sx.mask = STATX_BASIC_STATS;
  sx.blksize = k.blksize;
  sx.nlink = k.nlink, sx.uid = k.uid, sx.gid = k.gid;
  sx.mode = (u16)k.mode;
  sx.ino = k.ino, sx.size = k.size, sx.blocks = k.blocks;
  sx.atime.sec = k.atime, sx.ctime.sec = k.ctime, sx.mtime.sec = k.mtime;
  sx.rdev_major = MAJOR(k.rdev), sx.rdev_minor = MINOR(k.rdev);
  sx.dev_major = MAJOR(k.dev), sx.dev_minor = MINOR(k.dev);
  return copy_to_user_checked(buf, &sx, sizeof sx);
}

/* struct statfs64 as i386 packs it (84 bytes). */
struct statfs64 {
  u32 type, bsize;
  u64 blocks, bfree, bavail, files, ffree;
  u32 fsid[2], namelen, frsize, flags, spare[4];
} __attribute__((packed));

#define ST_RDONLY 1

static int put_statfs(struct super *sb, u32 sz, u32 va) {
  if (sz != sizeof(struct statfs64) && sz != 88) return -EINVAL;
  struct statfs64 s;
  memset(&s, 0, sizeof s);
  struct fs_usage u = {0};
  super_usage(sb, &u);
  s.type = u.magic;
  s.bsize = s.frsize = u.bsize;
  s.blocks = u.blocks, s.bfree = s.bavail = u.bfree;
  s.files = u.files, s.ffree = u.ffree;
  s.fsid[0] = super_dev(sb);
  s.namelen = NAME_MAX;
  s.flags = sb->rdonly ? ST_RDONLY : 0;
  return copy_to_user_checked(va, &s, sizeof s);
}

int sys_statfs64(u32 path_va, u32 sz, u32 va) {
  struct inode *ip;
  int err = lookup_at((u32)AT_FDCWD, path_va, 0, &ip);
  if (err < 0) return err;
  err = put_statfs(ip->sb, sz, va);
  iput(ip);
  return err;
}

int sys_fstatfs64(u32 fd, u32 sz, u32 va) {
  struct file *f = fd_file(fd);
  if (!f) return -EBADF;
  if (!f->ip) return -EINVAL;
  return put_statfs(f->ip->sb, sz, va);
}
