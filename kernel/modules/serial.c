/* serial.ko: the 16550 UART on COM1 as the terminal's driver. Received
 * characters raise IRQ 4 and go to the tty layer's line discipline; output
 * waits for the transmitter. Loaded, it becomes the console (and stays in
 * use as long as it is). */
#include "kernel.h"
#include "module.h"
#include "tty.h"
#include "x86.h"

#define COM1 0x3F8
#define RBR 0
#define IER 1
#define MCR 4
#define LSR 5
#define LSR_DR 0x01
#define LSR_THRE 0x20

static void serial_putc(char c) {
  while (!(inb(COM1 + LSR) & LSR_THRE)) {}
  outb(COM1, (u8)c);
}

static int throttled;

/* Takes what the UART holds while the tty has room; when it has none, the
 * receive interrupt goes off and the characters wait in the UART until
 * the tty asks for more (serial_unthrottle). */
static void serial_interrupt(void) {
  while (inb(COM1 + LSR) & LSR_DR) {
    if (tty_room() <= 0) {
      throttled = 1;
      outb(COM1 + IER, 0x00);
      return;
    }
    tty_input((char)inb(COM1 + RBR));
  }
}

static void serial_unthrottle(void) {
  if (!throttled || tty_room() <= 0) return;
  throttled = 0;
  outb(COM1 + IER, 0x01);
  serial_interrupt();
}

static int serial_init(void) {
  int err = request_irq(4, serial_interrupt, THIS_MODULE);
  if (err) return err;
  outb(COM1 + MCR, 0x0b); /* DTR, RTS, OUT2: the UART's interrupt line reaches the PIC */
  outb(COM1 + IER, 0x01); /* interrupt when a character arrives */
  tty_set_driver(serial_putc, serial_unthrottle, THIS_MODULE);
  serial_interrupt();     /* what was typed before now */
  printk("serial: ttyS0 at 0x3f8, irq 4, is the console\n");
  return 0;
}

static void serial_exit(void) {
  outb(COM1 + IER, 0x00);
  free_irq(4);
  tty_set_driver(NULL, NULL, NULL);
}

module_init(serial_init);
module_exit(serial_exit);
MODULE_NAME("serial");
MODULE_DESCRIPTION("16550 UART driver: input on IRQ 4 for /dev/ttyS0 and the console");
MODULE_LICENSE("MIT");
