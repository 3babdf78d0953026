/* Multiboot entry for test guests: a stack, main(cmdline), then exit through
 * the debug-exit port with main's return value. */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x3

  .section .multiboot, "a"
  .align 4
  .long MB_MAGIC
  .long MB_FLAGS
  .long -(MB_MAGIC + MB_FLAGS)

  .bss
  .align 16
  .skip 65536
stack_top:

  .data
  .align 8
  .globl gdt
gdt:
  .quad 0
  .quad 0x00cf9a000000ffff /* 0x08: code, base 0, 4 GiB, 32-bit */
  .quad 0x00cf92000000ffff /* 0x10: data, base 0, 4 GiB, 32-bit */
  .quad 0x00cf12000000ffff /* 0x18: data, not present */
  .quad 0x008f9a000000ffff /* 0x20: code, 16-bit, 4 GiB */
  .quad 0x00cf92000000ffff /* 0x28: spare, for tests to rewrite */
  .quad 0, 0, 0, 0         /* 0x30..0x48: spare */
  .quad 0x00cffa000000ffff /* 0x50: ring 3 code (selector 0x53) */
  .quad 0x00cff2000000ffff /* 0x58: ring 3 data (selector 0x5b) */
  .quad 0                  /* 0x60: the TSS, filled by user_setup() */
  .quad 0, 0, 0            /* 0x68..0x78: spare */
gdt_end:
gdt_ptr:
  .word gdt_end - gdt - 1
  .long gdt

  .text
  .globl _start
_start:
  mov $stack_top, %esp
  cld
  /* Multiboot leaves GDTR undefined: load a flat GDT of our own. */
  lgdt gdt_ptr
  ljmp $0x08, $1f
1:
  mov $0x10, %ecx
  mov %ecx, %ds
  mov %ecx, %es
  mov %ecx, %fs
  mov %ecx, %gs
  mov %ecx, %ss
  push %ebx
  push %eax
  call rt_main
  out %eax, $0xf4
1:
  cli
  hlt
  jmp 1b
