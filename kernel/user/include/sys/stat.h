/* struct stat is the kernel's stat64 (i386 layout); stat() calls stat64. */
#ifndef SYS_STAT_H
#define SYS_STAT_H
#include "../types.h"
struct stat {
  unsigned long long st_dev;
  unsigned pad0, ino32, st_mode, st_nlink, st_uid, st_gid;
  unsigned long long st_rdev;
  unsigned pad3;
  long long st_size;
  unsigned st_blksize;
  unsigned long long st_blocks;
  unsigned st_atime, st_atime_ns, st_mtime, st_mtime_ns, st_ctime, st_ctime_ns;
  unsigned long long st_ino;
} __attribute__((packed));
#define S_IFMT 0170000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFBLK 0060000
#define S_IFREG 0100000
#define S_IFIFO 0010000
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#define S_ISCHR(m) (((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m) (((m) & S_IFMT) == S_IFBLK)
int stat(const char *path, struct stat *st);
int lstat(const char *path, struct stat *st);
int fstat(int fd, struct stat *st);
int mkdir(const char *path, mode_t mode);
#endif
