/* Virtual-8086 mode under a small monitor, compared with QEMU: entry by
 * iret from ring 0 with VM set in the EFLAGS image; real-mode addressing
 * (segment * 16) inside; the IOPL-sensitive instructions (int n, pushf,
 * popf, cli, sti, iret) giving #GP(0) to the monitor at IOPL 0 and running
 * at IOPL 3; an INT n through a DPL 3 gate at IOPL 3; out to a port the
 * TSS's I/O bitmap denies (#GP even at IOPL 3) and allows; hlt giving #GP. A
 * #GP exit records the V86 frame (error code, EIP, CS, EFLAGS, ESP, SS, ES,
 * DS, FS, GS) and the data segment registers ring 0 is entered with. Last,
 * a DOS-like program calls a BIOS-like service through int 0x10 under a
 * monitor that reflects int n and iret through the V86 IVT and stack. */
#include "rt/rt.h"
#include "mmu.h"

extern struct tss tss;
static struct tss vtask; /* a task that starts in V86 mode */
static u32 ring0_stack[512];
u32 frame[12], v86_regs[4], resume_esp, seen_ds, seen_es, gp_count, int21_count, io_exits;
extern u8 iomap[]; /* the runtime TSS's I/O bitmap (rt/user.S): all ports denied */

/* 16-bit code copied to 0x8000 (CS 0x0800, IP 0); its stack is 0x0900:0x1000. */
__asm__(".text\n"
        ".code16\n"
        "v86_code:\n"
        "  mov $0x1234, %ax\n"
        "  mov %ax, %ds\n"
        "  movw $0xbeef, 0x10\n"          /* linear 0x12350 */
        "  mov 0x10, %bx\n"
        "  add $0x1111, %bx\n"
        "  mov %bx, 0x12\n"               /* 0xd000 at 0x12352 */
        "  mov $0x2000, %ax\n"
        "  mov %ax, %es\n"
        "  int $0x21\n"                   /* IOPL 0: #GP, the monitor skips it */
        "  pushf\n"                       /* #GP, skipped */
        "  cli\n"                         /* #GP, skipped */
        "  hlt\n"                         /* #GP: the monitor ends the run */
        "v86_iopl3:\n"                    /* entered again with IOPL 3 */
        "  cli\n"
        "  pushfl\n"
        "  popl %ecx\n"
        "  mov $0x55aa, %dx\n"
        "  int $0x21\n"                   /* through the IDT: the monitor's gate 0x21 */
        "  mov %ax, %si\n"                /* what the monitor put in AX */
        "  pushf\n"
        "  popf\n"
        "  out %al, $0x80\n"              /* the TSS's I/O bitmap decides, whatever IOPL */
        "  hlt\n"
        "v86_dos:\n"                     /* a DOS-like program calling a BIOS-like service */
        "  mov $0x3000, %ax\n"
        "  mov %ax, %ds\n"
        "  xor %di, %di\n"
        "  mov $0x41, %al\n  int $0x10\n"
        "  mov $0x42, %al\n  int $0x10\n"
        "  mov $0x43, %al\n  int $0x10\n"
        "  hlt\n"
        "v86_bios:\n"                    /* the service: the character and its lower case at DS:DI */
        "  mov %al, (%di)\n"
        "  inc %di\n"
        "  add $0x20, %al\n"
        "  mov %al, (%di)\n"
        "  inc %di\n"
        "  iret\n"
        "v86_end:\n"
        ".code32\n");
extern char v86_code[], v86_iopl3[], v86_dos[], v86_bios[], v86_end[];

/* The monitor: #GP from V86 saves the frame and skips a one- or two-byte
 * instruction, or ends the run at hlt; gate 0x21 sets AX and returns. */
__asm__(".text\n"
        "gp_entry:\n" /* DS and ES arrive null: load them before any memory operand */
        "  push %eax\n  push %ds\n  push %es\n"
        "  mov $0x10, %eax\n  mov %eax, %ds\n  mov %eax, %es\n"
        "  popl seen_es\n  popl seen_ds\n  pop %eax\n"
        "  incl gp_count\n"
        "  mov %ebx, v86_regs\n  mov %ecx, v86_regs + 4\n  mov %esi, v86_regs + 8\n"
        "  mov $frame, %edi\n  mov %esp, %esi\n  mov $10, %ecx\n  cld\n  rep movsl\n"
        "  movzwl 8(%esp), %eax\n  shl $4, %eax\n  add 4(%esp), %eax\n" /* linear CS:IP */
        "  movzbl (%eax), %edx\n"
        "  cmp $0xf4, %edx\n  je 2f\n"
        "  cmp $0xcd, %edx\n  je 3f\n"
        "  cmp $0xe6, %edx\n  jne 1f\n"
        "  incl io_exits\n"
        "3:\n  incl 4(%esp)\n" /* int n and out imm8 are two bytes */
        "1:\n  incl 4(%esp)\n"
        "  add $4, %esp\n" /* the error code */
        "  iretl\n"
        "2:\n  mov resume_esp, %esp\n  jmp v86_return\n"
        /* A reflecting monitor (IOPL 0): #GP from int n pushes FLAGS, CS and
         * IP on the V86 stack and enters the handler the V86 IVT names; from
         * iret pops them; from hlt ends the run (reflect() in C). */
        "gp_reflect_entry:\n"
        "  push %ds\n  push %es\n  pushal\n"
        "  mov $0x10, %eax\n  mov %eax, %ds\n  mov %eax, %es\n"
        "  lea 40(%esp), %eax\n  push %eax\n  call reflect\n  add $4, %esp\n"
        "  test %eax, %eax\n  jnz 1f\n"
        "  popal\n  pop %es\n  pop %ds\n  add $4, %esp\n  iretl\n"
        "1:\n  mov resume_esp, %esp\n  jmp v86_return\n"
        "int21_entry:\n"
        "  push %eax\n  push %ds\n"
        "  mov $0x10, %eax\n  mov %eax, %ds\n  mov %eax, %es\n"
        "  popl seen_ds\n  pop %eax\n"
        "  incl int21_count\n"
        "  mov %edx, v86_regs + 12\n"
        "  mov $0x4321, %ax\n"
        "  iretl\n"
        /* enter_v86(eflags, eip): iret to 0x0800:eip with SS:SP 0x0900:0x1000 */
        "enter_v86:\n"
        "  push %ebp\n  push %ebx\n  push %esi\n  push %edi\n"
        "  mov %esp, resume_esp\n"
        "  mov 20(%esp), %eax\n  mov 24(%esp), %edx\n"
        "  pushl $0x3000\n  pushl $0x2800\n  pushl $0x0\n  pushl $0x1000\n" /* GS FS DS ES */
        "  pushl $0x0900\n  pushl $0x1000\n" /* SS ESP */
        "  pushl %eax\n  pushl $0x0800\n  pushl %edx\n"
        "  xor %eax, %eax\n  xor %ebx, %ebx\n  xor %ecx, %ecx\n  xor %edx, %edx\n  xor %esi, %esi\n"
        "  iretl\n"
        "call_vtask:\n" /* as enter_v86, by a far call to the TSS at 0x78 */
        "  push %ebp\n  push %ebx\n  push %esi\n  push %edi\n"
        "  mov %esp, resume_esp\n"
        "  lcall $0x78, $0\n"
        "v86_return:\n" /* reached from gp_entry: resume_esp points at the saved registers */
        "  pop %edi\n  pop %esi\n  pop %ebx\n  pop %ebp\n  ret\n");
void gp_entry(void), int21_entry(void), gp_reflect_entry(void);
u32 reflections;

/* f: the #GP frame from V86: error code, EIP, CS, EFLAGS, ESP, SS, ... */
__attribute__((used)) u32 reflect(u32 *f) {
  u8 *ip = (u8 *)((f[2] << 4) + (f[1] & 0xffff));
  reflections++;
  if (ip[0] == 0xcd) {
    u16 *ivt = (u16 *)(ip[1] * 4);
    u32 sp = (f[4] - 6) & 0xffff;
    u16 *stk = (u16 *)((f[5] << 4) + sp);
    stk[0] = (u16)(f[1] + 2);
    stk[1] = (u16)f[2];
    stk[2] = (u16)f[3];
    f[4] = (f[4] & 0xffff0000) | sp;
    f[1] = ivt[0];
    f[2] = ivt[1];
    f[3] &= ~0x300u; /* IF and TF, as INT clears them */
    return 0;
  }
  if (ip[0] == 0xcf) {
    u32 sp = f[4] & 0xffff;
    u16 *stk = (u16 *)((f[5] << 4) + sp);
    f[1] = stk[0];
    f[2] = stk[1];
    f[3] = (f[3] & ~0x0fd5u) | (stk[2] & 0x0fd5u);
    f[4] = (f[4] & 0xffff0000) | ((sp + 6) & 0xffff);
    return 0;
  }
  return 1; /* hlt */
}
u32 enter_v86(u32 eflags, u32 eip);
void call_vtask(void);

static void gate(int vec, void (*fn)(void), u32 dpl) {
  idt[vec * 2] = ((u32)fn & 0xffff) | (0x08 << 16);
  idt[vec * 2 + 1] = ((u32)fn & 0xffff0000) | 0x8e00 | (dpl << 13);
}

static void show(const char *what) {
  printf("%s: eip=%x cs=%x eflags=%x esp=%x ss=%x es=%x ds=%x fs=%x gs=%x err=%x ring0 ds=%x\n", what, frame[1],
         frame[2], frame[3] & 0x27fd5, frame[4], frame[5], frame[6], frame[7], frame[8], frame[9], frame[0], seen_ds);
}

int main(void) {
  idt_install();
  user_setup();
  tss.esp0 = (u32)&ring0_stack[512];
  tss.ss0 = 0x10;
  gate(13, gp_entry, 0);
  gate(0x21, int21_entry, 3);
  u8 *low = (u8 *)0x8000;
  for (u32 i = 0; i < (u32)(v86_end - v86_code); i++) low[i] = (u8)v86_code[i];
  /* The return address enter_v86's caller pushed is where gp_entry's ret goes. */
  enter_v86(0x20002, 0);
  show("iopl0 hlt");
  printf("gp exits=%x bx=%x memory=%x %x es-seen=%x\n", gp_count, v86_regs[0] & 0xffff, *(volatile u16 *)0x12350, *(volatile u16 *)0x12352,
         seen_es);
  gp_count = 0;
  enter_v86(0x23202, (u32)(v86_iopl3 - v86_code));
  show("iopl3 hlt");
  printf("port 80 denied: io exits=%x\n", io_exits);
  iomap[0x80 / 8] &= (u8) ~(1 << (0x80 % 8));
  gp_count = io_exits = 0;
  enter_v86(0x23202, (u32)(v86_iopl3 - v86_code));
  printf("gp exits=%x io exits=%x int21=%x bx=%x ecx-flags=%x si=%x dx-at-int=%x\n", gp_count, io_exits, int21_count, v86_regs[0] & 0xffff,
         v86_regs[1] & 0x3ed5, v86_regs[2] & 0xffff, v86_regs[3] & 0xffff);

  /* A far call to a TSS whose EFLAGS has VM: the task starts in V86 mode
   * (at the IOPL 3 entry); its hlt comes to the monitor on the task's own
   * ring 0 stack, which then goes on as the new task. */
  vtask.eflags = 0x23002;
  vtask.eip = (u32)(v86_iopl3 - v86_code);
  vtask.cs = 0x0800;
  vtask.ss = 0x0900;
  vtask.esp = 0x0f00;
  vtask.ds = 0x1234;
  vtask.es = 0x0100;
  vtask.fs = vtask.gs = 0x0300;
  vtask.esp0 = (u32)&ring0_stack[256];
  vtask.ss0 = 0x10;
  vtask.iomap = sizeof vtask;
  u32 base = (u32)&vtask, limit = sizeof vtask - 1;
  gdt[15 * 2] = (limit & 0xffff) | (base << 16);
  gdt[15 * 2 + 1] = ((base >> 16) & 0xff) | 0x8900 | (base & 0xff000000); /* 0x78: available 32-bit TSS */
  gp_count = int21_count = io_exits = 0;
  call_vtask();
  show("task hlt");
  u16 tr;
  __asm__ volatile("str %0" : "=r"(tr));
  printf("task: gp exits=%x io exits=%x int21=%x tr=%x link=%x\n", gp_count, io_exits, int21_count, tr, vtask.link);

  /* The DOS-like program at IOPL 0 under the reflecting monitor, with the
   * V86 IVT's vector 0x10 at the service. */
  gate(13, gp_reflect_entry, 0);
  *(volatile u16 *)0x40 = (u16)(v86_bios - v86_code);
  *(volatile u16 *)0x42 = 0x0800;
  enter_v86(0x20002, (u32)(v86_dos - v86_code));
  char *out = (char *)0x30000;
  printf("dos: reflections=%x output=%c%c%c%c%c%c\n", reflections, out[0], out[1], out[2], out[3], out[4], out[5]);
  return 0;
}
