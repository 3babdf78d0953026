/* System calls through int 0x80, with Linux i386 numbers and registers:
 * EAX the number, EBX ECX EDX ESI EDI EBP the arguments, the result or
 * -errno in EAX. User pointers are checked by the copy functions of
 * mm/usercopy.c. */
#include "kernel.h"
#include "module.h"
#include "proc.h"
#include "memlayout.h"
#include "uapi/syscall.h"

/* Every handler takes the six argument registers; most use fewer. */
typedef int (*syscall_fn)(u32, u32, u32, u32, u32, u32);
#define SC(fn) [SYS_##fn] = (syscall_fn)sys_##fn

int sys_exit(u32), sys_fork(void), sys_read(u32, u32, u32), sys_write(u32, u32, u32), sys_open(u32, u32, u32);
int sys_close(u32), sys_waitpid(u32, u32, u32), sys_unlink(u32), sys_execve(u32, u32, u32), sys_chdir(u32);
int sys_time(u32), sys_lseek(u32, u32, u32), sys_getpid(void), sys_mount(u32, u32, u32), sys_sync(void);
int sys_kill(u32, u32), sys_rename(u32, u32), sys_mkdir(u32, u32), sys_rmdir(u32), sys_dup(u32), sys_pipe(u32);
int sys_brk(u32), sys_signal(u32, u32), sys_umount2(u32, u32), sys_ioctl(u32, u32, u32), sys_setpgid(u32, u32);
int sys_dup2(u32, u32), sys_getppid(void), sys_getpgrp(void), sys_reboot(u32, u32, u32), sys_munmap(u32, u32);
int sys_wait4(u32, u32, u32), sys_uname(u32), sys_getpgid(u32), sys_llseek(u32, u32, u32, u32, u32);
int sys_sched_yield(void), sys_nanosleep(u32, u32), sys_getcwd(u32, u32), sys_mmap2(u32, u32, u32, u32, u32, u32);
int sys_stat64(u32, u32), sys_lstat64(u32, u32), sys_fstat64(u32, u32), sys_getdents64(u32, u32, u32);
int sys_init_module(u32, u32, u32), sys_delete_module(u32, u32), sys_link(u32, u32);
int sys_getuid(void), sys_geteuid(void), sys_getgid(void), sys_getegid(void), sys_setuid(u32), sys_setgid(u32);
int sys_mprotect(u32, u32, u32), sys_mremap(u32, u32, u32, u32, u32), sys_madvise(u32, u32, u32);
int sys_getrlimit(u32, u32), sys_setrlimit(u32, u32), sys_ugetrlimit(u32, u32), sys_prlimit64(u32, u32, u32, u32);
int sys_prctl(u32, u32), sys_set_thread_area(u32), sys_get_thread_area(u32), sys_exit_group(u32);
int sys_set_tid_address(u32), sys_set_robust_list(u32, u32), sys_getrandom(u32, u32, u32);

static const syscall_fn table[NSYSCALL] = {
  SC(exit), SC(fork), SC(read), SC(write), SC(open), SC(close), SC(waitpid), SC(unlink), SC(execve),
  SC(chdir), SC(time), SC(lseek), SC(getpid), SC(mount), SC(sync), SC(kill), SC(rename), SC(mkdir),
  SC(rmdir), SC(dup), SC(pipe), SC(brk), SC(signal), SC(umount2), SC(ioctl), SC(setpgid), SC(dup2),
  SC(getppid), SC(getpgrp), SC(reboot), SC(munmap), SC(wait4), SC(uname), SC(getpgid), SC(llseek),
  SC(sched_yield), SC(nanosleep), SC(getcwd), SC(mmap2), SC(stat64), SC(lstat64), SC(fstat64),
  SC(getdents64), SC(init_module), SC(delete_module), SC(link),
  SC(getuid), SC(geteuid), SC(getgid), SC(getegid), SC(setuid), SC(setgid),
  SC(mprotect), SC(mremap), SC(madvise), SC(getrlimit), SC(setrlimit), SC(ugetrlimit), SC(prlimit64),
  SC(prctl), SC(set_thread_area), SC(get_thread_area), SC(exit_group), SC(set_tid_address),
  SC(set_robust_list), SC(getrandom),
  /* the 32-bit id calls are the same here: ids are 32-bit throughout */
  [SYS_getuid32] = (syscall_fn)sys_getuid, [SYS_geteuid32] = (syscall_fn)sys_geteuid,
  [SYS_getgid32] = (syscall_fn)sys_getgid, [SYS_getegid32] = (syscall_fn)sys_getegid,
  [SYS_setuid32] = (syscall_fn)sys_setuid, [SYS_setgid32] = (syscall_fn)sys_setgid,
};

/* What changes the whole machine (its code, its mounts, its power) is
 * root's alone, as CAP_SYS_MODULE, CAP_SYS_ADMIN and CAP_SYS_BOOT are on
 * Linux: one check here instead of one in every call. */
static const u8 root_only[NSYSCALL] = {
  [SYS_init_module] = 1, [SYS_delete_module] = 1, [SYS_mount] = 1, [SYS_umount2] = 1, [SYS_reboot] = 1,
};

void syscall(struct trapframe *tf) {
  syscall_fn fn = tf->eax < NSYSCALL ? table[tf->eax] : NULL;
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

