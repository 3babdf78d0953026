/* The kernel's C entry point, called from boot.S in the higher half with
 * the Multiboot magic and the physical address of the boot information. */
#include "kernel.h"
#include "multiboot.h"
#include "memlayout.h"
#include "x86.h"
#include "proc.h"
#include "fs.h"
#include "tty.h"

#define DEBUG_EXIT_PORT 0xF4

static void banner(const struct mb_info *mb) {
  printk("wasm386 teaching kernel 0.1\n");
  if (mb->flags & MB_INFO_MEM) {
    /* Rounded up: firmware keeps a little at the top of RAM for itself. */
    u32 total_mib = (mb->mem_upper + 1024 + 1023) / 1024;
    printk("memory: %u MiB\n", total_mib);
  } else {
    printk("memory: not reported by the loader\n");
  }
  if (mb->flags & MB_INFO_CMDLINE)
    printk("command line: \"%s\"\n", (const char *)P2V(mb->cmdline));
  else
    printk("command line: none\n");
  if (mb->flags & MB_INFO_MODS)
    printk("modules: %u\n", mb->mods_count);
}

/* The end of everything the loader placed in memory: the information
 * structure, the memory map, the strings, the modules. Physical pages
 * below it are not handed out. */
static u32 loader_end(u32 mb_phys, const struct mb_info *mb) {
  u32 end = mb_phys + sizeof *mb;
#define MAX(v) do { if ((v) > end) end = (v); } while (0)
  if (mb->flags & MB_INFO_MMAP) MAX(mb->mmap_addr + mb->mmap_length);
  if (mb->flags & MB_INFO_CMDLINE) MAX(mb->cmdline + strlen(P2V(mb->cmdline)) + 1);
  if (mb->flags & MB_INFO_LOADER_NAME) MAX(mb->boot_loader_name + strlen(P2V(mb->boot_loader_name)) + 1);
  if (mb->flags & MB_INFO_MODS) {
    const struct mb_module *m = P2V(mb->mods_addr);
    MAX(mb->mods_addr + mb->mods_count * sizeof *m);
    for (u32 i = 0; i < mb->mods_count; i++) {
      MAX(m[i].end);
      if (m[i].string) MAX(m[i].string + strlen(P2V(m[i].string)) + 1);
    }
  }
#undef MAX
  return end;
}

/* A number after "name=" on the command line, or -1. */
static int option(const char *cmd, const char *name) {
  const char *e = strstr(cmd, name);
  if (!e) return -1;
  int v = 0;
  for (e += strlen(name); *e >= '0' && *e <= '9'; e++) v = v * 10 + (*e - '0');
  return v;
}

static char init_path[64] = "/init";
static char cmdline[256];
const char *kernel_cmdline = cmdline; /* for /proc/cmdline */

/* The root filesystem: a ramfs holding the initrd's files, with devices
 * at /dev. */
static void mount_root(const u8 *initrd, u32 size) {
  vfs_init();
  if (vfs_mount("rootfs", "/", "ramfs") < 0) panic("cannot mount the root filesystem");
  int err = initrd ? ramfs_unpack_cpio(initrd, size) : 0;
  if (err < 0) printk("initrd: unpacked with errors (%d)\n", err);
  struct inode *dir, *ip;
  char name[NAME_MAX + 1];
  if (namei("/dev", &ip) == 0) iput(ip);
  else if (namei_parent("/dev", &dir, name) == 0) {
    dir->ops->create(dir, name, S_IFDIR | 0755, 0, NULL);
    iput(dir);
  }
  if ((err = vfs_mount("devtmpfs", "/dev", "devtmpfs")) < 0) printk("cannot mount /dev: error %d\n", err);
}

/* init's arguments: its path, then, as Linux passes them, the words after
 * " -- " on the command line; then its environment, Linux's: HOME=/ and
 * TERM=linux. Returns the arguments' count. */
static int init_args(const char *cmdline, char *buf, u32 size, u32 *len) {
  int argc = 1;
  u32 n = strlen(init_path) + 1;
  memcpy(buf, init_path, n);
  const char *rest = strstr(cmdline, " -- ");
  if (rest) {
    for (rest += 4; *rest;) {
      while (*rest == ' ') rest++;
      if (!*rest) break;
      while (*rest && *rest != ' ' && n + 1 < size) buf[n++] = *rest++;
      buf[n++] = 0;
      argc++;
    }
  }
  static const char env[] = "HOME=/\0TERM=linux";
  if (n + sizeof env > size) n = size - sizeof env;
  memcpy(buf + n, env, sizeof env);
  *len = n + sizeof env;
  return argc;
}

/* Starts the first process ("init=/path" on the command line picks
 * another, as on Linux) and the scheduler. Returns only if there is no
 * such program. */
static void start_init(const char *cmdline) {
  const char *o = strstr(cmdline, "init=/");
  if (o) {
    u32 i = 0;
    for (o += 5; *o && *o != ' ' && i + 1 < sizeof init_path; o++) init_path[i++] = *o;
    init_path[i] = 0;
  }
  struct inode *ip;
  if (namei(init_path, &ip) < 0) {
    printk("no %s on the root filesystem\n", init_path);
    return;
  }
  iput(ip);
  static char args[256];
  u32 len;
  int argc = init_args(cmdline, args, sizeof args, &len);
  user_init(init_path, args, len, argc, 2);
  scheduler();
}

void kmain(u32 magic, u32 mb_phys) {
  console_init();
  if (magic != MB_BOOT_MAGIC) {
    printk("not started by a Multiboot loader (eax=%x); halting\n", magic);
    halt_forever();
  }
  const struct mb_info *mb = P2V(mb_phys);
  banner(mb);
  const char *cmd = (mb->flags & MB_INFO_CMDLINE) ? (const char *)P2V(mb->cmdline) : "";
  /* Copy what is still needed from low memory before the boot mapping goes. */
  strncpy_safe(cmdline, cmd, sizeof cmdline);

  u32 reserved = loader_end(mb_phys, mb);
  kalloc_init(mb, reserved);
  vm_init();
  kalloc_free_memory(mb, reserved);
  vm_init_late();
  gdt_init();
  idt_init();
  fpu_init();
  pic_init();
  timer_init();
  rtc_read_boot_time();
  random_init();
  __asm__ volatile("sti");

  int n = option(cmdline, "ticks=");
  if (n > 0) {
    while (ticks < (u32)n) __asm__ volatile("hlt");
    printk("%u timer ticks\n", (u32)n);
  }
  if (strstr(cmdline, "panictest")) *(volatile u32 *)0x10 = 1; /* nothing is mapped at 0 any more */

  /* The initrd (module 0) holds /init: the first user process. */
  if ((mb->flags & MB_INFO_MODS) && mb->mods_count > 0 && option(cmdline, "exit=") < 0) {
    const struct mb_module *m = P2V(mb->mods_addr);
    mount_root(P2V(m[0].start), m[0].end - m[0].start);
    tty_init();
    start_init(cmdline);
  }

  /* "exit=N" on the command line: leave through the debug-exit port, so
   * the emulator (or QEMU with isa-debug-exit) ends with status 2N+1. */
  int code = option(cmdline, "exit=");
  if (code >= 0) {
    printk("exiting with code %u\n", (u32)code);
    outl(DEBUG_EXIT_PORT, (u32)code);
  }
  printk("no shell yet: halted\n");
  halt_forever();
}
