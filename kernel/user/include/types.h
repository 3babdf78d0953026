/* The libc's integer types (i386: int, long and pointers are 32 bits). */
#ifndef LIBC_TYPES_H
#define LIBC_TYPES_H
typedef int ssize_t;
typedef long off_t;
typedef int pid_t;
typedef unsigned uid_t;
typedef unsigned gid_t;
typedef unsigned mode_t;
typedef long time_t;
typedef long long loff_t;
#endif
