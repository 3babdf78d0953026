/* The kernel's page directory: all of physical memory up to phystop mapped
 * at KERNBASE with 4 MiB global pages, supervisor only. Every process's
 * directory will share these entries. */
#include "kernel.h"
#include "memlayout.h"
#include "mmu.h"

static u32 kpgdir[1024] __attribute__((aligned(PGSIZE)));

void vm_init(void) {
  for (u32 pa = 0; pa < phystop; pa += 0x400000)
    kpgdir[(KERNBASE + pa) >> 22] = pa | PTE_P | PTE_W | PTE_PS | PTE_G;
  u32 cr4;
  __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
  __asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_PSE | CR4_PGE));
  __asm__ volatile("mov %0, %%cr3" : : "r"(V2P(kpgdir)) : "memory");
}

u32 *kernel_pgdir(void) { return kpgdir; }
