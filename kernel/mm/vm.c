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

/* After kalloc has memory: the vmalloc region's page tables. */
void vm_init_late(void) { vmalloc_init(kpgdir); }

u32 *kernel_pgdir(void) { return kpgdir; }

/* A new page directory for a process: empty user half, the kernel half
 * shared with every other directory. NULL when out of memory. */
u32 *pgdir_new(void) {
  u32 *pd = kalloc();
  if (!pd) return NULL;
  for (u32 i = KERNBASE >> 22; i < 1024; i++) pd[i] = kpgdir[i];
  return pd;
}

/* The page-table entry for va, allocating the table when create is set. */
u32 *pte_of_user(u32 *pd, u32 va, int create) {
  u32 *pde = &pd[va >> 22];
  if (!(*pde & PTE_P)) {
    if (!create) return NULL;
    u32 *pt = kalloc();
    if (!pt) return NULL;
    *pde = V2P(pt) | PTE_P | PTE_W | PTE_U;
  }
  u32 *pt = P2V(*pde & ~0xfffu);
  return &pt[(va >> 12) & 1023];
}

/* Maps a fresh zeroed user page at va (page-aligned). Returns its kernel
 * address, or NULL when out of memory. */
void *map_user_page(u32 *pd, u32 va, int writable) {
  u32 *pte = pte_of_user(pd, va, 1);
  if (!pte) return NULL;
  if (*pte & PTE_P) return P2V(*pte & ~0xfffu);
  void *page = kalloc();
  if (!page) return NULL;
  *pte = V2P(page) | PTE_P | PTE_U | (writable ? PTE_W : 0);
  return page;
}

/* The kernel address of user address va in pd if it is mapped for user
 * access (and writable when asked), else NULL. */
void *user_addr(u32 *pd, u32 va, int write) {
  if (va >= KERNBASE) return NULL;
  u32 *pte = pte_of_user(pd, va, 0);
  if (!pte || !(*pte & PTE_P) || !(*pte & PTE_U) || (write && !(*pte & PTE_W))) return NULL;
  return (u8 *)P2V(*pte & ~0xfffu) + (va & 0xfff);
}

/* Frees the user half of pd and pd itself. */
void pgdir_free(u32 *pd) {
  for (u32 i = 0; i < KERNBASE >> 22; i++) {
    if (!(pd[i] & PTE_P)) continue;
    u32 *pt = P2V(pd[i] & ~0xfffu);
    for (int j = 0; j < 1024; j++)
      if (pt[j] & PTE_P) kfree(P2V(pt[j] & ~0xfffu));
    kfree(pt);
  }
  kfree(pd);
}

void load_pgdir(u32 *pd) { __asm__ volatile("mov %0, %%cr3" : : "r"(V2P(pd)) : "memory"); }

/* After changing entries of pd: the TLB forgets them if pd is the one in
 * use (the kernel's global pages stay). */
void flush_tlb(u32 *pd) {
  u32 cr3;
  __asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
  if (cr3 == V2P(pd)) load_pgdir(pd);
}

/* How many user pages pd maps. */
u32 pgdir_user_pages(u32 *pd) {
  u32 n = 0;
  for (u32 i = 0; i < KERNBASE >> 22; i++) {
    if (!(pd[i] & PTE_P)) continue;
    u32 *pt = P2V(pd[i] & ~0xfffu);
    for (u32 j = 0; j < 1024; j++) n += pt[j] & PTE_P;
  }
  return n;
}

/* Unmaps the user pages in [va, end), page-aligned, freeing those no one
 * else maps. */
void unmap_user_range(u32 *pd, u32 va, u32 end) {
  for (; va < end && va < KERNBASE; va += PGSIZE) {
    u32 *pte = pte_of_user(pd, va, 0);
    if (!pte) { va = (va | 0x3fffff) + 1 - PGSIZE; continue; } /* no table: skip it all */
    if (*pte & PTE_P) kfree(P2V(*pte & ~0xfffu));
    *pte = 0;
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
  }
}
