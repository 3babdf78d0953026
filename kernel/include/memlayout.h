/* The kernel's address space: all of physical memory (up to PHYSTOP_MAX)
 * is mapped at KERNBASE, and the kernel is linked at KERNBASE + 1 MiB. */
#ifndef MEMLAYOUT_H
#define MEMLAYOUT_H
#define KERNBASE 0xC0000000
#define KERNLINK (KERNBASE + 0x100000)
#define PHYSTOP_MAX 0x38000000 /* 896 MiB: the rest of the top 1 GiB is for mappings */
#define PGSIZE 4096
#define VMALLOC_BASE 0xF8000000 /* vmalloc: just above the mapped physical memory */
#define VMALLOC_SIZE 0x01000000

#ifndef __ASSEMBLER__
#define V2P(a) ((u32)(a) - KERNBASE)
#define P2V(a) ((void *)((u32)(a) + KERNBASE))
#endif
#endif
