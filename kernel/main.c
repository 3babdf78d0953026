/* The kernel's C entry point, called from boot.S. */
#include "kernel.h"
#include "multiboot.h"
#include "x86.h"

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
    printk("command line: \"%s\"\n", (const char *)mb->cmdline);
  else
    printk("command line: none\n");
  if (mb->flags & MB_INFO_MODS)
    printk("modules: %u\n", mb->mods_count);
}

void kmain(u32 magic, const struct mb_info *mb) {
  console_init();
  if (magic != MB_BOOT_MAGIC) {
    printk("not started by a Multiboot loader (eax=%x); halting\n", magic);
    halt_forever();
  }
  banner(mb);
  /* "exit=N" on the command line: leave through the debug-exit port, so
   * the emulator (or QEMU with isa-debug-exit) ends with status 2N+1. */
  const char *cmd = (mb->flags & MB_INFO_CMDLINE) ? (const char *)mb->cmdline : "";
  const char *e = strstr(cmd, "exit=");
  if (e) {
    u32 code = 0;
    for (e += 5; *e >= '0' && *e <= '9'; e++) code = code * 10 + (u32)(*e - '0');
    printk("exiting with code %u\n", code);
    outl(DEBUG_EXIT_PORT, code);
  }
  printk("no shell yet: halted\n");
  halt_forever();
}
