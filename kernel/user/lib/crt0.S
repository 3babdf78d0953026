/* Program entry: the kernel leaves argc, argv, envp and auxv on the stack. */
  .text
  .globl _start
_start:
  xor %ebp, %ebp
  mov (%esp), %eax     /* argc */
  lea 4(%esp), %ecx    /* argv */
  push %ecx
  push %eax
  call main
  mov %eax, %ebx
  mov $1, %eax         /* exit(main's return value) */
  int $0x80
1:
  jmp 1b
