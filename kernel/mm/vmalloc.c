/* vmalloc: memory that is contiguous in the kernel's virtual space but made
 * of scattered physical pages, for what is bigger than a page (module
 * images). The region's page tables are made at boot, before any process
 * copies the kernel half of the page directory, so every address space
 * sees later mappings. */
#include "kernel.h"
#include "module.h"
#include "memlayout.h"
#include "mmu.h"

#define NPAGES (VMALLOC_SIZE / PGSIZE)

static u16 run_len[NPAGES]; /* at the first page of an allocation: its length in pages */
static u8 used[NPAGES];

void vmalloc_init(u32 *pgdir) {
  for (u32 i = 0; i < VMALLOC_SIZE >> 22; i++) {
    u32 *pt = kalloc();
    if (!pt) panic("vmalloc: no memory for page tables");
    pgdir[(VMALLOC_BASE >> 22) + i] = V2P(pt) | PTE_P | PTE_W;
  }
}

static u32 *pte_of(u32 page) {
  u32 va = VMALLOC_BASE + page * PGSIZE;
  u32 *pt = P2V(kernel_pgdir()[va >> 22] & ~0xfffu);
  return &pt[(va >> 12) & 1023];
}

/* n pages, the first `guard` of them reserved but never mapped. */
static void *alloc_run(u32 n, u32 guard) {
  if (n == 0 || n > NPAGES) return NULL;
  for (u32 start = 0; start + n <= NPAGES; start++) {
    u32 k = 0;
    while (k < n && !used[start + k]) k++;
    if (k < n) { start += k; continue; }
    for (k = 0; k < n; k++) used[start + k] = 1;
    for (k = guard; k < n; k++) {
      void *page = kalloc();
      if (!page) {
        while (k-- > guard) { kfree(P2V(*pte_of(start + k) & ~0xfffu)); *pte_of(start + k) = 0; }
        for (k = 0; k < n; k++) used[start + k] = 0;
        return NULL;
      }
      *pte_of(start + k) = V2P(page) | PTE_P | PTE_W | PTE_G;
    }
    run_len[start] = (u16)n;
    return (void *)(VMALLOC_BASE + (start + guard) * PGSIZE);
  }
  return NULL;
}

void *vmalloc(u32 size) { return alloc_run((size + PGSIZE - 1) / PGSIZE, 0); }

/* A kernel stack: an unmapped page below it turns an overflow into a page
 * fault (then a double fault, handled on a stack of its own) instead of
 * silently overwriting whatever was allocated next to it. */
void *vmalloc_stack(u32 size) { return alloc_run((size + PGSIZE - 1) / PGSIZE + 1, 1); }

/* Whether n bytes from va are kernel memory that can be read without a
 * fault: the direct map, or mapped vmalloc pages (kernel stacks live there). */
int kernel_readable(u32 va, u32 n) {
  if (va + n < va) return 0;
  if (va >= KERNBASE && va + n <= KERNBASE + PHYSTOP_MAX) return 1;
  if (va < VMALLOC_BASE || va + n > VMALLOC_BASE + VMALLOC_SIZE) return 0;
  for (u32 p = va & ~(PGSIZE - 1); p < va + n; p += PGSIZE)
    if (!(*pte_of((p - VMALLOC_BASE) / PGSIZE) & PTE_P)) return 0;
  return 1;
}

/* Whether va is in the unmapped page below a vmalloc_stack. */
int in_stack_guard(u32 va) {
  if (va < VMALLOC_BASE || va - VMALLOC_BASE >= VMALLOC_SIZE) return 0;
  u32 page = (va - VMALLOC_BASE) / PGSIZE;
  return used[page] && run_len[page] && !(*pte_of(page) & PTE_P);
}

void vfree(void *p) {
  if (!p) return;
  u32 start = ((u32)p - VMALLOC_BASE) / PGSIZE;
  if ((u32)p >= VMALLOC_BASE && start > 0 && start < NPAGES && !run_len[start] && run_len[start - 1] &&
      !(*pte_of(start - 1) & PTE_P))
    start--; /* a stack: its run starts at the guard page */
  if ((u32)p < VMALLOC_BASE || start >= NPAGES || !run_len[start]) panic("vfree: bad address %p", p);
  for (u32 k = 0; k < run_len[start]; k++) {
    u32 *pte = pte_of(start + k);
    if (*pte & PTE_P) kfree(P2V(*pte & ~0xfffu));
    *pte = 0;
    used[start + k] = 0;
    __asm__ volatile("invlpg (%0)" : : "r"(VMALLOC_BASE + (start + k) * PGSIZE) : "memory");
  }
  run_len[start] = 0;
}

EXPORT_SYMBOL(vmalloc);
EXPORT_SYMBOL(vfree);
