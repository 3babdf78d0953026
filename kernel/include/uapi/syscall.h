/* System call numbers: Linux i386's. Shared by the kernel and the user library. */
#ifndef SYSCALL_H
#define SYSCALL_H
#define SYS_exit 1
#define SYS_fork 2
#define SYS_read 3
#define SYS_write 4
#define SYS_open 5
#define SYS_close 6
#define SYS_waitpid 7
#define SYS_unlink 10
#define SYS_execve 11
#define SYS_chdir 12
#define SYS_time 13
#define SYS_lseek 19
#define SYS_getpid 20
#define SYS_mount 21
#define SYS_sync 36
#define SYS_kill 37
#define SYS_rename 38
#define SYS_mkdir 39
#define SYS_rmdir 40
#define SYS_dup 41
#define SYS_pipe 42
#define SYS_brk 45
#define SYS_signal 48
#define SYS_umount2 52
#define SYS_ioctl 54
#define SYS_setpgid 57
#define SYS_dup2 63
#define SYS_getppid 64
#define SYS_getpgrp 65
#define SYS_reboot 88
#define SYS_munmap 91
#define SYS_wait4 114
#define SYS_uname 122
#define SYS_getpgid 132
#define SYS_llseek 140
#define SYS_sched_yield 158
#define SYS_nanosleep 162
#define SYS_getcwd 183
#define SYS_mmap2 192
#define SYS_stat64 195
#define SYS_lstat64 196
#define SYS_fstat64 197
#define SYS_getdents64 220
#define NSYSCALL 256
#endif
