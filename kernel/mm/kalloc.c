/* The physical page allocator: a free list of 4 KiB pages, built from the
 * Multiboot memory map, covering usable RAM above the kernel and its
 * modules and below PHYSTOP. Pages are handed out by their kernel virtual
 * address. */
#include "kernel.h"
#include "module.h"
#include "multiboot.h"
#include "memlayout.h"

struct run { struct run *next; };
static struct run *freelist;
static u32 npages_free, npages_total;
u32 phystop; /* end of the directly mapped physical memory */

extern char kernel_end[];

static void free_range(u32 start, u32 end, u32 reserved_end) {
  if (start < reserved_end) start = reserved_end;
  start = (start + PGSIZE - 1) & ~(PGSIZE - 1);
  for (u32 p = start; p + PGSIZE <= end; p += PGSIZE) {
    struct run *r = P2V(p); /* no poisoning here: touching all of RAM at boot is slow */
    r->next = freelist;
    freelist = r;
    npages_free++;
    npages_total++;
  }
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

void kfree(void *page) {
  struct run *r = page;
  memset(page, 0x5a, PGSIZE); /* catch use after free */
  r->next = freelist;
  freelist = r;
  npages_free++;
}

/* A zeroed page, or NULL when memory is exhausted. */
void *kalloc(void) {
  struct run *r = freelist;
  if (!r) return NULL;
  freelist = r->next;
  npages_free--;
  memset(r, 0, PGSIZE);
  return r;
}

u32 kalloc_free_pages(void) { return npages_free; }
u32 kalloc_total_pages(void) { return npages_total; }

EXPORT_SYMBOL(kalloc);
EXPORT_SYMBOL(kfree);
