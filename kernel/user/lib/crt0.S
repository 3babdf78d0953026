/* Program entry: the kernel leaves argc, argv, envp and auxv on the stack. */
  .text
  .globl _start
_start:
  xor %ebp, %ebp
  mov (%esp), %eax          /* argc */
  lea 4(%esp), %ecx         /* argv */
  lea 8(%esp,%eax,4), %edx  /* envp: past argv's NULL */
  mov %edx, environ
  and $-16, %esp
  sub $4, %esp
  push %edx
  push %ecx
  push %eax
  call main
  mov %eax, (%esp)
  call exit
1:
  jmp 1b
