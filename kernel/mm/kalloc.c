/* The physical page allocator: usable RAM above the kernel and its modules
 * and below PHYSTOP, from the Multiboot memory map, handed out in 4 KiB
 * pages by their kernel virtual address. Pages come from the free list
 * (pages given back) first, then from ranges never handed out. A page is
 * written only when it is allocated: booting touches no more memory than
 * it uses, which on an emulator (or a VM) is memory the host never has
 * to provide. */
#include "kernel.h"
#include "module.h"
#include "multiboot.h"
#include "memlayout.h"

struct run { struct run *next; };
static struct run *freelist;
/* How many page tables map each page: fork leaves a process's pages shared
 * (copy on write) until one side writes. Only user pages go above 1. */
static u8 refs[PHYSTOP_MAX / PGSIZE];
#define REF(page) refs[V2P(page) / PGSIZE]
static u32 npages_free, npages_total;

/* Physical ranges not yet handed out, [start, end), page-aligned. */
#define MAX_UNTOUCHED 8
static struct { u32 start, end; } untouched[MAX_UNTOUCHED];
static u32 nuntouched;
u32 phystop; /* end of the directly mapped physical memory */

extern char kernel_end[];

static void free_range(u32 start, u32 end, u32 reserved_end) {
  if (start < reserved_end) start = reserved_end;
  start = (start + PGSIZE - 1) & ~(PGSIZE - 1);
  end &= ~(PGSIZE - 1);
  if (end <= start || nuntouched == MAX_UNTOUCHED) return;
  untouched[nuntouched].start = start;
  untouched[nuntouched].end = end;
  nuntouched++;
  npages_free += (end - start) / PGSIZE;
  npages_total += (end - start) / PGSIZE;
}

/* reserved_end: the first physical byte not used by the kernel, the boot
 * information or the modules. */
void kalloc_init(const struct mb_info *mb, u32 reserved_end) {
  if (V2P(kernel_end) > reserved_end) reserved_end = V2P(kernel_end);
  if (mb->flags & MB_INFO_MMAP) {
    for (u32 at = mb->mmap_addr; at < mb->mmap_addr + mb->mmap_length;) {
      const struct mb_mmap *e = P2V(at);
      if (e->type == 1 && e->addr_hi == 0 && e->addr_lo >= 0x100000) {
        u32 end = e->len_hi || e->addr_lo + e->len_lo < e->addr_lo ? 0xffffffff : e->addr_lo + e->len_lo;
        if (end > phystop) phystop = end;
      }
      at += e->size + 4;
    }
  } else {
    phystop = 0x100000 + mb->mem_upper * 1024;
  }
  if (phystop > PHYSTOP_MAX) phystop = PHYSTOP_MAX;
}

/* Called once paging maps all of [0, phystop). */
void kalloc_free_memory(const struct mb_info *mb, u32 reserved_end) {
  if (V2P(kernel_end) > reserved_end) reserved_end = V2P(kernel_end);
  if (mb->flags & MB_INFO_MMAP) {
    for (u32 at = mb->mmap_addr; at < mb->mmap_addr + mb->mmap_length;) {
      const struct mb_mmap *e = P2V(at);
      if (e->type == 1 && e->addr_hi == 0) {
        u32 end = e->addr_lo + e->len_lo < e->addr_lo || e->len_hi ? 0xffffffff : e->addr_lo + e->len_lo;
        if (end > phystop) end = phystop;
        if (e->addr_lo >= 0x100000) free_range(e->addr_lo, end, reserved_end);
      }
      at += e->size + 4;
    }
  } else {
    free_range(0x100000, phystop, reserved_end);
  }
}

/* Drops a reference; the page is free when it was the last. */
void kfree(void *page) {
  if (REF(page) > 1) { REF(page)--; return; }
  REF(page) = 0;
  struct run *r = page;
  memset(page, 0x5a, PGSIZE); /* catch use after free */
  r->next = freelist;
  freelist = r;
  npages_free++;
}

/* A zeroed page, or NULL when memory is exhausted. */
void *kalloc(void) {
  struct run *r = freelist;
  if (r) {
    freelist = r->next;
  } else {
    while (nuntouched && untouched[0].start == untouched[0].end) {
      for (u32 i = 1; i < nuntouched; i++) untouched[i - 1] = untouched[i];
      nuntouched--;
    }
    if (!nuntouched) return NULL;
    r = P2V(untouched[0].start);
    untouched[0].start += PGSIZE;
  }
  npages_free--;
  memset(r, 0, PGSIZE);
  REF(r) = 1;
  return r;
}

/* Another page table maps the page (fork's copy on write). */
void page_get(void *page) { REF(page)++; }

/* Whether someone else maps the page too: a write must copy it first. */
int page_shared(void *page) { return REF(page) > 1; }

u32 kalloc_free_pages(void) { return npages_free; }
u32 kalloc_total_pages(void) { return npages_total; }

EXPORT_SYMBOL(kalloc);
EXPORT_SYMBOL(kfree);
