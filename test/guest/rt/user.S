/* Ring 3 for test guests. user_run(eip, esp) enters ring 3 through IRET
 * and returns to its caller when the user code ends: by a fault or
 * interrupt (the IDT stubs in idt.S come back through user_return), or by
 * "int $0x80" with EAX = 0. It returns the vector that ended the run
 * (0x80 for that exit); caught_* hold the details. */
#define USER_CS 0x53
#define USER_DS 0x5b

  .data
  .globl tss, iomap, kernel_esp
  .align 16
tss:
  .long 0                /* back link */
  .long 0                /* ESP0: set by user_run */
  .long 0x10             /* SS0 */
  .fill 22, 4, 0
  .word 0, iomap - tss   /* T; the I/O permission bitmap */
iomap:
  .fill 0x80, 1, 0xff    /* ports 0-0x3ff, all denied until a test clears bits */
  .byte 0xff             /* the terminator the processor may read past the end */
tss_end:
kernel_esp: .long 0

  .text
/* user_setup(): the TSS descriptor at 0x60 and TR, and gate 0x80 as a DPL 3
 * trap gate to the system-call stub. */
  .globl user_setup
user_setup:
  mov $tss, %eax
  mov %eax, %edx
  shl $16, %edx
  or $(tss_end - tss - 1), %edx
  mov %edx, gdt + 0x60
  mov %eax, %edx
  shr $16, %edx
  and $0xff, %edx
  and $0xff000000, %eax
  or %eax, %edx
  or $0x00008900, %edx   /* present, DPL 0, available 32-bit TSS */
  mov %edx, gdt + 0x64
  mov $0x60, %eax
  ltr %ax
  mov $syscall_stub, %eax
  mov %eax, %edx
  and $0xffff, %edx
  or $0x00080000, %edx
  mov %edx, idt + 0x80 * 8
  and $0xffff0000, %eax
  or $0xef00, %eax       /* present, DPL 3, 32-bit trap gate */
  mov %eax, idt + 0x80 * 8 + 4
  ret

  .globl user_run
user_run:
  push %ebp
  push %ebx
  push %esi
  push %edi
  mov 20(%esp), %eax
  mov 24(%esp), %ecx
  mov %esp, kernel_esp
  mov %esp, tss + 4
  push $USER_DS
  push %ecx
  pushf
  andl $~0x3200, (%esp)  /* IF off, IOPL 0 */
  push $USER_CS
  push %eax
  mov $USER_DS, %eax
  mov %eax, %ds
  mov %eax, %es
  mov %eax, %fs
  mov %eax, %gs
  xor %eax, %eax
  xor %ebx, %ebx
  xor %ecx, %ecx
  xor %edx, %edx
  xor %esi, %esi
  xor %edi, %edi
  xor %ebp, %ebp
  iret

/* int $0x80 from ring 3: EAX = 0 ends the run; otherwise a toy system
 * call, EAX = EBX + ECX, and ECX = the CS the trap frame holds. */
syscall_stub:
  test %eax, %eax
  jz 1f
  mov %ebx, %eax
  add %ecx, %eax
  mov 4(%esp), %ecx
  iret
1:
  mov $0x80, %eax
  jmp user_return

/* Entered from idt.S with the vector and error code pushed on the ring 0
 * stack above the trap frame; EAX holds the vector. */
  .globl user_return
user_return:
  mov $0x10, %ecx
  mov %ecx, %ds
  mov %ecx, %es
  mov %ecx, %fs
  mov %ecx, %gs
  mov kernel_esp, %esp
  pop %edi
  pop %esi
  pop %ebx
  pop %ebp
  ret
