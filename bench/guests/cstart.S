/* Entry for the C workloads: a stack, bench(), its checksum printed. */
  .text
  .globl _start
_start:
  mov $c_stack_top, %esp
  call bench
  mov %eax, %edx
  jmp report_and_exit

  .bss
  .align 16
  .skip 65536
c_stack_top:
