/* PIT channel 0 as the clock: HZ interrupts a second on IRQ 0. */
#include "kernel.h"
#include "x86.h"

#define PIT_HZ 1193182

volatile u32 ticks;

void timer_init(void) {
  u32 divisor = (PIT_HZ + HZ / 2) / HZ;
  outb(0x43, 0x34); /* channel 0, lo/hi, rate generator */
  outb(0x40, divisor & 0xff);
  outb(0x40, divisor >> 8);
  pic_enable(0);
}
