/* PIT channel 0 as the clock: HZ interrupts a second on IRQ 0. */
#include "kernel.h"
#include "module.h"
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

/* The wall clock: the RTC read once at boot, then the ticks since. */
static u32 boot_epoch;

static u32 cmos(u8 reg) {
  outb(0x70, reg);
  return inb(0x71);
}

static u32 days_from_civil(u32 y, u32 m, u32 d) {
  /* days since 1970-01-01 of a Gregorian date (y >= 1970) */
  static const u16 before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  u32 days = (y - 1970) * 365 + (y - 1969) / 4 - (y - 1901) / 100 + (y - 1601) / 400;
  days += before[(m - 1) % 12] + d - 1;
  if (m > 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) days++;
  return days;
}

static u32 from_bcd(u32 v) { return (v & 0x0f) + (v >> 4) * 10; }

void rtc_read_boot_time(void) {
  while (cmos(0x0A) & 0x80) {} /* not during an update */
  u32 sec = cmos(0), min = cmos(2), hour = cmos(4), day = cmos(7), mon = cmos(8), year = cmos(9);
  u32 b = cmos(0x0B);
  int pm = (hour & 0x80) != 0;
  hour &= 0x7f;
  if (!(b & 4)) {
    sec = from_bcd(sec), min = from_bcd(min), hour = from_bcd(hour);
    day = from_bcd(day), mon = from_bcd(mon), year = from_bcd(year);
  }
  if (!(b & 2)) hour = hour % 12 + (pm ? 12 : 0); /* a 12-hour clock */
  boot_epoch = days_from_civil(2000 + year, mon, day) * 86400 + hour * 3600 + min * 60 + sec;
}

u32 time_now(void) { return boot_epoch + ticks / HZ; }

/* The wall clock at boot, which settimeofday moves. */
u32 boot_time(void) { return boot_epoch; }
void set_boot_time(u32 t) { boot_epoch = t; }

EXPORT_SYMBOL(ticks);
EXPORT_SYMBOL(time_now);
