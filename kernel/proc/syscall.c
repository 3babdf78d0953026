/* System calls through int 0x80, with Linux i386 numbers and registers:
 * EAX the number, EBX ECX EDX ESI EDI EBP the arguments, the result or
 * -errno in EAX. User pointers are checked by the copy functions of
 * mm/usercopy.c. A number without a handler is ENOSYS, as on Linux. */
#include "kernel.h"
#include "module.h"
#include "proc.h"
#include "memlayout.h"
#include "uapi/syscall.h"

/* Every handler takes the six argument registers; most use fewer. (They
 * are declared here without their arguments: the table calls them all
 * the same way, as the i386 calling convention allows.) */
typedef int (*syscall_fn)(u32, u32, u32, u32, u32, u32);
#define SC(fn) [SYS_##fn] = (syscall_fn)sys_##fn

int sys_exit(void), sys_fork(void), sys_read(void), sys_write(void), sys_open(void), sys_close(void),
    sys_waitpid(void), sys_creat(void), sys_link(void), sys_unlink(void), sys_execve(void), sys_chdir(void),
    sys_time(void), sys_mknod(void), sys_chmod(void), sys_lseek(void), sys_getpid(void), sys_mount(void),
    sys_umount(void), sys_setuid(void), sys_getuid(void), sys_alarm(void), sys_pause(void), sys_utime(void),
    sys_access(void), sys_sync(void), sys_kill(void), sys_rename(void), sys_mkdir(void), sys_rmdir(void),
    sys_dup(void), sys_pipe(void), sys_times(void), sys_brk(void), sys_setgid(void), sys_getgid(void),
    sys_signal(void), sys_geteuid(void), sys_getegid(void), sys_umount2(void), sys_ioctl(void), sys_setpgid(void),
    sys_umask(void), sys_dup2(void), sys_getppid(void), sys_getpgrp(void), sys_setsid(void), sys_sigaction(void),
    sys_sigsuspend(void), sys_sigpending(void), sys_setrlimit(void), sys_getrlimit(void), sys_getrusage(void),
    sys_gettimeofday(void), sys_settimeofday(void), sys_symlink(void), sys_readlink(void), sys_reboot(void), sys_syslog(void),
    sys_munmap(void), sys_truncate(void), sys_ftruncate(void), sys_fchmod(void), sys_setitimer(void),
    sys_getitimer(void), sys_wait4(void), sys_sysinfo(void), sys_fsync(void), sys_sigreturn(void), sys_clone(void),
    sys_uname(void), sys_mprotect(void), sys_sigprocmask(void), sys_init_module(void), sys_delete_module(void),
    sys_getpgid(void), sys_fchdir(void), sys_llseek(void), sys_newselect(void), sys_readv(void), sys_writev(void),
    sys_getsid(void), sys_sched_yield(void), sys_nanosleep(void), sys_mremap(void), sys_poll(void), sys_prctl(void),
    sys_rt_sigreturn(void), sys_rt_sigaction(void), sys_rt_sigprocmask(void), sys_rt_sigpending(void),
    sys_rt_sigsuspend(void), sys_rt_sigtimedwait(void), sys_rt_sigtimedwait_time64(void), sys_pread64(void), sys_pwrite64(void), sys_getcwd(void), sys_sigaltstack(void),
    sys_vfork(void), sys_ugetrlimit(void), sys_mmap2(void), sys_truncate64(void), sys_ftruncate64(void),
    sys_stat64(void), sys_lstat64(void), sys_fstat64(void), sys_lchown32(void), sys_setreuid32(void),
    sys_setregid32(void), sys_getgroups32(void), sys_setgroups32(void), sys_fchown32(void), sys_setresuid32(void),
    sys_getresuid32(void), sys_setresgid32(void), sys_getresgid32(void), sys_chown32(void), sys_setfsuid32(void),
    sys_setfsgid32(void), sys_madvise(void), sys_getdents64(void), sys_fcntl64(void), sys_gettid(void),
    sys_tkill(void), sys_sendfile64(void), sys_futex(void), sys_set_thread_area(void), sys_get_thread_area(void),
    sys_exit_group(void), sys_set_tid_address(void), sys_clock_settime(void), sys_clock_gettime(void),
    sys_clock_getres(void), sys_clock_nanosleep(void), sys_statfs64(void), sys_fstatfs64(void), sys_tgkill(void),
    sys_utimes(void), sys_openat(void), sys_mkdirat(void), sys_mknodat(void), sys_fchownat(void), sys_fstatat64(void),
    sys_unlinkat(void), sys_renameat(void), sys_linkat(void), sys_symlinkat(void), sys_readlinkat(void),
    sys_fchmodat(void), sys_faccessat(void), sys_pselect6(void), sys_ppoll(void), sys_set_robust_list(void),
    sys_utimensat(void), sys_dup3(void), sys_pipe2(void), sys_prlimit64(void), sys_renameat2(void),
    sys_getrandom(void), sys_statx(void), sys_clock_gettime64(void), sys_clock_settime64(void),
    sys_clock_getres_time64(void), sys_clock_nanosleep_time64(void), sys_utimensat_time64(void),
    sys_pselect6_time64(void), sys_ppoll_time64(void), sys_faccessat2(void);

static const syscall_fn table[NSYSCALL] = {
  SC(exit), SC(fork), SC(read), SC(write), SC(open), SC(close), SC(waitpid), SC(creat), SC(link), SC(unlink),
  SC(execve), SC(chdir), SC(time), SC(mknod), SC(chmod), SC(lseek), SC(getpid), SC(mount), SC(umount), SC(setuid),
  SC(getuid), SC(alarm), SC(pause), SC(utime), SC(access), SC(sync), SC(kill), SC(rename), SC(mkdir), SC(rmdir),
  SC(dup), SC(pipe), SC(times), SC(brk), SC(setgid), SC(getgid), SC(signal), SC(geteuid), SC(getegid), SC(umount2),
  SC(ioctl), SC(setpgid), SC(umask), SC(dup2), SC(getppid), SC(getpgrp), SC(setsid), SC(sigaction), SC(sigsuspend),
  SC(sigpending), SC(setrlimit), SC(getrlimit), SC(getrusage), SC(gettimeofday), SC(settimeofday), SC(symlink),
  SC(readlink), SC(reboot), SC(syslog), SC(munmap), SC(truncate), SC(ftruncate), SC(fchmod), SC(setitimer), SC(getitimer),
  SC(wait4), SC(sysinfo), SC(fsync), SC(sigreturn), SC(clone), SC(uname), SC(mprotect), SC(sigprocmask),
  SC(init_module), SC(delete_module), SC(getpgid), SC(fchdir), SC(llseek), SC(newselect), SC(readv), SC(writev),
  SC(getsid), SC(sched_yield), SC(nanosleep), SC(mremap), SC(poll), SC(prctl), SC(rt_sigreturn), SC(rt_sigaction),
  SC(rt_sigprocmask), SC(rt_sigpending), SC(rt_sigsuspend), SC(rt_sigtimedwait), SC(rt_sigtimedwait_time64), SC(pread64), SC(pwrite64), SC(getcwd), SC(sigaltstack),
  SC(vfork), SC(ugetrlimit), SC(mmap2), SC(truncate64), SC(ftruncate64), SC(stat64), SC(lstat64), SC(fstat64),
  SC(lchown32), SC(setreuid32), SC(setregid32), SC(getgroups32), SC(setgroups32), SC(fchown32), SC(setresuid32),
  SC(getresuid32), SC(setresgid32), SC(getresgid32), SC(chown32), SC(setfsuid32), SC(setfsgid32), SC(madvise),
  SC(getdents64), SC(fcntl64), SC(gettid), SC(tkill), SC(sendfile64), SC(futex), SC(set_thread_area),
  SC(get_thread_area), SC(exit_group), SC(set_tid_address), SC(clock_settime), SC(clock_gettime), SC(clock_getres),
  SC(clock_nanosleep), SC(statfs64), SC(fstatfs64), SC(tgkill), SC(utimes), SC(openat), SC(mkdirat), SC(mknodat),
  SC(fchownat), SC(fstatat64), SC(unlinkat), SC(renameat), SC(linkat), SC(symlinkat), SC(readlinkat), SC(fchmodat),
  SC(faccessat), SC(pselect6), SC(ppoll), SC(set_robust_list), SC(utimensat), SC(dup3), SC(pipe2), SC(prlimit64),
  SC(renameat2), SC(getrandom), SC(statx), SC(clock_gettime64), SC(clock_settime64), SC(clock_getres_time64),
  SC(clock_nanosleep_time64), SC(utimensat_time64), SC(pselect6_time64), SC(ppoll_time64), SC(faccessat2),
  /* the same calls under other numbers: ids are 32-bit throughout, a file
   * offset is what fcntl64 takes, fdatasync is fsync here */
  [SYS_getuid32] = (syscall_fn)sys_getuid,
  [SYS_getgid32] = (syscall_fn)sys_getgid,
  [SYS_geteuid32] = (syscall_fn)sys_geteuid,
  [SYS_getegid32] = (syscall_fn)sys_getegid,
  [SYS_setuid32] = (syscall_fn)sys_setuid,
  [SYS_setgid32] = (syscall_fn)sys_setgid,
  [SYS_fcntl] = (syscall_fn)sys_fcntl64,
  [SYS_fdatasync] = (syscall_fn)sys_fsync,
  [SYS_futex_time64] = (syscall_fn)sys_futex,
};

/* What changes the whole machine (its code, its mounts, its power) is
 * root's alone, as CAP_SYS_MODULE, CAP_SYS_ADMIN and CAP_SYS_BOOT are on
 * Linux: one check here instead of one in every call. */
static const u8 root_only[NSYSCALL] = {
  [SYS_init_module] = 1, [SYS_delete_module] = 1, [SYS_mount] = 1, [SYS_umount2] = 1, [SYS_umount] = 1, [SYS_reboot] = 1,
};

void syscall(struct trapframe *tf) {
  syscall_fn fn = tf->eax < NSYSCALL ? table[tf->eax] : NULL;
  curproc->syscall_nr = (int)tf->eax;
  if (!fn) {
    tf->eax = (u32)-ENOSYS;
    return;
  }
  if (root_only[tf->eax] && !is_root()) {
    tf->eax = (u32)-EPERM;
    return;
  }
  tf->eax = (u32)fn(tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi, tf->ebp);
}
