/* x86 segment selectors, page-table bits, the trap frame. */
#ifndef MMU_H
#define MMU_H
#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UCODE 0x1b
#define SEL_UDATA 0x23
#define SEL_TSS 0x28
#define GDT_TLS_MIN 6   /* thread-local storage: slots 6-8, selectors 0x33, 0x3b, 0x43, as on Linux */
#define SEL_DFTSS 0x48 /* the double fault's task */
#define GDT_ENTRIES 10

#define PTE_P 0x001
#define PTE_W 0x002
#define PTE_U 0x004
#define PTE_PS 0x080
#define PTE_G 0x100

#define CR0_MP 0x00000002
#define CR0_EM 0x00000004
#define CR0_TS 0x00000008
#define CR0_NE 0x00000020
#define CR0_WP 0x00010000
#define CR0_PG 0x80000000
#define CR4_PSE 0x00000010
#define CR4_PGE 0x00000080

#define T_DIVIDE 0
#define T_DF 8
#define T_UD 6
#define T_NM 7
#define T_GP 13
#define T_PF 14
#define T_MF 16
#define T_IRQ0 32
#define T_SYSCALL 0x80

#ifndef __ASSEMBLER__
#include "types.h"

/* A 32-bit task-state segment. */
struct tss {
  u32 link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
  u32 eax, ecx, edx, ebx, esp, ebp, esi, edi;
  u32 es, cs, ss, ds, fs, gs, ldt;
  u16 trap, iomap;
} __attribute__((packed));

/* What trapasm.S pushes on entry, lowest address first. */
struct trapframe {
  u32 edi, esi, ebp, oesp, ebx, edx, ecx, eax; /* pushal */
  u32 gs, fs, es, ds;
  u32 trapno, err;
  u32 eip, cs, eflags;
  u32 esp, ss; /* only when coming from ring 3 */
};
#endif
#endif
