/* Entry from a Multiboot loader: protected mode, paging off, EAX = magic,
 * EBX = physical address of the information structure. Turns on paging with
 * a boot page directory that maps the first 4 MiB both at 0 and at KERNBASE
 * (4 MiB pages), moves to the higher half and calls kmain. */
#include "multiboot.h"
#include "memlayout.h"
#include "mmu.h"

#define MB_FLAGS (1 << 0 | 1 << 1) /* page-aligned modules, memory information */

  .section .multiboot, "a"
  .align 4
  .long MB_HEADER_MAGIC
  .long MB_FLAGS
  .long -(MB_HEADER_MAGIC + MB_FLAGS)

  /* The stack kmain and then the scheduler run on: a section of its own,
   * which kernel.ld places at a fixed offset (see there). */
  .section .bootstack, "aw", @progbits
  .align 16
boot_stack:
  .fill 16384, 1, 0
  .globl boot_stack_top
boot_stack_top:

  .section .data
  .align 4096
entry_pgdir:
  .long 0x00000000 | PTE_P | PTE_W | PTE_PS        /* 0..4 MiB at 0, while switching */
  .fill (KERNBASE >> 22) - 1, 4, 0
  .long 0x00000000 | PTE_P | PTE_W | PTE_PS        /* 0..4 MiB at KERNBASE */
  .fill 1024 - (KERNBASE >> 22) - 1, 4, 0

  .section .text
  .globl _start
_start:
  mov %cr4, %ecx
  or $CR4_PSE, %ecx
  mov %ecx, %cr4
  mov $(entry_pgdir - KERNBASE), %ecx
  mov %ecx, %cr3
  mov %cr0, %ecx
  or $(CR0_PG | CR0_WP), %ecx
  mov %ecx, %cr0
  mov $boot_stack_top, %esp
  cld
  push %ebx
  push %eax
  mov $kmain, %ecx
  call *%ecx
1:
  cli
  hlt
  jmp 1b
