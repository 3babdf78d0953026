/* Call gates and hardware task switches, compared with QEMU: a call from
 * ring 3 through a call gate into ring 0 with parameters copied to the
 * ring 0 stack and retf back; a jump through a gate; gates ring 3 may not
 * use; a call to a TSS and the iret back (busy bits, back link, NT); a task
 * gate in the IDT; a jump to a TSS and back; a call to a busy task. */
#include "rt/rt.h"
#include "mmu.h"

static u32 user_stack[256];
static u32 task_stack[256];
u32 rec[16];

static void set_gdt(int slot, u32 base, u32 limit, u32 access, u32 flags) {
  gdt[slot * 2] = (limit & 0xffff) | (base << 16);
  gdt[slot * 2 + 1] = ((base >> 16) & 0xff) | (access << 8) | (limit & 0xf0000) | (flags << 20) | (base & 0xff000000);
}

/* A gate descriptor: selector:offset, type and DPL, parameter count. */
static void set_gate(int slot, u32 sel, void *off, u32 access, u32 params) {
  gdt[slot * 2] = ((u32)off & 0xffff) | (sel << 16);
  gdt[slot * 2 + 1] = ((u32)off & 0xffff0000) | (access << 8) | params;
}

/* ---- Call gates ------------------------------------------------------------ */
__asm__(".text\n"
        "gate_entry:\n" /* ring 0, reached from ring 3 with 2 parameters */
        "  mov %cs, %eax\n  mov %eax, rec + 0\n"
        "  mov %ss, %eax\n  mov %eax, rec + 4\n"
        "  mov 4(%esp), %eax\n  mov %eax, rec + 8\n"   /* caller's CS */
        "  mov 8(%esp), %eax\n  mov %eax, rec + 12\n"  /* parameter 0 (pushed last) */
        "  mov 12(%esp), %eax\n  mov %eax, rec + 16\n" /* parameter 1 */
        "  mov 20(%esp), %eax\n  mov %eax, rec + 20\n" /* caller's SS */
        "  mov 8(%esp), %eax\n  add 12(%esp), %eax\n"
        "  lret $8\n"
        "u_gate_call:\n"
        "  mov %esp, %esi\n"
        "  push $0x300\n  push $0x22\n"
        "  lcall $0x6b, $0\n" /* gate at 0x68, RPL 3 */
        "  mov %eax, rec + 24\n"
        "  sub %esp, %esi\n  mov %esi, rec + 28\n" /* retf $8 dropped the parameters */
        "  mov %cs, %eax\n  mov %eax, rec + 32\n"
        "  mov %ds, %eax\n  mov %eax, rec + 36\n"
        "  xor %eax, %eax\n  int $0x80\n"
        "u_gate_dpl0:\n"
        "  lcall $0x73, $0\n" /* gate at 0x70 has DPL 0 */
        "  xor %eax, %eax\n  int $0x80\n"
        "u_gate_to_user:\n"
        "  lcall $0x7b, $0\n" /* a DPL 3 gate to ring 3 code: same privilege */
        "  mov %eax, rec + 40\n"
        "  xor %eax, %eax\n  int $0x80\n"
        "same_ring_entry:\n"
        "  mov %cs, %eax\n"
        "  lret\n"
        "jump_target:\n"
        "  mov %cs, %eax\n  mov %eax, rec + 44\n"
        "  ljmp *jump_back\n");
void gate_entry(void), u_gate_call(void), u_gate_dpl0(void), u_gate_to_user(void), same_ring_entry(void);
void jump_target(void);
struct { u32 off; u16 sel; } __attribute__((packed)) jump_back;

static void report(const char *name, u32 v) {
  if (v == 0x80) printf("%s exit\n", name);
  else printf("%s vec=%x err=%x\n", name, v, caught_err);
}

static void call_gates(void) {
  set_gate(13, 0x08, gate_entry, 0xec, 2);      /* 0x68: 32-bit call gate, DPL 3 */
  set_gate(14, 0x08, gate_entry, 0x8c, 0);      /* 0x70: DPL 0 */
  set_gate(15, 0x53, same_ring_entry, 0xec, 0); /* 0x78: to ring 3 code */
  report("gate-call", user_run(u_gate_call, &user_stack[256]));
  printf("in gate cs=%x ss=%x caller-cs=%x params=%x,%x caller-ss=%x\n", rec[0], rec[1], rec[2], rec[3], rec[4],
         rec[5]);
  printf("after gate eax=%x esp-moved=%x cs=%x ds=%x\n", rec[6], rec[7], rec[8], rec[9]);
  report("gate-dpl0", user_run(u_gate_dpl0, &user_stack[256]));
  report("gate-same-ring", user_run(u_gate_to_user, &user_stack[256]));
  printf("same ring cs=%x\n", rec[10]);
  /* ring 0: jmp through a gate (0x70, DPL 0) */
  set_gate(14, 0x08, jump_target, 0x8c, 0);
  __asm__ volatile("movl $1f, jump_back\n\tmovw $0x08, jump_back + 4\n\tljmp $0x70, $0\n1:" ::: "eax", "memory");
  printf("jump gate cs=%x\n", rec[11]);
}

/* ---- Tasks ----------------------------------------------------------------- */
static struct tss task;
extern struct tss tss; /* the runtime's, for the first task */
u32 task_runs;

__asm__(".text\n"
        "task_entry:\n"
        "  incl task_runs\n"
        "  pushf\n  pop %eax\n  mov %eax, rec + 0\n" /* NT set when called */
        "  str %ax\n  movzwl %ax, %eax\n  mov %eax, rec + 4\n"
        "  mov task, %eax\n  mov %eax, rec + 8\n" /* back link */
        "  mov %ebx, rec + 12\n"                  /* from the TSS image */
        "  testl $0x4000, rec + 0\n"
        "  jz 1f\n"
        "  iret\n"
        "  jmp task_entry\n"
        "1:\n"
        "  ljmp $0x60, $0\n" /* back to the first task by jump */
        "  jmp task_entry\n");
void task_entry(void);

static u32 busy(int slot) { return (gdt[slot * 2 + 1] >> 9) & 1; }

static void tasks(void) {
  task.eip = (u32)task_entry;
  task.eflags = 2;
  task.esp = (u32)&task_stack[256];
  task.ebx = 0xb0b0;
  task.cs = 0x08;
  task.ss = task.ds = task.es = task.fs = task.gs = 0x10;
  task.iomap = sizeof task;
  set_gdt(15, (u32)&task, sizeof task - 1, 0x89, 0); /* 0x78: available 32-bit TSS */

  u32 ebx_after;
  __asm__ volatile("mov $0x1111, %%ebx\n\tlcall $0x78, $0\n\tmov %%ebx, %0" : "=r"(ebx_after) : : "ebx", "eax", "memory", "cc");
  printf("call task: runs=%x nt=%x tr=%x link=%x ebx=%x\n", task_runs, (rec[0] >> 14) & 1, rec[1], rec[2], rec[3]);
  printf("after: ebx=%x busy first=%x task=%x saved-eip=+%x\n", ebx_after, busy(12), busy(15),
         task.eip - (u32)task_entry);

  /* again: the task resumes after its iret */
  __asm__ volatile("lcall $0x78, $0" : : : "eax", "memory", "cc");
  printf("second call: runs=%x ebx=%x\n", task_runs, rec[3]);

  /* a task gate in the IDT */
  idt[0x42 * 2] = 0x78 << 16;
  idt[0x42 * 2 + 1] = 0x8500; /* present, DPL 0, task gate */
  __asm__ volatile("int $0x42" : : : "eax", "memory", "cc");
  printf("task gate: runs=%x nt=%x link=%x\n", task_runs, (rec[0] >> 14) & 1, rec[2]);

  /* a jump: no nesting, the task jumps back */
  __asm__ volatile("ljmp $0x78, $0" : : : "eax", "memory", "cc");
  printf("jump task: runs=%x nt=%x busy first=%x task=%x\n", task_runs, (rec[0] >> 14) & 1, busy(12), busy(15));

  /* calling the busy first task from itself is refused */
  caught_vec = 0xff;
  __asm__ volatile("movl $1f, recover_eip\n\tlcall $0x60, $0\n1:" : : : "eax", "memory", "cc");
  printf("call busy: vec=%x err=%x\n", caught_vec, caught_err);
  printf("tss eflags nt=%x\n", (tss.eflags >> 14) & 1);
}

int main(void) {
  idt_install();
  user_setup();
  call_gates();
  tasks();
  return 0;
}
