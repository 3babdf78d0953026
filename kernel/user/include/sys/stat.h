/* struct stat is the kernel's struct stat64 (i386 layout); stat() calls
 * stat64. */
#ifndef SYS_STAT_H
#define SYS_STAT_H
#include "../types.h"
#include "file_abi.h"
#define STAT_NAME stat
#include "stat_abi.h"
#define S_ISCHR(m) (((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m) (((m) & S_IFMT) == S_IFBLK)
int stat(const char *path, struct stat *st);
int lstat(const char *path, struct stat *st);
int fstat(int fd, struct stat *st);
int mkdir(const char *path, mode_t mode);
#endif
