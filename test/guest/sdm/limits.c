/* Segment limit and type checks on each access, alignment checks (CR0.AM)
 * and the check of ENTER's final stack pointer, none of which QEMU makes:
 * its expected transcript is written by hand from the SDM (see
 * test/cpu/limits.test.ts). */
#include "rt/rt.h"

static u8 area[0x2000] __attribute__((aligned(4096)));

static void set_desc(int slot, u32 base, u32 limit, u32 access, u32 flags) {
  gdt[slot * 2] = (limit & 0xffff) | (base << 16);
  gdt[slot * 2 + 1] = ((base >> 16) & 0xff) | (access << 8) | (limit & 0xf0000) | (flags << 20) | (base & 0xff000000);
}

u32 left;
#define TRY(name, code)                                                                          \
  do {                                                                                           \
    caught_vec = 0xff;                                                                           \
    caught_err = 0;                                                                              \
    __asm__ volatile("movl $1f, recover_eip\n\t" code "\n1:\n\tmov $0x10, %%eax\n\tmov %%eax, %%ds\n\t" \
                     "mov %%eax, %%es\n\tmov %%eax, %%fs\n\tmov %%ecx, left\n"                 \
                     : : : "eax", "ecx", "esi", "edi", "memory", "cc");                          \
    printf("%s vec=%x err=%x\n", name, caught_vec, caught_err);                                  \
  } while (0)

/* ENTER on SS 0x40 (expand-down, valid offsets 0x10000 and up) from ESP
 * 0x10100: the final stack pointer is checked as a write (vol. 2, ENTER).
 * The exception is taken on that stack, whose ESP ENTER left as it was. */
u32 saved_esp;
#define TRY_ON_SS40(name, insn)                                                                   \
  do {                                                                                            \
    caught_vec = 0xff;                                                                            \
    caught_err = 0;                                                                               \
    __asm__ volatile("mov %%esp, saved_esp\n\tmovl $1f, recover_eip\n\tmov $0x40, %%eax\n\t"       \
                     "mov %%eax, %%ss\n\tmov $0x10100, %%esp\n\t" insn "\n1:\n\tmov $0x10, %%eax\n\t" \
                     "mov %%eax, %%ss\n\tmov saved_esp, %%esp\n"                                    \
                     : : : "eax", "ebp", "memory", "cc");                                         \
    printf("%s vec=%x err=%x\n", name, caught_vec, caught_err);                                   \
  } while (0)

/* Ring 3 with EFLAGS.AC set by itself: a misaligned dword read, then
 * aligned reads of each size. */
__asm__(".text\n"
        "u_ac_misaligned:\n  pushf\n  orl $0x40000, (%esp)\n  popf\n  mov ac_word + 1, %eax\n  xor %eax, %eax\n  int $0x80\n"
        "u_ac_aligned:\n  pushf\n  orl $0x40000, (%esp)\n  popf\n  mov ac_word, %eax\n  movw ac_word + 2, %ax\n"
        "  movb ac_word + 3, %al\n  xor %eax, %eax\n  int $0x80\n");
void u_ac_misaligned(void), u_ac_aligned(void);
u32 ac_word __attribute__((aligned(8)));
static u32 user_stack[256];

static void user(const char *name, void (*fn)(void)) {
  caught_err = 0;
  u32 v = user_run(fn, &user_stack[256]);
  printf("user %s vec=%x err=%x\n", name, v, caught_err);
}

int main(void) {
  idt_install();
  user_setup();
  u32 a = (u32)area;
  set_desc(6, a, 0xfff, 0x92, 0x4);  /* 0x30: data, limit 0xfff, 32-bit */
  set_desc(7, a, 0xfff, 0x90, 0x4);  /* 0x38: read-only data */
  set_desc(8, a - 0x10000, 0xffff, 0x96, 0x4); /* 0x40: expand-down, B=1: offsets 0x10000.. */
  set_desc(9, a, 0xfff, 0x9a, 0x4);  /* 0x48: readable code */

  TRY("read-last-dword", "mov $0x30, %%eax\n\tmov %%eax, %%fs\n\tmov %%fs:0xffc, %%eax");
  TRY("read-across-limit", "mov $0x30, %%eax\n\tmov %%eax, %%fs\n\tmov %%fs:0xffd, %%eax");
  TRY("read-beyond-limit", "mov $0x30, %%eax\n\tmov %%eax, %%fs\n\tmovb %%fs:0x1000, %%al");
  TRY("write-read-only", "mov $0x38, %%eax\n\tmov %%eax, %%fs\n\tmovb $1, %%fs:0");
  TRY("read-read-only", "mov $0x38, %%eax\n\tmov %%eax, %%fs\n\tmovb %%fs:0, %%al");
  TRY("write-code", "mov $0x48, %%eax\n\tmov %%eax, %%fs\n\tmovb $1, %%fs:0");
  TRY("read-code", "mov $0x48, %%eax\n\tmov %%eax, %%fs\n\tmovb %%fs:0, %%al");
  TRY("expand-down-at-limit", "mov $0x40, %%eax\n\tmov %%eax, %%fs\n\tmovb %%fs:0xffff, %%al");
  TRY("expand-down-above", "mov $0x40, %%eax\n\tmov %%eax, %%fs\n\tmovb %%fs:0x10000, %%al");
  TRY("null-fs-read", "xor %%eax, %%eax\n\tmov %%eax, %%fs\n\tmovb %%fs:0, %%al");
  TRY("null-es-stosb", "xor %%eax, %%eax\n\tmov %%eax, %%es\n\tmov $area, %%edi\n\tstosb");
  TRY("rmw-read-only", "mov $0x38, %%eax\n\tmov %%eax, %%fs\n\tincl %%fs:0");
  /* rep movsb from FS:0xffd with a 0xfff limit: three bytes move, then #GP
   * with ECX counting the bytes not moved */
  TRY("rep-movsb-to-limit", "mov $0x30, %%eax\n\tmov %%eax, %%fs\n\t"
      "mov $0xffd, %%esi\n\tmov $area + 0x1000, %%edi\n\tmov $8, %%ecx\n\tcld\n\trep movsb %%fs:(%%esi), %%es:(%%edi)");
  printf("rep left %x\n", left);
  TRY_ON_SS40("enter-final-inside", ".byte 0xc8, 0x10, 0x00, 0x00 /* enter $0x10, $0 */");
  TRY_ON_SS40("enter-final-below", ".byte 0xc8, 0x00, 0x02, 0x00 /* enter $0x200, $0 */");

  user("ac-misaligned-am-off", u_ac_misaligned);
  __asm__ volatile("mov %%cr0, %%eax\n\tor $0x40000, %%eax\n\tmov %%eax, %%cr0" ::: "eax");
  user("ac-misaligned", u_ac_misaligned);
  user("ac-aligned", u_ac_aligned);
  __asm__ volatile("mov %%cr0, %%eax\n\tand $~0x40000, %%eax\n\tmov %%eax, %%cr0" ::: "eax");
  /* ring 0 is never alignment-checked */
  __asm__ volatile("pushf\n\torl $0x40000, (%%esp)\n\tpopf\n\tmov ac_word + 1, %%eax" ::: "eax", "cc");
  printf("ring 0 misaligned fine\n");
  return 0;
}
