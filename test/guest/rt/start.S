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

  .text
  .globl _start
_start:
  mov $stack_top, %esp
  cld
  push %ebx
  push %eax
  call rt_main
  out %eax, $0xf4
1:
  cli
  hlt
  jmp 1b
