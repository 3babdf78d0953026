/* Page tables, bare metal in ring 0, as a kernel's memory manager works
 * them: three address spaces share a direct map of the first 64 MiB
 * (global 4 MiB pages, as the kernel half) and each has its own 4 KiB
 * pages in regions scattered over 0x40000000..0xbfffffff. Time slices
 * switch CR3 between them; within a slice the "process" touches its pages
 * (reads, read-modify-writes), and the "kernel" maps fresh zeroed frames,
 * unmaps pages with INVLPG (freeing page tables that become empty),
 * shares frames into the other spaces, and scans and clears the accessed
 * and dirty bits. The checksum folds what was read back and the bits
 * seen, so a stale translation or a missing A/D update changes it.
 *
 * It cannot run natively: bench/workloads.ts computes the checksum by
 * simulating the same steps on a model of the memory. Keep the two in
 * step. */
#include "bench.h"

typedef unsigned short u16;

#define NSPACE 3
#define SLOTS 512           /* pages a space can have mapped */
#define REGIONS 16          /* per space */
#define REGION_PAGES 128
#define VFIRST 0x40000u     /* first page of the sparse range */
#define VPAGES 0x80000u     /* pages in it (2 GiB) */
#define FRAME0 4096u        /* frame pool: 16 MiB.. */
#define FRAMES 8192u        /* ..48 MiB */
#define NPT 160             /* page-table pages */
#define SLICES 24000
#define STEPS 48

#define P 1u
#define RW 2u
#define A 0x20u
#define D 0x40u
#define PS 0x80u
#define G 0x100u

static u32 pgdir[NSPACE][1024] __attribute__((aligned(4096)));
static u32 ptpool[NPT][1024] __attribute__((aligned(4096)));
static u16 pt_used[NPT];          /* present entries in each page table */
static u16 pt_free[NPT], pt_nfree;
static u16 frame_free[FRAMES], frame_nfree;
static u8 frame_refs[FRAMES];
static u32 slot_page[NSPACE][SLOTS]; /* linear page number, 0 = empty */
static u16 slot_frame[NSPACE][SLOTS];
static u32 region_base[NSPACE][REGIONS];
static u32 current;
static u32 seed = 0x6c078965u;

static inline void write_cr3(u32 v) { __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
static inline void invlpg(u32 lin) { __asm__ volatile("invlpg (%0)" : : "r"(lin) : "memory"); }

static void clear_page(u32 phys) {
  u32 d = phys, n = 1024;
  __asm__ volatile("rep stosl" : "+D"(d), "+c"(n) : "a"(0) : "memory");
}

static u32 mix(u32 sum, u32 v) { return (sum ^ v) * 0x01000193u; }

static void enable_paging(void) {
  for (u32 s = 0; s < NSPACE; s++) {
    for (u32 i = 0; i < 1024; i++) pgdir[s][i] = 0;
    for (u32 i = 0; i < 16; i++) pgdir[s][i] = (i << 22) | PS | G | RW | P;
  }
  u32 cr4;
  __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
  __asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | 0x10) : "memory"); /* PSE */
  write_cr3((u32)pgdir[0]);
  u32 cr0;
  __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
  __asm__ volatile("mov %0, %%cr0\n\tjmp 1f\n1:" : : "r"(cr0 | 0x80000000u) : "memory");
  __asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | 0x10 | 0x80) : "memory"); /* PGE */
  current = 0;
}

/* The entry for a page, or 0 when its page table is absent. */
static u32 *pte_of(u32 s, u32 page) {
  u32 pde = pgdir[s][page >> 10];
  if (!(pde & P)) return 0;
  return (u32 *)(pde & ~0xfffu) + (page & 1023);
}

/* Maps page to frame in space s, allocating (and zeroing) its page table
 * if needed. The entry was not present: nothing to invalidate. */
static void set_pte(u32 s, u32 page, u32 frame) {
  u32 *dir = &pgdir[s][page >> 10];
  if (!(*dir & P)) {
    u16 t = pt_free[--pt_nfree];
    clear_page((u32)ptpool[t]);
    *dir = (u32)ptpool[t] | RW | P;
  }
  u32 t = ((*dir & ~0xfffu) - (u32)ptpool[0]) >> 12;
  pt_used[t]++;
  ((u32 *)(*dir & ~0xfffu))[page & 1023] = (frame << 12) | RW | P;
  frame_refs[frame - FRAME0]++;
}

/* A free page in one of space s's regions, or 0 if the one picked is taken. */
static u32 pick_page(u32 s) {
  u32 r = xorshift(&seed);
  u32 page = region_base[s][r & (REGIONS - 1)] + ((r >> 4) & (REGION_PAGES - 1));
  u32 *pte = pte_of(s, page);
  return pte && (*pte & P) ? 0 : page;
}

static u32 do_map(u32 slot) {
  u32 s = current;
  if (slot_page[s][slot]) return 0;
  u32 page = pick_page(s);
  if (!page) return 0;
  u32 frame = frame_free[--frame_nfree];
  clear_page(frame << 12);
  set_pte(s, page, frame);
  slot_page[s][slot] = page;
  slot_frame[s][slot] = (u16)frame;
  /* The new page's first word: who mapped it. */
  *(volatile u32 *)(page << 12) = page ^ (slot << 20);
  return 1;
}

static void do_unmap(u32 slot) {
  u32 s = current, page = slot_page[s][slot];
  if (!page) return;
  u32 *dir = &pgdir[s][page >> 10];
  u32 t = ((*dir & ~0xfffu) - (u32)ptpool[0]) >> 12;
  ((u32 *)(*dir & ~0xfffu))[page & 1023] = 0;
  if (--pt_used[t] == 0) {
    *dir = 0;
    pt_free[pt_nfree++] = (u16)t;
  }
  invlpg(page << 12);
  u32 frame = slot_frame[s][slot];
  if (--frame_refs[frame - FRAME0] == 0) frame_free[frame_nfree++] = (u16)frame;
  slot_page[s][slot] = 0;
}

/* The current space's page in this slot, mapped in another space too (the
 * same slot there), as shared memory. */
static void do_share(u32 slot, u32 r) {
  u32 s = current, t = (s + 1 + ((r >> 12) & 1)) % NSPACE;
  if (!slot_page[s][slot] || slot_page[t][slot]) return;
  u32 page = pick_page(t);
  if (!page) return;
  set_pte(t, page, slot_frame[s][slot]);
  slot_page[t][slot] = page;
  slot_frame[t][slot] = slot_frame[s][slot];
}

/* Accessed and dirty bits of 32 slots counted and cleared, as page
 * reclaim does. */
static u32 do_scan(u32 first) {
  u32 s = current, accessed = 0, dirty = 0;
  for (u32 k = 0; k < 32; k++) {
    u32 slot = (first + k) & (SLOTS - 1), page = slot_page[s][slot];
    if (!page) continue;
    u32 *pte = pte_of(s, page);
    u32 e = *pte;
    accessed += (e & A) != 0;
    dirty += (e & D) != 0;
    if (e & (A | D)) {
      *pte = e & ~(A | D);
      invlpg(page << 12);
    }
  }
  return accessed | dirty << 8;
}

u32 bench(void) {
  enable_paging();
  for (u32 t = 0; t < NPT; t++) pt_free[pt_nfree++] = (u16)(NPT - 1 - t);
  for (u32 f = 0; f < FRAMES; f++) frame_free[frame_nfree++] = (u16)(FRAME0 + FRAMES - 1 - f);
  for (u32 s = 0; s < NSPACE; s++)
    for (u32 k = 0; k < REGIONS; k++) region_base[s][k] = VFIRST + xorshift(&seed) % (VPAGES - REGION_PAGES);

  u32 sum = 0;
  for (u32 slice = 0; slice < SLICES; slice++) {
    u32 s = xorshift(&seed) % NSPACE;
    if (s != current) {
      current = s;
      write_cr3((u32)pgdir[s]);
    }
    for (u32 step = 0; step < STEPS; step++) {
      u32 r = xorshift(&seed);
      u32 kind = r & 15, slot = (r >> 4) & (SLOTS - 1);
      u32 page = slot_page[s][slot];
      if (kind < 9) {
        if (!page) continue;
        volatile u32 *p = (volatile u32 *)((page << 12) + ((r >> 13) & 0xffc));
        if (kind & 1) *p = *p * 3 + (r >> 8);
        else sum = mix(sum, *p);
      } else if (kind < 11) {
        do_unmap(slot);
      } else if (kind < 14) {
        sum += do_map(slot);
      } else if (kind == 14) {
        do_share(slot, r);
      } else {
        sum = mix(sum, do_scan(slot));
      }
    }
  }
  /* What is left mapped, read back through each space. */
  for (u32 s = 0; s < NSPACE; s++) {
    current = s;
    write_cr3((u32)pgdir[s]);
    for (u32 slot = 0; slot < SLOTS; slot++) {
      u32 page = slot_page[s][slot];
      if (page) sum = mix(sum, *(volatile u32 *)(page << 12) + *(volatile u32 *)((page << 12) + 0xffc));
    }
  }
  return sum + frame_nfree + pt_nfree * 7;
}
