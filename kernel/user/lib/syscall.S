/* long __syscall(long n, long a, b, c, d, e, f): int 0x80 with the number
 * in EAX and up to six arguments in EBX ECX EDX ESI EDI EBP. */
  .text
  .globl __syscall
__syscall:
  push %ebp
  push %edi
  push %esi
  push %ebx
  mov 20(%esp), %eax
  mov 24(%esp), %ebx
  mov 28(%esp), %ecx
  mov 32(%esp), %edx
  mov 36(%esp), %esi
  mov 40(%esp), %edi
  mov 44(%esp), %ebp
  int $0x80
  pop %ebx
  pop %esi
  pop %edi
  pop %ebp
  ret
