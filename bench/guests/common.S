/* Shared by the benchmark guests: a Multiboot header, and a routine that
 * prints EDX as eight hex digits and a newline on COM1, then exits through
 * the debug-exit port (wasm386, QEMU with isa-debug-exit). */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x3

  .section .multiboot, "a"
  .align 4
  .long MB_MAGIC
  .long MB_FLAGS
  .long -(MB_MAGIC + MB_FLAGS)

  .text
  .globl report_and_exit
report_and_exit:
  mov $stack_top, %esp
  mov %edx, %esi
  mov $8, %ecx
1:
  rol $4, %esi
  mov %esi, %eax
  and $0xf, %eax
  movb hexdigits(%eax), %al
  call putc
  loop 1b
  mov $'\n', %al
  call putc
  xor %eax, %eax
  out %eax, $0xf4
2:
  cli
  hlt
  jmp 2b

/* putc: AL to COM1; clobbers EBX and EDX. */
putc:
  mov %eax, %ebx
  mov $0x3fd, %dx
3:
  inb %dx, %al
  test $0x20, %al
  jz 3b
  mov $0x3f8, %dx
  mov %ebx, %eax
  outb %al, %dx
  ret

  .bss
  .align 16
  .skip 4096
stack_top:

  .section .rodata
hexdigits:
  .ascii "0123456789abcdef"
