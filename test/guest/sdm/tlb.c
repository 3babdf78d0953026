/* What the TLB keeps: a global page (CR4.PGE, G set) survives a CR3 reload
 * while an ordinary one is dropped; INVLPG drops even a global page; a CR4
 * write drops everything. Observed by changing the page tables behind the
 * TLB's back. QEMU's TLB may flush more than the SDM requires, so the
 * expected transcript is written from the SDM (test/cpu/tlb.test.ts). */
#include "rt/rt.h"

static volatile u32 pd[1024] __attribute__((aligned(4096)));
static volatile u32 pt[1024] __attribute__((aligned(4096)));
static volatile u32 pt2[1024] __attribute__((aligned(4096)));
static u32 frames[4][1024] __attribute__((aligned(4096)));

#define G 0x100
#define PAGE_G 0x40000000u
#define PAGE_N 0x40001000u

static void cr3(void) { __asm__ volatile("mov %%cr3, %%eax\n\tmov %%eax, %%cr3" ::: "eax", "memory"); }
static u32 rd(u32 a) { return *(volatile u32 *)a; }

int main(void) {
  for (int i = 0; i < 4; i++) frames[i][0] = 0xf0 + i;
  for (u32 i = 0; i < 1024; i++) pt[i] = (i << 12) | 3;
  pd[0] = (u32)pt | 3;
  pd[PAGE_G >> 22] = (u32)pt2 | 3;
  pt2[0] = (u32)frames[0] | 3 | G;
  pt2[1] = (u32)frames[1] | 3;
  __asm__ volatile("mov %0, %%cr3\n\tmov %%cr4, %%eax\n\tor $0x80, %%eax\n\tmov %%eax, %%cr4\n\t"
                   "mov %%cr0, %%eax\n\tor $0x80000000, %%eax\n\tmov %%eax, %%cr0" : : "r"(pd) : "eax", "memory");
  printf("mapped %x %x\n", rd(PAGE_G), rd(PAGE_N));
  pt2[0] = (u32)frames[2] | 3 | G;
  pt2[1] = (u32)frames[3] | 3;
  cr3();
  printf("after cr3 reload: global %x ordinary %x\n", rd(PAGE_G), rd(PAGE_N));
  __asm__ volatile("invlpg (%0)" : : "r"(PAGE_G) : "memory");
  printf("after invlpg: global %x\n", rd(PAGE_G));
  pt2[0] = (u32)frames[0] | 3 | G;
  cr3();
  printf("global again after cr3: %x\n", rd(PAGE_G));
  __asm__ volatile("mov %%cr4, %%eax\n\tmov %%eax, %%cr4" ::: "eax", "memory");
  printf("after cr4 write: %x\n", rd(PAGE_G));
  return 0;
}
