/* The IDT and the C side of every trap: system calls, timer ticks, serial
 * input, faults in user mode (the process dies) and in the kernel (panic). */
#include "kernel.h"
#include "x86.h"
#include "mmu.h"
#include "proc.h"
#include "module.h"

static u64 idt[256];
u32 idle_ticks; /* with no process running: /proc/stat's idle time */
extern u32 vectors[];

/* An interrupt gate (IF cleared on entry) or trap gate, with its DPL. */
static u64 gate(u32 handler, int trap, int dpl) {
  u32 lo = (handler & 0xffff) | (SEL_KCODE << 16);
  u32 hi = (handler & 0xffff0000) | 0x8000 | ((u32)dpl << 13) | (trap ? 0xf00 : 0xe00);
  return ((u64)hi << 32) | lo;
}

void idt_init(void) {
  for (int i = 0; i < 256; i++) idt[i] = gate(vectors[i], 0, 0);
  /* System calls run with interrupts off: the kernel is not preemptible. */
  idt[T_SYSCALL] = gate(vectors[T_SYSCALL], 0, 3);
  /* #DF through a task gate: a new stack even when the old one is gone */
  double_fault_init();
  idt[T_DF] = (u64)0x8500 << 32 | (u64)SEL_DFTSS << 16;
  struct { u16 limit; u32 base; } __attribute__((packed)) d = {sizeof idt - 1, (u32)idt};
  __asm__ volatile("lidt %0" : : "m"(d));
}

static const char *const names[] = {
  "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range", "invalid opcode",
  "device not available", "double fault", "coprocessor overrun", "invalid TSS", "segment not present",
  "stack fault", "general protection fault", "page fault", "reserved", "x87 error", "alignment check",
};

const char *trap_name(u32 n) {
  return n < sizeof names / sizeof names[0] ? names[n] : "unknown trap";
}

static u32 read_cr2(void) { u32 v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }

/* A fault in the kernel: registers, the return addresses up the stack, halt. */
void panic_trap(const struct trapframe *tf) {
  __asm__ volatile("cli");
  printk("\npanic: %s (trap %u, error %x) at eip %x\n", trap_name(tf->trapno), tf->trapno, tf->err, tf->eip);
  printk("eax %08x ebx %08x ecx %08x edx %08x\n", tf->eax, tf->ebx, tf->ecx, tf->edx);
  printk("esi %08x edi %08x ebp %08x esp %08x\n", tf->esi, tf->edi, tf->ebp, tf->oesp + 20);
  printk("cs %x ds %x eflags %08x cr2 %08x\n", tf->cs, tf->ds, tf->eflags, read_cr2());
  backtrace(tf->ebp);
  halt_forever();
}

/* Interrupt handlers that drivers register, by IRQ line, with the module
 * each is code of. */
static void (*irq_handlers[16])(void);
static struct module *irq_owners[16];

int request_irq(u32 irq, void (*handler)(void), struct module *owner) {
  if (irq >= 16 || irq == 0) return -EINVAL;
  if (irq_handlers[irq]) return -EBUSY;
  irq_handlers[irq] = handler;
  irq_owners[irq] = owner;
  pic_enable((int)irq);
  return 0;
}

void free_irq(u32 irq) {
  if (irq >= 16) return;
  irq_handlers[irq] = NULL;
  irq_owners[irq] = NULL;
}

/* The next interrupt would call into a module about to be freed. */
void free_irqs(struct module *owner) {
  for (u32 irq = 1; irq < 16; irq++)
    if (irq_handlers[irq] && irq_owners[irq] == owner) {
      printk("%s: left irq %u requested; freed\n", owner->name, irq);
      free_irq(irq);
    }
}

static void dispatch(struct trapframe *tf) {
  if (tf->trapno == T_SYSCALL) {
    syscall(tf);
    return;
  }
  if (tf->trapno == T_IRQ0) {
    ticks++;
    if (!curproc) idle_ticks++; /* the tick goes to what it interrupted */
    else if ((tf->cs & 3) == 3) curproc->utime++;
    else curproc->stime++;
    pic_eoi(0);
    wakeup((void *)&ticks);
    wakeup_deadlines();
    alarms_due();
    if (curproc && (tf->cs & 3) == 3) yield(); /* round robin, a tick each */
    return;
  }
  if (tf->trapno >= T_IRQ0 && tf->trapno < T_IRQ0 + 16) {
    u32 irq = tf->trapno - T_IRQ0;
    if (irq_handlers[irq]) irq_handlers[irq]();
    pic_eoi((int)irq);
    return;
  }
  if ((tf->cs & 3) == 3) {
    if (tf->trapno == T_NM) fpu_trap();
    else user_fault(tf);
    return;
  }
  if (tf->trapno == T_NM || tf->trapno == T_MF)
    printk("\nan FPU trap in the kernel, which must not use the FPU (it is built with -mno-80387)");
  panic_trap(tf);
}

/* What a user program may hold in its segment registers: null or the flat
 * user segments (any RPL in the data registers, as the CPU allows). */
#define USER_DATA_SLOTS (1u << 0 | 1u << (SEL_UCODE >> 3) | 1u << (SEL_UDATA >> 3))

/* One bit per GDT slot a data register may name (any RPL); the upper half
 * of a pushed selector is not the CPU's to define, so it is masked. This
 * runs on every return to ring 3: a few instructions each. */
static inline int user_data_selector(u32 sel) {
  sel &= 0xffff;
  return sel < 8 * 32 && (USER_DATA_SLOTS >> (sel >> 3)) & 1;
}

/* A data register naming a TLS slot whose descriptor has gone (cleared by
 * set_thread_area, or another process's) is loaded with null instead, as
 * Linux's fixup on its way out does; anything else must be a user slot. */
static int data_selector_ok(u32 *sel) {
  if (user_data_selector(*sel) || tls_selector_ok(*sel)) return 1;
  u32 slot = (*sel & 0xffff) >> 3;
  if (!(*sel & 4) && slot >= GDT_TLS_MIN && slot < GDT_TLS_MIN + NTLS) { *sel = 0; return 1; }
  return 0;
}

static int user_selectors_ok(struct trapframe *tf) {
  if (((tf->cs ^ SEL_UCODE) | (tf->ss ^ SEL_UDATA)) & 0xffff) return 0;
  /* what a program almost always holds: the user data segment in DS and
   * ES, FS null or the same, GS that or a TLS selector; one test for all */
  u32 fs = tf->fs & 0xffff, gs = tf->gs & 0xffff;
  if (!(((tf->ds ^ SEL_UDATA) | (tf->es ^ SEL_UDATA)) & 0xffff) && (fs == 0 || fs == SEL_UDATA) &&
      (gs == 0 || gs == SEL_UDATA || tls_selector_ok(gs)))
    return 1;
  return data_selector_ok(&tf->ds) && data_selector_ok(&tf->es) && data_selector_ok(&tf->fs) && data_selector_ok(&tf->gs);
}

void trap(struct trapframe *tf) {
  dispatch(tf);
  if (!curproc || (tf->cs & 3) != 3) return;
  /* Signals are acted on at the way back to user mode, where a system
   * call they interrupted is restarted or fails with EINTR. */
  deliver_signals(tf);
  curproc->syscall_nr = -1;
  /* trapret reloads these in ring 0, where a bad one would be a kernel
   * fault: the process gets the fault instead. */
  if (!user_selectors_ok(tf)) {
    printk("%s[%d]: bad segment selector on return to user mode\n", curproc->name, curproc->pid);
    proc_exit(SIGSEGV);
  }
}

EXPORT_SYMBOL(request_irq);
EXPORT_SYMBOL(free_irq);
