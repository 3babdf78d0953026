/* The GDT: kernel and user code and data, flat, the TSS that gives the
 * CPU the kernel stack to switch to when a trap comes from ring 3, and
 * the three thread-local storage slots, which hold the running process's
 * own descriptors (tls.c).
 *
 * Apart from those slots the descriptor tables never change after boot and
 * the LDT is empty, so a selector that user code managed to load stays
 * loadable: the kernel's reload of DS/ES/FS/GS/SS on the way back to ring 3
 * cannot fault. (user_selectors_ok() in trap.c holds the kernel to that,
 * and checks a TLS selector against its slot.) */
#include "kernel.h"
#include "mmu.h"


static struct tss tss;
u64 gdt[GDT_ENTRIES];

/* A segment descriptor: base, limit (in 4 KiB units when gran), access byte. */
static u64 seg(u32 base, u32 limit, u32 access, int gran) {
  u32 flags = gran ? 0xc : 0x4;
  u32 lo = (limit & 0xffff) | (base << 16);
  u32 hi = ((base >> 16) & 0xff) | (access << 8) | (limit & 0xf0000) | (flags << 20) | (base & 0xff000000);
  return ((u64)hi << 32) | lo;
}

static void lgdt(void *base, u16 size) {
  struct { u16 limit; u32 base; } __attribute__((packed)) d = {(u16)(size - 1), (u32)base};
  __asm__ volatile("lgdt %0" : : "m"(d));
}

void gdt_init(void) {
  gdt[SEL_KCODE >> 3] = seg(0, 0xfffff, 0x9a, 1);
  gdt[SEL_KDATA >> 3] = seg(0, 0xfffff, 0x92, 1);
  gdt[SEL_UCODE >> 3] = seg(0, 0xfffff, 0xfa, 1);
  gdt[SEL_UDATA >> 3] = seg(0, 0xfffff, 0xf2, 1);
  gdt_set_tss(SEL_TSS, &tss);
  tss.ss0 = SEL_KDATA;
  tss.iomap = sizeof tss; /* no I/O bitmap: ring 3 has no ports */
  lgdt(gdt, sizeof gdt);
  __asm__ volatile("ljmp %0, $1f\n1:\n\t"
                   "mov %1, %%eax\n\tmov %%eax, %%ds\n\tmov %%eax, %%es\n\tmov %%eax, %%ss\n\t"
                   "xor %%eax, %%eax\n\tmov %%eax, %%fs\n\tmov %%eax, %%gs\n\t"
                   "mov %2, %%eax\n\tltr %%ax\n\t"
                   /* An empty LDT: after reset LDTR covers linear 0..0xFFFF,
                    * memory a user program could fill with descriptors. */
                   "xor %%eax, %%eax\n\tlldt %%ax"
                   : : "i"(SEL_KCODE), "i"(SEL_KDATA), "i"(SEL_TSS) : "eax", "memory");
}

/* A TSS descriptor (available, 32-bit) for t at selector sel. */
void gdt_set_tss(u32 sel, struct tss *t) { gdt[sel >> 3] = seg((u32)t, sizeof *t - 1, 0x89, 0); }

/* The running task's TSS: where a task switch saved its registers. */
const struct tss *task_state(void) { return &tss; }

/* The stack the CPU switches to on a trap from user mode. */
void tss_set_kernel_stack(u32 esp0) { tss.esp0 = esp0; }
