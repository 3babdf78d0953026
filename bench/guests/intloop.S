/* Register-only integer loop: five instructions an iteration, no memory
 * access, for the interpreter's peak instruction rate. The checksum in EDX
 * is verified by the runner (bench/workloads.ts computes it independently). */
  .text
  .globl _start
_start:
  mov $40000000, %ecx
  mov $0x9e3779b9, %eax
  mov $1, %ebx
  xor %edx, %edx
1:
  add %eax, %ebx
  xor %ebx, %edx
  add $0x3c6ef372, %eax
  dec %ecx
  jnz 1b
  jmp report_and_exit
