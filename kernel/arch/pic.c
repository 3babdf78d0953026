/* The two 8259A PICs, remapped so IRQ 0-15 arrive as vectors 32-47 (the
 * BIOS leaves IRQ 0-7 on the CPU's exception vectors). All lines start
 * masked; drivers unmask theirs. */
#include "kernel.h"
#include "x86.h"
#include "mmu.h"

static u16 mask = 0xffff & ~(1 << 2); /* the cascade stays open */

static void apply(void) {
  outb(0x21, mask & 0xff);
  outb(0xa1, mask >> 8);
}

void pic_init(void) {
  outb(0x20, 0x11); outb(0xa0, 0x11);         /* ICW1: edge, cascade, ICW4 follows */
  outb(0x21, T_IRQ0); outb(0xa1, T_IRQ0 + 8); /* ICW2: vector bases */
  outb(0x21, 1 << 2); outb(0xa1, 2);          /* ICW3: slave on IRQ 2 */
  outb(0x21, 0x01); outb(0xa1, 0x01);         /* ICW4: 8086 mode */
  apply();
}

void pic_enable(int irq) {
  mask &= ~(1 << irq);
  apply();
}

/* End of interrupt: the slave too for IRQ 8-15. */
void pic_eoi(int irq) {
  if (irq >= 8) outb(0xa0, 0x20);
  outb(0x20, 0x20);
}
