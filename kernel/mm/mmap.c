/* Address spaces: the areas (VMAs) of a process, the page faults that fill
 * them, fork's copy on write, and the memory system calls (brk, mmap2,
 * munmap, mprotect, mremap) with Linux's rules and error numbers.
 *
 * A page table entry follows its area: present pages have PTE_U unless the
 * area is PROT_NONE, and PTE_W when the area is writable and the page is
 * this space's alone. A page fork left shared is read-only in both spaces
 * until one writes (mm_fault copies it then). */
#include "kernel.h"
#include "module.h"
#include "proc.h"
#include "mm.h"
#include "memlayout.h"
#include "mmu.h"

#define PAGE_UP(a) (((a) + PGSIZE - 1) & ~(PGSIZE - 1))

/* The stack area ends at USTACK_TOP; mappings stay below it. */
#define STACK_BOTTOM (USTACK_TOP - STACK_MAX)

u32 mm_stack_top(void) { return USTACK_TOP; }

/* A table, as the processes are: never more spaces than processes, and
 * no kmalloc, whose pages stay with it once taken. */
static struct mm mms[NPROC];

struct mm *mm_new(void) {
  struct mm *mm = mms;
  while (mm < &mms[NPROC] && mm->refs) mm++;
  if (mm == &mms[NPROC]) return NULL;
  memset(mm, 0, sizeof *mm);
  mm->pgdir = pgdir_new();
  if (!mm->pgdir) return NULL;
  mm->refs = 1;
  return mm;
}

void mm_put(struct mm *mm) {
  if (!mm || --mm->refs > 0) return;
  pgdir_free(mm->pgdir);
  mm->pgdir = NULL;
}

/* The index of the area holding va, or -1. */
static int vma_find(struct mm *mm, u32 va) {
  for (u32 i = 0; i < mm->nvma; i++)
    if (va >= mm->vma[i].start && va < mm->vma[i].end) return (int)i;
  return -1;
}

static int vma_insert_at(struct mm *mm, u32 i, struct vma v) {
  if (mm->nvma == NVMA) return -ENOMEM;
  for (u32 k = mm->nvma; k > i; k--) mm->vma[k] = mm->vma[k - 1];
  mm->vma[i] = v;
  mm->nvma++;
  return 0;
}

static void vma_remove_at(struct mm *mm, u32 i) {
  for (u32 k = i; k + 1 < mm->nvma; k++) mm->vma[k] = mm->vma[k + 1];
  mm->nvma--;
}

/* Splits the area holding va (if any) so that one starts exactly at va. */
static int vma_split(struct mm *mm, u32 va) {
  int i = vma_find(mm, va);
  if (i < 0 || mm->vma[i].start == va) return 0;
  struct vma upper = mm->vma[i];
  upper.start = va;
  int err = vma_insert_at(mm, (u32)i + 1, upper);
  if (err == 0) mm->vma[i].end = va;
  return err;
}

/* Joins neighbours that touch and have the same flags, so that repeated
 * mprotect and brk calls do not use the table up. */
static void vma_merge(struct mm *mm) {
  for (u32 i = 0; i + 1 < mm->nvma;) {
    struct vma *a = &mm->vma[i], *b = &mm->vma[i + 1];
    if (a->end == b->start && a->flags == b->flags) { a->end = b->end; vma_remove_at(mm, i + 1); }
    else i++;
  }
}

/* The page table bits a present page of an area with these flags gets. */
static u32 pte_bits(u32 flags, void *page) {
  if (!(flags & (PROT_READ | PROT_WRITE | PROT_EXEC))) return PTE_P; /* PROT_NONE: supervisor only */
  u32 bits = PTE_P | PTE_U;
  if ((flags & PROT_WRITE) && ((flags & VMA_SHARED) || !page_shared(page))) bits |= PTE_W;
  return bits;
}

/* Sets the protection of the present pages in [start, end) from flags. */
static void protect_pages(struct mm *mm, u32 start, u32 end, u32 flags) {
  for (u32 va = start; va < end; va += PGSIZE) {
    u32 *pte = pte_of_user(mm->pgdir, va, 0);
    if (!pte) { va = (va | 0x3fffff) + 1 - PGSIZE; continue; }
    if (*pte & PTE_P) *pte = (*pte & ~0xfffu) | pte_bits(flags, P2V(*pte & ~0xfffu));
  }
  flush_tlb(mm->pgdir);
}

/* Takes [start, end) out of every area and frees its pages. */
static int unmap_range(struct mm *mm, u32 start, u32 end) {
  int err = vma_split(mm, start);
  if (!err) err = vma_split(mm, end);
  if (err) return err;
  for (u32 i = 0; i < mm->nvma;) {
    if (mm->vma[i].start >= start && mm->vma[i].end <= end) vma_remove_at(mm, i);
    else i++;
  }
  unmap_user_range(mm->pgdir, start, end);
  return 0;
}

/* [start, end) (page-aligned) becomes one area with flags, replacing
 * whatever was there. Its pages arrive on first touch. */
int mm_map(struct mm *mm, u32 start, u32 end, u32 flags) {
  int err = unmap_range(mm, start, end);
  if (err) return err;
  u32 i = 0;
  while (i < mm->nvma && mm->vma[i].start < start) i++;
  err = vma_insert_at(mm, i, (struct vma){start, end, flags});
  if (!err) vma_merge(mm);
  return err;
}

/* Whether no area overlaps [start, end). */
static int range_free(struct mm *mm, u32 start, u32 end) {
  for (u32 i = 0; i < mm->nvma; i++)
    if (start < mm->vma[i].end && end > mm->vma[i].start) return 0;
  return 1;
}

/* A place for len bytes: the hint if it is free, else the first free
 * range from MMAP_BASE up to the stack. 0 when there is none. */
static u32 find_free(struct mm *mm, u32 hint, u32 len) {
  if (hint >= USER_MIN && hint + len > hint && hint + len <= STACK_BOTTOM && range_free(mm, hint, hint + len))
    return hint;
  u32 at = MMAP_BASE;
  for (u32 i = 0; i <= mm->nvma; i++) {
    u32 next = i < mm->nvma ? mm->vma[i].start : STACK_BOTTOM;
    if (next > STACK_BOTTOM) next = STACK_BOTTOM;
    if (next >= at && next - at >= len) return at;
    if (i < mm->nvma && mm->vma[i].end > at) at = mm->vma[i].end;
  }
  return 0;
}

/* A page fault at va in user space (or the kernel touching user memory):
 * a page of an area arrives, or a shared page is copied for a write.
 * 0 when the access may now go ahead, -1 when it is a fault. */
int mm_fault(struct mm *mm, u32 va, int write) {
  int i = vma_find(mm, va);
  if (i < 0) return -1;
  u32 flags = mm->vma[i].flags;
  if (!(flags & (PROT_READ | PROT_WRITE | PROT_EXEC)) || (write && !(flags & PROT_WRITE))) return -1;
  u32 *pte = pte_of_user(mm->pgdir, va & ~(PGSIZE - 1), 1);
  if (!pte) return -1;
  if (!(*pte & PTE_P)) {
    void *page = kalloc();
    if (!page) return -1;
    *pte = V2P(page) | pte_bits(flags, page);
  } else if (write && !(*pte & PTE_W)) {
    void *old = P2V(*pte & ~0xfffu);
    if (page_shared(old)) {
      void *page = kalloc();
      if (!page) return -1;
      memcpy(page, old, PGSIZE);
      kfree(old); /* one reference fewer */
      *pte = V2P(page) | pte_bits(flags, page);
    } else {
      *pte |= PTE_W; /* the other sharer is gone */
    }
  } else {
    return 0; /* mapped meanwhile (the TLB may hold the old entry) */
  }
  __asm__ volatile("invlpg (%0)" : : "r"(va & ~(PGSIZE - 1)) : "memory");
  return 0;
}

/* fork: a new space with the same areas, sharing every present page. The
 * writable ones become read-only in both, to be copied at the first write
 * (shared anonymous memory stays shared and writable). */
struct mm *mm_fork(struct mm *mm) {
  struct mm *c = mm_new();
  if (!c) return NULL;
  c->brk_start = mm->brk_start;
  c->brk = mm->brk;
  c->nvma = mm->nvma;
  memcpy(c->vma, mm->vma, sizeof c->vma);
  for (u32 i = 0; i < mm->nvma; i++) {
    struct vma *v = &mm->vma[i];
    for (u32 va = v->start; va < v->end; va += PGSIZE) {
      u32 *pte = pte_of_user(mm->pgdir, va, 0);
      if (!pte) { va = (va | 0x3fffff) + 1 - PGSIZE; continue; }
      if (!(*pte & PTE_P)) continue;
      u32 *cpte = pte_of_user(c->pgdir, va, 1);
      if (!cpte) { mm_put(c); flush_tlb(mm->pgdir); return NULL; }
      void *page = P2V(*pte & ~0xfffu);
      page_get(page);
      if (!(v->flags & VMA_SHARED)) *pte &= ~(u32)PTE_W;
      *cpte = *pte;
    }
  }
  flush_tlb(mm->pgdir);
  return c;
}

/* Whether va is the same page of memory in both spaces (MAP_SHARED
 * memory after fork), for futex. */
int mm_same_page(struct mm *a, struct mm *b, u32 va) {
  u32 *pa = pte_of_user(a->pgdir, va, 0), *pb = pte_of_user(b->pgdir, va, 0);
  return pa && pb && (*pa & PTE_P) && (*pb & PTE_P) && (*pa & ~0xfffu) == (*pb & ~0xfffu);
}

u32 mm_pages(struct mm *mm) { return mm ? pgdir_user_pages(mm->pgdir) : 0; }

/* brk(addr): moves the end of the heap and returns the new end; on
 * failure, the old one, as Linux does. The heap may not run into another
 * area, nor past MMAP_BASE. Its pages are there at once (Linux's come on
 * first touch): a small program's heap costs no faults. */
int sys_brk(u32 addr) {
  struct mm *mm = curproc->mm;
  if (addr < mm->brk_start || addr > MMAP_BASE) return (int)mm->brk;
  u32 old_end = PAGE_UP(mm->brk), new_end = PAGE_UP(addr);
  if (new_end > old_end) {
    if (!range_free(mm, old_end, new_end) || mm_map(mm, old_end, new_end, PROT_READ | PROT_WRITE) < 0)
      return (int)mm->brk;
    for (u32 va = old_end; va < new_end; va += PGSIZE) /* at once, as this kernel always has */
      if (mm_fault(mm, va, 1) < 0) {
        unmap_range(mm, old_end, new_end);
        return (int)mm->brk;
      }
  } else if (new_end < old_end && unmap_range(mm, new_end, old_end) < 0) {
    return (int)mm->brk;
  }
  mm->brk = addr;
  return (int)addr;
}

/* Reads a file's bytes into a private mapping's pages now (there is no
 * page cache to map them from); past the end of the file stays zero. */
static int fill_from_file(struct mm *mm, u32 addr, u32 len, struct file *f, u32 off) {
  struct inode *ip = f->ip;
  for (u32 done = 0; done < len && off + done < ip->size; done += PGSIZE) {
    u32 *pte = pte_of_user(mm->pgdir, addr + done, 1);
    void *page = pte ? kalloc() : NULL;
    if (!page) return -ENOMEM;
    *pte = V2P(page) | PTE_P; /* the area's protection comes after */
    u32 n = ip->size - (off + done) < PGSIZE ? ip->size - (off + done) : PGSIZE;
    int r = ip->ops->read(ip, page, off + done, n, 0);
    if (r < 0) return r;
  }
  return 0;
}

/* mmap2: anonymous memory (private, or shared with the children forked
 * later), and private or read-only copies of regular files. A hint is
 * taken when that range is free; MAP_FIXED replaces what was there. */
int sys_mmap2(u32 addr, u32 len, u32 prot, u32 flags, u32 fd, u32 pgoff) {
  struct mm *mm = curproc->mm;
  u32 type = flags & (MAP_SHARED | MAP_PRIVATE);
  if (len == 0 || len > STACK_BOTTOM || (type != MAP_SHARED && type != MAP_PRIVATE)) return -EINVAL;
  if (prot & ~(u32)(PROT_READ | PROT_WRITE | PROT_EXEC)) return -EINVAL;
  len = PAGE_UP(len);
  struct file *f = NULL;
  if (!(flags & MAP_ANONYMOUS)) {
    f = fd_file(fd);
    if (!f) return -EBADF;
    if (!f->ip || !S_ISREG(f->ip->mode)) return -ENODEV;
    if ((f->flags & O_ACCMODE) == O_WRONLY) return -EACCES;
    if (type == MAP_SHARED && (prot & PROT_WRITE)) return -ENODEV; /* writes would not reach the file */
    if (pgoff > 0xfffff) return -EINVAL;
  }
  if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
    if ((addr & (PGSIZE - 1)) || addr < USER_MIN || addr + len < addr || addr + len > USTACK_TOP) return -EINVAL;
    if ((flags & MAP_FIXED_NOREPLACE) && !(flags & MAP_FIXED) && !range_free(mm, addr, addr + len)) return -EEXIST;
  } else {
    addr = find_free(mm, addr & ~(PGSIZE - 1), len);
    if (!addr) return -ENOMEM;
  }
  u32 vflags = prot | (type == MAP_SHARED && !f ? VMA_SHARED : 0);
  int err = mm_map(mm, addr, addr + len, vflags);
  if (!err && f) err = fill_from_file(mm, addr, len, f, pgoff * PGSIZE);
  else if (!err && (vflags & VMA_SHARED))
    for (u32 va = addr; va < addr + len && !err; va += PGSIZE) /* present now, so fork shares them */
      if (mm_fault(mm, va, 0) < 0) err = -ENOMEM;
  if (err) { unmap_range(mm, addr, addr + len); return err; }
  protect_pages(mm, addr, addr + len, vflags);
  return (int)addr;
}

static int user_range(u32 addr, u32 len) {
  return !(addr & (PGSIZE - 1)) && addr >= USER_MIN && addr + len >= addr && addr + len <= USTACK_TOP;
}

int sys_munmap(u32 addr, u32 len) {
  if (len == 0 || !user_range(addr, PAGE_UP(len))) return -EINVAL;
  return unmap_range(curproc->mm, addr, addr + PAGE_UP(len));
}

/* mprotect: every page of the range must be in an area (else ENOMEM);
 * the areas are cut at its ends and given the new protection. */
int sys_mprotect(u32 addr, u32 len, u32 prot) {
  struct mm *mm = curproc->mm;
  if ((addr & (PGSIZE - 1)) || (prot & ~(u32)(PROT_READ | PROT_WRITE | PROT_EXEC))) return -EINVAL;
  u32 end = addr + PAGE_UP(len);
  if (end < addr) return -ENOMEM;
  if (end == addr) return 0;
  for (u32 va = addr; va < end;) {
    int i = vma_find(mm, va);
    if (i < 0) return -ENOMEM;
    va = mm->vma[i].end;
  }
  int err = vma_split(mm, addr);
  if (!err) err = vma_split(mm, end);
  if (err) return err;
  for (u32 i = 0; i < mm->nvma; i++)
    if (mm->vma[i].start >= addr && mm->vma[i].end <= end)
      mm->vma[i].flags = (mm->vma[i].flags & VMA_SHARED) | prot;
  for (u32 i = 0; i < mm->nvma; i++)
    if (mm->vma[i].start >= addr && mm->vma[i].end <= end)
      protect_pages(mm, mm->vma[i].start, mm->vma[i].end, mm->vma[i].flags);
  vma_merge(mm);
  return 0;
}

#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2

/* Moves the present pages of [from, from + len) to `to` (a free range). */
static int move_pages(struct mm *mm, u32 from, u32 to, u32 len) {
  for (u32 off = 0; off < len; off += PGSIZE) {
    u32 *pte = pte_of_user(mm->pgdir, from + off, 0);
    if (!pte || !(*pte & PTE_P)) continue;
    u32 *npte = pte_of_user(mm->pgdir, to + off, 1);
    if (!npte) return -ENOMEM;
    *npte = *pte;
    *pte = 0;
  }
  flush_tlb(mm->pgdir);
  return 0;
}

/* mremap: shrinks in place, grows in place when the pages after are free,
 * else (MREMAP_MAYMOVE) moves the pages to a new place. glibc's realloc
 * of a big block comes here. */
int sys_mremap(u32 old, u32 old_len, u32 new_len, u32 flags, u32 new_addr) {
  (void)new_addr;
  struct mm *mm = curproc->mm;
  if ((old & (PGSIZE - 1)) || (flags & ~(u32)MREMAP_MAYMOVE) || new_len == 0) return -EINVAL;
  old_len = PAGE_UP(old_len), new_len = PAGE_UP(new_len);
  int i = vma_find(mm, old);
  if (i < 0 || old + old_len > mm->vma[i].end || old + old_len < old) return -EFAULT;
  if (new_len <= old_len) {
    int err = new_len < old_len ? unmap_range(mm, old + new_len, old + old_len) : 0;
    return err ? err : (int)old;
  }
  u32 vflags = mm->vma[i].flags;
  if (old + new_len > old && old + new_len <= STACK_BOTTOM && range_free(mm, old + old_len, old + new_len)) {
    int err = mm_map(mm, old + old_len, old + new_len, vflags);
    return err ? err : (int)old;
  }
  if (!(flags & MREMAP_MAYMOVE)) return -ENOMEM;
  u32 to = find_free(mm, 0, new_len);
  if (!to) return -ENOMEM;
  int err = mm_map(mm, to, to + new_len, vflags);
  if (!err) err = move_pages(mm, old, to, old_len);
  if (!err) err = unmap_range(mm, old, old + old_len);
  return err ? err : (int)to;
}

/* Advice and locking change nothing here: every page is in memory. */
int sys_madvise(u32 addr, u32 len, u32 advice) {
  (void)len, (void)advice;
  return addr & (PGSIZE - 1) ? -EINVAL : 0;
}

EXPORT_SYMBOL(mm_fault);
