/* Interrupt and exception entry: one stub per vector pushes an error code
 * (0 where the CPU pushes none) and the vector, then alltraps builds a
 * struct trapframe and calls trap(). */
#include "mmu.h"

/* One 16-byte stub per vector. Vectors 8, 10-14 and 17 get their error
 * code from the CPU; the others push a 0 in its place. */
  .text
  .align 16
vectors_start:
  .set i, 0
  .rept 256
  .align 16
  .if !((i == 8) || (i >= 10 && i <= 14) || (i == 17))
  pushl $0
  .endif
  pushl $i
  jmp alltraps
  .set i, i + 1
  .endr

alltraps:
  push %ds
  push %es
  push %fs
  push %gs
  pushal
  mov $SEL_KDATA, %eax
  mov %eax, %ds
  mov %eax, %es
  /* The kernel runs with FS and GS null: a user's TLS selector left in GS
   * would name another process's slot (or an empty one) after a switch,
   * and an interrupt taken in the kernel then (the scheduler's idle
   * loop) would fault reloading it on the way out. */
  xor %eax, %eax
  mov %eax, %fs
  mov %eax, %gs
  push %esp
  call trap
  add $4, %esp
  .globl trapret
trapret:
  popal
  pop %gs
  pop %fs
  pop %es
  pop %ds
  add $8, %esp /* vector and error code */
  iret

  .section .rodata
  .globl vectors
vectors:
  .set i, 0
  .rept 256
  .long vectors_start + 16 * i
  .set i, i + 1
  .endr
