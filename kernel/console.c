/* The early console: COM1 driven by polling, for printk from the first
 * instruction on. It only writes; the interrupt-driven tty driver comes later. */
#include "kernel.h"
#include "x86.h"

#define COM1 0x3F8
#define LSR_THRE 0x20

void console_init(void) {
  outb(COM1 + 1, 0x00); /* no interrupts */
  outb(COM1 + 3, 0x80); /* DLAB on to set the divisor */
  outb(COM1 + 0, 0x01); /* 115200 baud */
  outb(COM1 + 1, 0x00);
  outb(COM1 + 3, 0x03); /* 8 data bits, no parity, one stop bit */
  outb(COM1 + 2, 0x05); /* FIFOs on; the transmit one cleared, input typed ahead kept */
  outb(COM1 + 4, 0x03); /* DTR, RTS */
}

void console_raw(char c) {
  while ((inb(COM1 + 5) & LSR_THRE) == 0)
    ;
  outb(COM1, (u8)c);
}

void console_putc(char c) {
  if (c == '\n') console_raw('\r');
  console_raw(c);
}
