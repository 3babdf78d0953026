/* swtch(struct context **old, struct context *new): saves the callee-saved
 * registers on the current stack, stores that stack in *old, and resumes
 * the stack in new. */
  .text
  .globl swtch
swtch:
  mov 4(%esp), %eax
  mov 8(%esp), %edx
  push %ebp
  push %ebx
  push %esi
  push %edi
  mov %esp, (%eax)
  mov %edx, %esp
  pop %edi
  pop %esi
  pop %ebx
  pop %ebp
  ret
