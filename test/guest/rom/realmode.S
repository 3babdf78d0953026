/* Real-mode checks from the reset vector: segment arithmetic, 16-bit
 * addressing and its wrap at 64 KiB, 32-bit operands under 0x66, near and
 * far calls, the IVT (INT n and #DE), string instructions, the stack wrap.
 * Each line prints the values a test computed; QEMU (-bios) is the reference. */
  .code16
  .text

/* print NAME, then the registers AX BX CX DX as hex words */
.macro REPORT name
  pushf
  push %dx
  push %cx
  push %bx
  push %ax
  mov $1f, %si
  call puts
  jmp 2f
1: .asciz "\name"
2:
  pop %ax
  call puthex
  pop %ax
  call puthex
  pop %ax
  call puthex
  pop %ax
  call puthex
  pop %ax
  and $0x8d5, %ax /* arithmetic flags only */
  call puthex
  mov $'\r', %al
  call putc
  mov $'\n', %al
  call putc
.endm

  .globl start
start:
  cli
  cld
  mov %cs, %ax
  mov %ax, %ds /* strings live in the ROM */
  xor %ax, %ax
  mov %ax, %ss
  mov $0x7000, %sp

  /* segment arithmetic: 1000:0010 and 1001:0000 are the same byte */
  mov $0x1000, %ax
  mov %ax, %es
  movw $0xbeef, %es:0x0010
  mov $0x1001, %ax
  mov %ax, %fs
  mov %fs:0x0000, %bx
  mov %es, %ax
  xor %cx, %cx
  xor %dx, %dx
  REPORT "segments"

  /* [bx+si] wraps at 64 KiB: FFF0 + 0020 addresses offset 0010 */
  mov $0x2000, %ax
  mov %ax, %es
  movw $0, %es:0x0010
  mov $0xfff0, %bx
  mov $0x0020, %si
  movw $0x1234, %es:(%bx,%si)
  mov %es:0x0010, %ax
  lea 0x7f(%bx,%si), %cx
  lea -2(%bp,%di), %dx
  REPORT "wrap"

  /* every 16-bit addressing form through lea */
  mov $0x1111, %bx
  mov $0x2222, %si
  mov $0x3333, %di
  mov $0x4444, %bp
  xor %dx, %dx
  lea 1(%bx,%si), %ax
  add %ax, %dx
  lea 2(%bx,%di), %ax
  add %ax, %dx
  lea 3(%bp,%si), %ax
  add %ax, %dx
  lea 4(%bp,%di), %ax
  add %ax, %dx
  lea 0x105(%si), %ax
  add %ax, %dx
  lea -0x106(%di), %ax
  add %ax, %dx
  lea 0x7(%bp), %ax
  add %ax, %dx
  lea 0x1234, %ax
  add %ax, %dx
  lea 8(%bx), %cx
  mov %dx, %ax
  REPORT "addressing"

  /* 32-bit operands: add with carry out, shift, multiply */
  mov $0x89abcdef, %eax
  add $0x76543211, %eax
  pushf
  mov $0x12345678, %ebx
  shl $4, %ebx
  mov $0x10001, %ecx
  imul %ecx, %ebx
  popf
  mov %eax, %ecx
  shr $16, %ecx
  mov %ebx, %edx
  shr $16, %edx
  REPORT "op32"

  /* 16-bit mul and div */
  mov $0x1234, %ax
  mov $0x5678, %bx
  mul %bx
  mov %dx, %cx
  mov $0x7001, %bx /* above DX, so the quotient fits */
  div %bx
  REPORT "muldiv"

  /* near call, far call to F000:far_func, ret imm16 */
  xor %ax, %ax
  push $0x55
  call near_func
  lcall $0xf000, $far_func
  mov %sp, %bx
  xor %cx, %cx
  xor %dx, %dx
  REPORT "calls"

  /* INT n through the IVT: handler at F000:int60 */
  xor %ax, %ax
  mov %ax, %es
  movw $int60, %es:0x60*4
  movw $0xf000, %es:0x60*4+2
  mov $0x0101, %ax
  stc
  int $0x60
  pushf
  pop %cx /* the handler's flag changes do not survive iret */
  and $1, %cx
  mov %sp, %dx
  REPORT "int"

  /* #DE through IVT vector 0: the pushed IP is the div instruction's */
  movw $de_handler, %es:0
  movw $0xf000, %es:2
  mov $0x7777, %ax
  xor %bx, %bx
  xor %cx, %cx
  xor %dx, %dx
de_at:
  div %bl
  mov %cx, %bx /* the handler put the faulting IP in CX */
  sub $de_at, %bx
  REPORT "divide-error"

  /* string instructions: copy from the ROM, then compare */
  mov $0x3000, %ax
  mov %ax, %es
  mov $msg, %si
  xor %di, %di
  mov $12, %cx
  rep movsb
  mov $msg, %si
  xor %di, %di
  mov $12, %cx
  repe cmpsb
  mov %cx, %ax
  mov %si, %bx
  sub $msg, %bx
  mov %di, %cx
  mov %es:5, %dx
  REPORT "strings"

  /* the stack wraps: SP 0 -> FFFE */
  mov $0x4000, %ax
  mov %ax, %ss
  xor %sp, %sp
  push $0xabcd
  mov %sp, %bx
  mov %ss:0xfffe, %cx
  pop %dx
  mov %sp, %ax
  xor %cx, %cx
  mov %cx, %ss
  mov $0x7000, %sp
  mov %ss:0, %cx
  REPORT "stack-wrap"

  /* leave through the debug-exit port: status (0 << 1) | 1 */
  xor %eax, %eax
  out %eax, $0xf4
halt:
  hlt
  jmp halt

near_func:
  push %bp
  mov %sp, %bp
  mov 4(%bp), %ax
  add $0x100, %ax
  pop %bp
  ret $2

far_func:
  add $0x2000, %ax
  lret

int60:
  add $0x0202, %ax
  clc
  iret

de_handler:
  push %bp
  mov %sp, %bp
  mov 2(%bp), %cx /* IP of the faulting instruction */
  addw $2, 2(%bp) /* skip the 2-byte div */
  pop %bp
  iret

/* puts: DS:SI; putc: AL; puthex: AX as 4 digits and a space */
puts:
  lodsb
  test %al, %al
  jz 1f
  call putc
  jmp puts
1:
  mov $' ', %al
  jmp putc

puthex:
  mov $4, %cx
1:
  rol $4, %ax
  push %ax
  and $0xf, %al
  add $'0', %al
  cmp $'9', %al
  jbe 2f
  add $'a' - '0' - 10, %al
2:
  call putc
  pop %ax
  loop 1b
  mov $' ', %al
  jmp putc

putc:
  push %dx
  push %ax
  mov $0x3fd, %dx
1:
  in %dx, %al
  test $0x20, %al
  jz 1b
  pop %ax
  mov $0x3f8, %dx
  out %al, %dx
  pop %dx
  ret

msg:
  .ascii "hello, world"

  .section .reset, "ax"
  ljmp $0xf000, $start
