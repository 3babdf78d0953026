/* Reading and writing through descriptors: read and write, their vector
 * and positioned forms, sendfile, lseek, getdents64, truncation and sync. */
#include "kernel.h"
#include "fs.h"
#include "proc.h"
#include "memlayout.h"

int sys_read(u32 fd, u32 buf, u32 n) {
  struct file *f = fd_file(fd);
  return f ? file_read(f, (void *)buf, n, 1) : -EBADF;
}

int sys_write(u32 fd, u32 buf, u32 n) {
  struct file *f = fd_file(fd);
  return f ? file_write(f, (const void *)buf, n, 1) : -EBADF;
}

#define UIO_MAXIOV 1024

/* readv and writev: each buffer in turn, until one moves less than asked. */
static int vector_io(u32 fd, u32 iov_va, u32 count, int writing) {
  struct file *f = fd_file(fd);
  if (!f) return -EBADF;
  if (count > UIO_MAXIOV) return -EINVAL;
  u32 total = 0;
  for (u32 i = 0; i < count; i++) {
    struct { u32 base, len; } v;
    if (copy_from_user(&v, iov_va + 8 * i, sizeof v) < 0) return total ? (int)total : -EFAULT;
    if (v.len == 0) continue;
    int r = writing ? file_write(f, (const void *)v.base, v.len, 1) : file_read(f, (void *)v.base, v.len, 1);
    if (r < 0) return total ? (int)total : r;
    total += (u32)r;
    if ((u32)r < v.len) break;
  }
  return (int)total;
}

int sys_readv(u32 fd, u32 iov, u32 count) { return vector_io(fd, iov, count, 0); }
int sys_writev(u32 fd, u32 iov, u32 count) { return vector_io(fd, iov, count, 1); }

/* pread64 and pwrite64: at an offset, leaving the file's own alone. */
static int positioned(u32 fd, u32 buf, u32 n, u32 lo, u32 hi, int writing) {
  struct file *f = fd_file(fd);
  if (!f) return -EBADF;
  if (!f->ip || (!S_ISREG(f->ip->mode) && !S_ISDIR(f->ip->mode))) return -ESPIPE;
  if (hi || (s32)lo < 0) return -EINVAL;
  u32 saved = f->off, flags = f->flags;
  f->off = lo;
  f->flags &= ~(u32)O_APPEND; /* Linux's pwrite ignores O_APPEND... almost; close enough */
  int r = writing ? file_write(f, (const void *)buf, n, 1) : file_read(f, (void *)buf, n, 1);
  f->off = saved;
  f->flags = flags;
  return r;
}

int sys_pread64(u32 fd, u32 buf, u32 n, u32 lo, u32 hi) { return positioned(fd, buf, n, lo, hi, 0); }
int sys_pwrite64(u32 fd, u32 buf, u32 n, u32 lo, u32 hi) { return positioned(fd, buf, n, lo, hi, 1); }

/* sendfile64(out, in, offset, count): through a kernel page. */
int sys_sendfile64(u32 out_fd, u32 in_fd, u32 off_va, u32 count) {
  struct file *in = fd_file(in_fd), *out = fd_file(out_fd);
  if (!in || !out) return -EBADF;
  u64 off = 0;
  if (off_va) {
    if (!in->ip || !S_ISREG(in->ip->mode)) return -ESPIPE;
    if (copy_from_user(&off, off_va, 8) < 0) return -EFAULT;
    if (off > 0x7fffffff) return -EINVAL;
  }
  u8 *page = kalloc();
  if (!page) return -ENOMEM;
  u32 saved = in->off, done = 0;
  if (off_va) in->off = (u32)off;
  int err = 0;
  while (done < count) {
    u32 k = count - done < PGSIZE ? count - done : PGSIZE;
    int r = file_read(in, page, k, 0);
    if (r <= 0) { err = r; break; }
    int w = file_write(out, page, (u32)r, 0);
    if (w < 0) { err = w; in->off -= (u32)r; break; }
    done += (u32)w;
    if (w < r) { in->off -= (u32)(r - w); break; }
  }
  if (off_va) {
    off = in->off;
    in->off = saved;
    if (copy_to_user_checked(off_va, &off, 8) < 0) err = -EFAULT;
  }
  kfree(page);
  return done ? (int)done : err;
}

static int seek(struct file *f, s64 off, u32 whence, s64 *result) {
  if (!f->ip || (f->ip->mode & S_IFMT) == S_IFCHR || (f->ip->mode & S_IFMT) == S_IFIFO) return -ESPIPE;
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
    else if (f->off == 1) strncpy_safe(name, "..", sizeof name), ino = dir->parent ? dir->parent->ino : dir->ino, mode = S_IFDIR;
    else {
      int r = dir->ops->readdir ? dir->ops->readdir(dir, f->off - 2, name, &ino, &mode) : 1;
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

int sys_ftruncate64(u32 fd, u32 lo, u32 hi) {
  struct file *f = fd_file(fd);
  if (!f) return -EBADF;
  if (!f->ip || !S_ISREG(f->ip->mode) || (f->flags & O_ACCMODE) == O_RDONLY) return -EINVAL;
  if (hi || (s32)lo < 0) return (s32)hi < 0 || (s32)lo < 0 ? -EINVAL : -EFBIG;
  if (f->ip->sb->rdonly) return -EROFS;
  return f->ip->ops->truncate ? f->ip->ops->truncate(f->ip, lo) : -EINVAL;
}

int sys_ftruncate(u32 fd, u32 len) { return sys_ftruncate64(fd, len, 0); }

/* fsync and fdatasync: everything is written back (there is one cache). */
int sys_fsync(u32 fd) {
  if (!fd_file(fd)) return -EBADF;
  int err = vfs_sync();
  return err < 0 ? -EIO : 0;
}

int sys_sync(void) {
  vfs_sync();
  return 0;
}
