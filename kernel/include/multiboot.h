/* Multiboot 1: the header a kernel carries and the information a loader passes. */
#ifndef MULTIBOOT_H
#define MULTIBOOT_H

#define MB_HEADER_MAGIC 0x1BADB002
#define MB_BOOT_MAGIC 0x2BADB002

#define MB_INFO_MEM (1 << 0)
#define MB_INFO_CMDLINE (1 << 2)
#define MB_INFO_MODS (1 << 3)
#define MB_INFO_MMAP (1 << 6)
#define MB_INFO_LOADER_NAME (1 << 9)

#ifndef __ASSEMBLER__
#include "types.h"

struct mb_info {
  u32 flags;
  u32 mem_lower; /* KiB below 1 MiB */
  u32 mem_upper; /* KiB above 1 MiB, up to the first hole */
  u32 boot_device;
  u32 cmdline;
  u32 mods_count;
  u32 mods_addr;
  u32 syms[4];
  u32 mmap_length;
  u32 mmap_addr;
  u32 drives_length;
  u32 drives_addr;
  u32 config_table;
  u32 boot_loader_name;
};

/* One memory map entry; size counts the bytes after itself. */
struct mb_mmap {
  u32 size;
  u32 addr_lo, addr_hi;
  u32 len_lo, len_hi;
  u32 type; /* 1: usable RAM */
} __attribute__((packed));

struct mb_module {
  u32 start;
  u32 end;
  u32 string;
  u32 reserved;
};
#endif
#endif
