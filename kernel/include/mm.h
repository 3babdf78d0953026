/* A process's address space: its page directory and the areas (VMAs) that
 * say what may be mapped where and with what protection. Pages inside an
 * area arrive on first touch (zeroed, or copied when fork left them
 * shared); a page outside every area is never mapped. Threads and vfork
 * children share one struct mm. */
#ifndef MM_H
#define MM_H
#include "types.h"

#define PROT_NONE 0
#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4

#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_FIXED_NOREPLACE 0x100000

#define VMA_SHARED 0x10 /* MAP_SHARED anonymous memory: fork shares its pages */

#define NVMA 64
#define STACK_MAX (8u << 20) /* the stack area, as RLIMIT_STACK's default */

struct vma { u32 start, end, flags; }; /* flags: PROT_* bits, VMA_SHARED */

struct mm {
  u32 *pgdir;
  int refs;                  /* processes using it (CLONE_VM) */
  u32 brk_start, brk;        /* the heap: an area from brk_start to brk, rounded up */
  u32 nvma;
  struct vma vma[NVMA];      /* sorted by address, never overlapping */
};

struct proc;

/* mmap.c */
struct mm *mm_new(void);
struct mm *mm_fork(struct mm *mm);
void mm_put(struct mm *mm);
int mm_map(struct mm *mm, u32 start, u32 end, u32 flags);
int mm_fault(struct mm *mm, u32 va, int write);
u32 mm_pages(struct mm *mm);
int mm_same_page(struct mm *a, struct mm *b, u32 va);
u32 mm_stack_top(void);
#endif
