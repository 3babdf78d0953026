/* Isolation attacks: each runs in a child process as an ordinary user
 * program and must fail; the parent prints one line per attack with how
 * it was stopped. A line with "NOT BLOCKED" means the kernel let it through.
 * Started as root, it first becomes the ordinary user 1000: root may load
 * modules, which is ring-0 code, so isolation is about everyone else. */
#include "stdio.h"
#include "stdlib.h"
#include "string.h"
#include "unistd.h"
#include "fcntl.h"
#include "errno.h"
#include "signal.h"
#include "sys/wait.h"
#include "sys/mman.h"
#include "sys/mount.h"
#include "sys/reboot.h"
#include "module.h"

#define KERNEL ((volatile unsigned *)0xC0100000)

/* Each attack returns 0 when it got nothing (an error or no effect),
 * 1 when it worked; a fault kills the child instead. */
static int read_kernel(void) { return *KERNEL | 1; }
static int write_kernel(void) { *KERNEL = 0; return 1; }
static int jump_kernel(void) { ((void (*)(void))0xC0100000)(); return 1; }
static int kernel_selector(void) { __asm__ volatile("mov %0, %%ds" : : "r"(0x10)); return 1; }
static int do_lgdt(void) { unsigned long long d = 0; __asm__ volatile("lgdt %0" : : "m"(d)); return 1; }
static int do_lidt(void) { unsigned long long d = 0; __asm__ volatile("lidt %0" : : "m"(d)); return 1; }
static int do_ltr(void) { __asm__ volatile("ltr %0" : : "r"((unsigned short)0x28)); return 1; }
static int mov_cr3(void) { __asm__ volatile("mov %0, %%cr3" : : "r"(0)); return 1; }
static int int_dpl0(void) { __asm__ volatile("int $0x20"); return 1; }
static int disk_port(void) { unsigned char v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"((unsigned short)0x1f7)); return 1; }
static int disk_port_out(void) { __asm__ volatile("outb %0, %1" : : "a"((unsigned char)0xec), "Nd"((unsigned short)0x1f7)); return 1; }

/* popf cannot raise IOPL in ring 3; with IOPL still 0, cli must fault. */
static int popf_iopl(void) {
  __asm__ volatile("pushf; orl $0x3000, (%%esp); popf" : : : "memory", "cc");
  __asm__ volatile("cli");
  return 1;
}

/* Nor can iret (to the same ring). */
static int iret_iopl(void) {
  __asm__ volatile(
    "pushl %%ss; pushl %%esp; addl $4, (%%esp); pushf; orl $0x3000, (%%esp); pushl %%cs; pushl $1f; iret; 1:"
    : : : "memory", "cc");
  __asm__ volatile("cli");
  return 1;
}

static int span_buffer(void) { return write(1, (void *)(0xC0000000 - 8), 16) >= 0; }
static int brk_kernel(void) { return brk((void *)0xC0001000) == 0; }
static int mmap_kernel(void) {
  return mmap((void *)0xC0000000, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED;
}

/* Another process's memory: the same address in two processes holds each
 * its own data, and nothing maps the other's pages. */
static int other_process(void) {
  static volatile unsigned secret = 0;
  int fds[2];
  pipe(fds);
  pid_t pid = fork();
  if (pid == 0) { secret = 0xabcdef; write(fds[1], "x", 1); sleep(2); _exit(0); }
  char c;
  read(fds[0], &c, 1);
  int seen = secret == 0xabcdef;
  kill(pid, SIGKILL);
  waitpid(pid, 0, 0);
  return seen;
}

static int bad_elf_errno(const char *name, const void *bytes, unsigned len, int expected) {
  char path[64];
  snprintf(path, sizeof path, "/tmp/%s", name);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
  write(fd, bytes, len);
  close(fd);
  char *argv[] = {path, 0};
  execve(path, argv, 0);
  return errno == expected ? 0 : 1;
}

static int bad_elf(const char *name, const void *bytes, unsigned len) { return bad_elf_errno(name, bytes, len, ENOEXEC); }

static int elf_truncated(void) { return bad_elf("truncated", "\x7f" "ELF\x01\x01\x01", 7); }
static int elf_wrong_machine(void) {
  unsigned char h[52] = {0x7f, 'E', 'L', 'F', 1, 1, 1};
  h[16] = 2; h[18] = 62; /* ET_EXEC, EM_X86_64 */
  return bad_elf("machine", h, sizeof h);
}
static int elf_kernel_segment(void) {
  /* a program header asking to be loaded over the kernel */
  unsigned char f[52 + 32] = {0x7f, 'E', 'L', 'F', 1, 1, 1};
  unsigned *w = (unsigned *)f;
  f[16] = 2; f[18] = 3; w[5] = 1; w[6] = 0xC0100000; w[7] = 52; /* version, entry, phoff */
  f[42] = 32; f[44] = 1; /* phentsize, phnum */
  unsigned *ph = (unsigned *)(f + 52);
  ph[0] = 1; ph[1] = 0; ph[2] = 0xC0100000; ph[4] = 84; ph[5] = 4096; ph[6] = 7;
  return bad_elf("kernelseg", f, sizeof f);
}

/* A program at address 0 could fill page 0, which LDTR covers after reset,
 * with descriptors: a call gate into ring 0. Nothing maps below 64 KiB. */
static int elf_page_zero(void) {
  /* if it loads, its code (after the headers) says so: exit(42) */
  static const unsigned char code[] = {0xb8, 1, 0, 0, 0, 0xbb, 42, 0, 0, 0, 0xcd, 0x80};
  unsigned char f[52 + 32 + sizeof code] = {0x7f, 'E', 'L', 'F', 1, 1, 1};
  unsigned *w = (unsigned *)f;
  f[16] = 2; f[18] = 3; w[5] = 1; w[6] = 84; w[7] = 52; /* entry: the code at 84 */
  f[42] = 32; f[44] = 1;
  unsigned *ph = (unsigned *)(f + 52);
  ph[0] = 1; ph[1] = 0; ph[2] = 0; ph[4] = sizeof f; ph[5] = 4096; ph[6] = 7;
  memcpy(f + 84, code, sizeof code);
  return bad_elf_errno("pagezero", f, sizeof f, EPERM);
}
static int mmap_page_zero(void) {
  return mmap((void *)0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED;
}
/* The LDT is empty: its selectors do not load, and no call gate is there. */
static int ldt_selector(void) { __asm__ volatile("mov %0, %%gs" : : "r"(0x7)); return 1; }
static int ldt_call_gate(void) { __asm__ volatile("lcall $0x7, $0"); return 1; }
static int lldt_ring3(void) { __asm__ volatile("lldt %0" : : "r"((unsigned short)0)); return 1; }

/* What only root may do. */
static int load_module(void) {
  static char image[8192];
  int fd = open("/lib/modules/hello.ko", O_RDONLY);
  int n = (int)read(fd, image, sizeof image);
  close(fd);
  return n > 0 && init_module(image, (unsigned)n, "") == 0;
}
static int remove_module(void) { return delete_module("serial", 0) == 0; }
static int do_mount(void) { return mount("none", "/tmp", "tmpfs", 0, 0) == 0; }
static int do_umount(void) { return umount("/proc") == 0; }
static int do_reboot(void) { return reboot(0x4321fedc) == 0; }
static int open_console(void) { return open("/dev/console", O_RDWR) >= 0; }
static int write_passwd(void) { return open("/etc/passwd", O_WRONLY | O_APPEND) >= 0; }
static int unlink_shell(void) { return unlink("/bin/sh") == 0; }
static int become_root(void) { return setuid(0) == 0 || getuid() == 0 || geteuid() == 0; }

static const struct { const char *what; int (*attack)(void); } attacks[] = {
  {"read kernel memory", read_kernel},
  {"write kernel memory", write_kernel},
  {"read another process's memory", other_process},
  {"jump into kernel code", jump_kernel},
  {"load a kernel data selector", kernel_selector},
  {"lgdt in ring 3", do_lgdt},
  {"lidt in ring 3", do_lidt},
  {"ltr in ring 3", do_ltr},
  {"mov to cr3 in ring 3", mov_cr3},
  {"int to a DPL 0 gate", int_dpl0},
  {"raise IOPL with popf, then cli", popf_iopl},
  {"raise IOPL with iret, then cli", iret_iopl},
  {"in from the disk's status port", disk_port},
  {"out to the disk's command port", disk_port_out},
  {"system call buffer spanning into the kernel", span_buffer},
  {"execve of a truncated ELF file", elf_truncated},
  {"execve of an ELF for another machine", elf_wrong_machine},
  {"execve of an ELF loading over the kernel", elf_kernel_segment},
  {"brk into kernel addresses", brk_kernel},
  {"mmap2 at a kernel address", mmap_kernel},
  {"execve of an ELF loading at address 0", elf_page_zero},
  {"mmap2 at address 0", mmap_page_zero},
  {"load an LDT selector", ldt_selector},
  {"call through an LDT call gate", ldt_call_gate},
  {"lldt in ring 3", lldt_ring3},
  {"insmod as an ordinary user", load_module},
  {"rmmod as an ordinary user", remove_module},
  {"mount as an ordinary user", do_mount},
  {"umount as an ordinary user", do_umount},
  {"reboot as an ordinary user", do_reboot},
  {"open a root-only device (/dev/console)", open_console},
  {"write a file root owns (/etc/passwd)", write_passwd},
  {"unlink from a directory root owns (/bin/sh)", unlink_shell},
  {"setuid(0) after giving root up", become_root},
};

int main(void) {
  int blocked = 0, n = sizeof attacks / sizeof attacks[0];
  if (geteuid() == 0 && (setgid(1000) < 0 || setuid(1000) < 0)) { perror("attacks: cannot become user 1000"); return 1; }
  printf("attacks: running as uid %u\n", getuid());
  for (int i = 0; i < n; i++) {
    pid_t pid = fork();
    if (pid == 0) _exit(attacks[i].attack() ? 42 : 0);
    int status = 0;
    waitpid(pid, &status, 0);
    const char *how;
    char buf[48];
    if (WIFSIGNALED(status)) {
      snprintf(buf, sizeof buf, "blocked: killed by %s", signal_name(WTERMSIG(status)));
      how = buf;
      blocked++;
    } else if (WEXITSTATUS(status) == 0) {
      how = "blocked: failed, no effect";
      blocked++;
    } else {
      how = "NOT BLOCKED";
    }
    printf("%-45s %s\n", attacks[i].what, how);
  }
  printf("%d of %d attacks blocked\n", blocked, n);
  return blocked == n ? 0 : 1;
}
