/* Entry from a Multiboot loader: protected mode, paging off, EAX = magic,
 * EBX = physical address of the information structure. */
#include "multiboot.h"

#define MB_FLAGS (1 << 0 | 1 << 1) /* page-aligned modules, memory information */

  .section .multiboot, "a"
  .align 4
  .long MB_HEADER_MAGIC
  .long MB_FLAGS
  .long -(MB_HEADER_MAGIC + MB_FLAGS)

  .section .bss
  .align 16
boot_stack:
  .skip 16384
boot_stack_top:

  .section .text
  .globl _start
_start:
  mov $boot_stack_top, %esp
  cld
  push %ebx
  push %eax
  call kmain
1:
  cli
  hlt
  jmp 1b
