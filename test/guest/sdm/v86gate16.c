/* An interrupt from virtual-8086 mode through a task gate to a 16-bit
 * (286) TSS. A 286 TSS's FLAGS has no VM bit, so the task runs in
 * protected mode whatever the interrupted task was; QEMU keeps the old
 * EFLAGS's top half, VM included, so the expected transcript is written
 * from the SDM (test/cpu/v86gate16.test.ts). */
#include "rt/rt.h"
#include "mmu.h"

struct tss16 {
  u16 link, sp0, ss0, sp1, ss1, sp2, ss2, ip, flags, ax, cx, dx, bx, sp, bp, si, di, es, cs, ss, ds, ldt;
};
static struct tss16 t16;
static struct tss vtask;
static u32 ring0_stack[256];
static u32 t16_stack[256];
u32 t16_flags, t16_cs, t16_runs, resume_esp, v86_exits;

/* V86 code, copied to 0x8000 (CS 0x0800): int 0x30 (a task gate), then hlt. */
__asm__(".text\n.code16\n"
        "v86_code:\n  int $0x30\n  hlt\nv86_end:\n"
        ".code32\n"
        /* the 286 task: in protected mode, flat CS 0x08 (its IP fits 16 bits
         * only because the code is below 64 KiB: it is copied to 0x9000) */
        "t16_code:\n"
        "  pushfl\n  popl %eax\n"
        "  mov $0x10, %edx\n  mov %edx, %ds\n"
        "  mov %eax, t16_flags\n"
        "  mov %cs, %eax\n  mov %eax, t16_cs\n"
        "  incl t16_runs\n"
        "  iretl\n" /* NT: back to the V86 task */
        "t16_end:\n"
        /* #GP from the V86 task's hlt: back to main */
        "gp_v86:\n  mov $0x10, %eax\n  mov %eax, %ds\n  incl v86_exits\n  mov resume_esp, %esp\n"
        "  pop %edi\n  pop %esi\n  pop %ebx\n  pop %ebp\n  ret\n"
        "call_vtask:\n  push %ebp\n  push %ebx\n  push %esi\n  push %edi\n  mov %esp, resume_esp\n"
        "  lcall $0x78, $0\n  jmp gp_v86\n");
extern char v86_code[], v86_end[], t16_code[], t16_end[];
void gp_v86(void), call_vtask(void);

static void set_gdt(int slot, u32 base, u32 limit, u32 access, u32 flags) {
  gdt[slot * 2] = (limit & 0xffff) | (base << 16);
  gdt[slot * 2 + 1] = ((base >> 16) & 0xff) | (access << 8) | (limit & 0xf0000) | (flags << 20) |
                      (base & 0xff000000);
}

int main(void) {
  idt_install();
  user_setup();
  for (u32 i = 0; i < (u32)(v86_end - v86_code); i++) ((u8 *)0x8000)[i] = (u8)v86_code[i];
  for (u32 i = 0; i < (u32)(t16_end - t16_code); i++) ((u8 *)0x9000)[i] = (u8)t16_code[i];
  /* the V86 task at 0x78, the 286 task at 0x70 */
  vtask.eflags = 0x23002;
  vtask.cs = 0x0800;
  vtask.ss = 0x0900;
  vtask.esp = 0x0f00;
  vtask.esp0 = (u32)&ring0_stack[256];
  vtask.ss0 = 0x10;
  vtask.iomap = sizeof vtask;
  set_gdt(15, (u32)&vtask, sizeof vtask - 1, 0x89, 0);
  t16.ip = 0x9000;
  t16.flags = 0x0002;
  t16.cs = 0x08;
  t16.ss = t16.ds = t16.es = 0x10;
  t16.sp = (u16)(u32)&t16_stack[256];
  set_gdt(14, (u32)&t16, sizeof t16 - 1, 0x81, 0);
  /* its SS must reach t16_stack with a 16-bit SP: a 16-bit stack segment
   * based at the stack's 64 KiB-aligned base */
  u32 sbase = (u32)&t16_stack[0] & 0xffff0000;
  set_gdt(13, sbase, 0xffff, 0x92, 0);
  t16.ss = 0x68;
  t16.sp = (u16)((u32)&t16_stack[256] - sbase);
  idt[0x30 * 2] = 0x70 << 16;
  idt[0x30 * 2 + 1] = 0xe500; /* present, DPL 3, task gate */
  idt[13 * 2] = ((u32)gp_v86 & 0xffff) | (0x08 << 16);
  idt[13 * 2 + 1] = ((u32)gp_v86 & 0xffff0000) | 0x8e00;
  call_vtask();
  printf("286 task: runs=%x vm=%x nt=%x cs=%x\n", t16_runs, (t16_flags >> 17) & 1, (t16_flags >> 14) & 1, t16_cs);
  printf("v86 exits=%x\n", v86_exits);
  return 0;
}
