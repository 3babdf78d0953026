/* struct stat64 as i386 Linux lays it out (96 bytes). The kernel knows it
 * by that name; the user library includes it with STAT_NAME defined as
 * stat, since its stat() is the kernel's stat64. */
#ifndef STAT_ABI_H
#define STAT_ABI_H
#ifndef STAT_NAME
#define STAT_NAME stat64
#endif
struct STAT_NAME {
  unsigned long long st_dev;
  unsigned pad0, st_ino32, st_mode, st_nlink, st_uid, st_gid;
  unsigned long long st_rdev;
  unsigned pad3;
  long long st_size;
  unsigned st_blksize;
  unsigned long long st_blocks;
  unsigned st_atime, st_atime_ns, st_mtime, st_mtime_ns, st_ctime, st_ctime_ns;
  unsigned long long st_ino;
} __attribute__((packed));
#endif
