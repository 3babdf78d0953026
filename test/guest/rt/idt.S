/* Exception catching for test guests: an IDT whose 256 gates lead to one
 * handler that records the vector, error code and faulting EIP, then
 * resumes at the address in recover_eip. */
  .data
  .globl idt, caught_vec, caught_err, caught_eip, caught_cr2, recover_eip
  .align 8
idt:
  .skip 256 * 8
idt_ptr:
  .word 256 * 8 - 1
  .long idt
caught_vec: .long 0
caught_err: .long 0
caught_eip: .long 0
caught_cr2: .long 0
recover_eip: .long 0

  .text
/* Vectors that push an error code: 8, 10-14, 17. The others push a 0. */
#define STUB(v, has_err) \
  .align 16; \
  .if !has_err; pushl $0; .endif; \
  pushl $v; \
  jmp common

stubs:
  .irp v, 0,1,2,3,4,5,6,7,9,15,16,18,19,20,21,22,23,24,25,26,27,28,29,30,31
  STUB(\v, 0)
  .endr
  .irp v, 8,10,11,12,13,14,17
  STUB(\v, 1)
  .endr

/* Gates 32..255 share one stub that reports vector 0x100. */
  .align 16
stub_other:
  pushl $0
  pushl $0x100
  jmp common

/* DS may be anything the interrupted code loaded (a ring 3 segment with a
 * small limit, say): the handler uses the kernel's own. */
common:
  push %ds
  push %eax
  mov $0x10, %eax
  mov %eax, %ds
  mov 8(%esp), %eax
  mov %eax, caught_vec
  mov 12(%esp), %eax
  mov %eax, caught_err
  mov 16(%esp), %eax
  mov %eax, caught_eip
  mov %cr2, %eax
  mov %eax, caught_cr2
  testb $3, 20(%esp)     /* from ring 3: back to user_run's caller */
  jz 2f
  mov caught_vec, %eax
  jmp user_return
2:
  mov recover_eip, %eax
  mov %eax, 16(%esp)
  pop %eax
  pop %ds
  add $8, %esp
  iret

/* idt_install(): fills every gate as a 32-bit interrupt gate, DPL 3. */
  .globl idt_install
idt_install:
  push %ebx
  xor %ecx, %ecx
1:
  mov $stub_other, %eax
  cmp $32, %ecx
  jae 3f
  /* vectors 0..31: stub_N is at stubs + 16 * position in the lists above */
  mov %ecx, %edx
  movzbl stub_index(%edx), %edx
  shl $4, %edx
  lea stubs(%edx), %eax
3:
  mov %eax, %edx
  and $0xffff, %edx
  or $0x00080000, %edx /* selector 0x08 */
  mov %edx, idt(,%ecx,8)
  and $0xffff0000, %eax
  or $0xee00, %eax /* present, DPL 3, 32-bit interrupt gate */
  mov %eax, idt+4(,%ecx,8)
  inc %ecx
  cmp $256, %ecx
  jb 1b
  lidt idt_ptr
  pop %ebx
  ret

  .section .rodata
/* position of vector N's stub: 0..7 -> 0..7, 9 -> 8, 15..31 -> 9.., 8 -> 25, 10..14 -> 26.., 17 -> 31 */
stub_index:
  .byte 0,1,2,3,4,5,6,7,25,8,26,27,28,29,30,9
  .byte 10,31,11,12,13,14,15,16,17,18,19,20,21,22,23,24
