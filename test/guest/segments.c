/* Segment-register loads and their checks, the LDT, accessed bits, LAR, LSL,
 * VERR, VERW, SGDT/SIDT/SLDT/STR, and the TSS I/O permission bitmap from
 * ring 3, compared with QEMU. */
#include "rt/rt.h"

static u32 user_stack[256];
static u32 ldt[4 * 2];

static void set_desc(u32 *table, int slot, u32 base, u32 limit, u32 access, u32 flags) {
  table[slot * 2] = (limit & 0xffff) | (base << 16);
  table[slot * 2 + 1] = ((base >> 16) & 0xff) | (access << 8) | (limit & 0xf0000) | (flags << 20) | (base & 0xff000000);
}

#define TRY(name, code, ...)                                                                   \
  do {                                                                                         \
    caught_vec = 0xff;                                                                         \
    caught_err = 0;                                                                            \
    __asm__ volatile("movl $1f, recover_eip\n\t" code "\n1:\n\tmov $0x10, %%ecx\n\tmov %%ecx, %%ds\n\t" \
                     "mov %%ecx, %%es\n\tmov %%ecx, %%fs\n\tmov %%ecx, %%gs\n\tmov %%ecx, %%ss\n"       \
                     : : __VA_ARGS__ : "eax", "ecx", "edx", "memory", "cc");                   \
    printf("%s vec=%x err=%x\n", name, caught_vec, caught_err);                                \
  } while (0)

/* LAR/LSL/VERR/VERW on one selector: ZF and the value for each. */
static void query(const char *name, u32 sel) {
  u32 lar = 0xdead, lsl = 0xdead, zl, zs, zr, zw;
  __asm__ volatile("lar %[s], %[v]\n\tsetz %b[z]" : [v] "+r"(lar), [z] "=q"(zl) : [s] "r"(sel) : "cc");
  __asm__ volatile("lsl %[s], %[v]\n\tsetz %b[z]" : [v] "+r"(lsl), [z] "=q"(zs) : [s] "r"(sel) : "cc");
  __asm__ volatile("verr %w[s]\n\tsetz %b[z]" : [z] "=q"(zr) : [s] "r"(sel) : "cc");
  __asm__ volatile("verw %w[s]\n\tsetz %b[z]" : [z] "=q"(zw) : [s] "r"(sel) : "cc");
  printf("%s lar %x:%x lsl %x:%x verr %x verw %x\n", name, zl & 1, lar, zs & 1, lsl, zr & 1, zw & 1);
}

__asm__(".text\n"
        "u_in80:\n  in $0x80, %al\n  xor %eax, %eax\n  int $0x80\n"
        "u_in81:\n  in $0x81, %al\n  xor %eax, %eax\n  int $0x80\n"
        "u_inw80:\n  in $0x80, %ax\n  xor %eax, %eax\n  int $0x80\n" /* 0x80 allowed, 0x81 not */
        "u_outw82:\n  mov $0x82, %dx\n  out %ax, %dx\n  xor %eax, %eax\n  int $0x80\n"
        "u_in_high:\n  mov $0x3f8, %dx\n  in %dx, %al\n  xor %eax, %eax\n  int $0x80\n"
        "u_in_beyond:\n  mov $0x400, %dx\n  in %dx, %al\n  xor %eax, %eax\n  int $0x80\n"
        "u_lar:\n  mov $0x10, %ecx\n  lar %ecx, %eax\n  setz %al\n  movzbl %al, %eax\n  mov %eax, user_out\n"
        "  xor %eax, %eax\n  int $0x80\n");
void u_in80(void), u_in81(void), u_inw80(void), u_outw82(void), u_in_high(void), u_in_beyond(void), u_lar(void);
u32 user_out;
extern u8 iomap[];

static void user(const char *name, void (*fn)(void)) {
  caught_err = 0;
  u32 v = user_run(fn, &user_stack[256]);
  printf("user %s %s err=%x\n", name, v == 0x80 ? "exit" : v == 13 ? "#GP" : "other", caught_err);
}

int main(void) {
  idt_install();
  user_setup();
  /* 0x30 execute-only code, 0x38 read-only data, 0x40 expand-down data,
   * 0x48 DPL 3 data, 0x50/0x58 ring 3 (from rt), 0x68 LDT, 0x70 16-bit
   * data with byte limit 0x1234, 0x78 interrupt gate (not a segment) */
  set_desc(gdt, 6, 0, 0xfffff, 0x98, 0xc);
  set_desc(gdt, 7, 0, 0xfffff, 0x90, 0xc);
  set_desc(gdt, 8, 0, 0x00fff, 0x96, 0x4);
  set_desc(gdt, 9, 0, 0xfffff, 0xf2, 0xc);
  set_desc(gdt, 13, (u32)ldt, sizeof ldt - 1, 0x82, 0);
  set_desc(gdt, 14, 0x10000, 0x1234, 0x92, 0x0);
  gdt[15 * 2] = 0x00080000;
  gdt[15 * 2 + 1] = 0x8e00;
  set_desc(ldt, 1, 0, 0xfffff, 0x92, 0xc); /* LDT selector 0x0c: data */
  set_desc(ldt, 2, 0, 0xfffff, 0x12, 0xc); /* 0x14: not present */

  TRY("ds-exec-only", "mov $0x30, %%eax\n\tmov %%eax, %%ds", "r"(0));
  TRY("ds-read-only", "mov $0x38, %%eax\n\tmov %%eax, %%ds", "r"(0));
  TRY("ss-read-only", "mov $0x38, %%eax\n\tmov %%eax, %%ss", "r"(0));
  TRY("ds-expand-down", "mov $0x40, %%eax\n\tmov %%eax, %%ds", "r"(0));
  TRY("ss-expand-down", "mov $0x40, %%eax\n\tmov %%eax, %%ss", "r"(0));
  TRY("ds-rpl3-dpl0", "mov $0x13, %%eax\n\tmov %%eax, %%ds", "r"(0));
  TRY("ss-rpl3", "mov $0x13, %%eax\n\tmov %%eax, %%ss", "r"(0));
  TRY("ss-dpl3", "mov $0x48, %%eax\n\tmov %%eax, %%ss", "r"(0));
  TRY("ds-dpl3", "mov $0x48, %%eax\n\tmov %%eax, %%ds", "r"(0));
  TRY("ds-code-readable", "mov $0x08, %%eax\n\tmov %%eax, %%ds", "r"(0));
  TRY("ds-ldt-descriptor", "mov $0x68, %%eax\n\tmov %%eax, %%ds", "r"(0));
  TRY("ds-gate", "mov $0x78, %%eax\n\tmov %%eax, %%ds", "r"(0));
  /* Multiboot leaves LDTR undefined: make it null first. */
  TRY("ds-ldt-null-ldtr", "xor %%eax, %%eax\n\tlldt %%ax\n\tmov $0x0c, %%eax\n\tmov %%eax, %%ds", "r"(0));
  TRY("lldt-not-ldt", "mov $0x10, %%eax\n\tlldt %%ax", "r"(0));
  TRY("lldt", "mov $0x68, %%eax\n\tlldt %%ax", "r"(0));
  TRY("ds-ldt", "mov $0x0c, %%eax\n\tmov %%eax, %%ds", "r"(0));
  TRY("fs-ldt-not-present", "mov $0x14, %%eax\n\tmov %%eax, %%fs", "r"(0));
  TRY("gs-ldt-beyond", "mov $0x24, %%eax\n\tmov %%eax, %%gs", "r"(0));
  TRY("ltr-busy", "mov $0x60, %%eax\n\tltr %%ax", "r"(0));
  TRY("ltr-data", "mov $0x10, %%eax\n\tltr %%ax", "r"(0));

  gdt[14 * 2 + 1] &= ~0x100; /* clear accessed */
  __asm__ volatile("mov $0x70, %%eax\n\tmov %%eax, %%fs\n\tmov $0x10, %%eax\n\tmov %%eax, %%fs" ::: "eax");
  printf("accessed bit after load %x\n", (gdt[14 * 2 + 1] >> 8) & 1);

  query("null", 0);
  query("code", 0x08);
  query("data", 0x10);
  query("data-rpl3", 0x13);
  query("exec-only", 0x30);
  query("read-only", 0x38);
  query("expand-down", 0x40);
  query("ring3-data", 0x4b);
  query("ring3-code", 0x53);
  query("tss-busy", 0x60);
  query("ldt", 0x68);
  query("byte-limit", 0x70);
  query("int-gate", 0x78);
  query("beyond-gdt", 0x400);
  query("ldt-data", 0x0c);

  struct { u16 limit; u32 base; } __attribute__((packed)) g, i;
  u16 ldtr, tr;
  __asm__ volatile("sgdt %0\n\tsidt %1\n\tsldt %2\n\tstr %3" : "=m"(g), "=m"(i), "=r"(ldtr), "=r"(tr));
  printf("sgdt limit %x base-ok %x sidt limit %x base-ok %x sldt %x str %x\n", g.limit, g.base == (u32)gdt,
         i.limit, i.base == (u32)idt, ldtr, tr);

  /* The I/O permission bitmap: open ports 0x80 and 0x82..0x83 to ring 3. */
  iomap[0x80 / 8] &= ~(1 << 0);
  iomap[0x82 / 8] &= ~(3 << 2);
  user("in-0x80", u_in80);
  user("in-0x81", u_in81);
  user("inw-0x80", u_inw80);
  user("outw-0x82", u_outw82);
  user("in-0x3f8", u_in_high);
  user("in-0x400-beyond-map", u_in_beyond);
  user("lar-kernel-data", u_lar);
  printf("lar from ring 3 zf %x\n", user_out);
  return 0;
}
