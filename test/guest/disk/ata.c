/* The ATA disk, by polling and by interrupt: IDENTIFY, reads (28-bit,
 * 48-bit, CHS, multiple), writes of known patterns (which the host test
 * then finds in the image file), flush, errors, software reset. Run with a
 * disk image made by the test; its transcript is compared with QEMU's. */
#include "rt/rt.h"
#include "x86.h"

#define DATA 0x1f0
#define ERRREG 0x1f1
#define COUNT 0x1f2
#define LBA0 0x1f3
#define LBA1 0x1f4
#define LBA2 0x1f5
#define DEV 0x1f6
#define CMD 0x1f7
#define CTRL 0x3f6

static u16 buf[256 * 32];
volatile u32 irqs;

static u8 wait_ready(void) {
  u8 s;
  for (u32 i = 0; i < 10000000; i++) {
    s = inb(CTRL); /* alternate status: does not acknowledge */
    if (!(s & 0x80)) return s;
  }
  return 0xff;
}

/* Waits until more than k interrupts came. The check runs with interrupts
 * off and "sti; hlt" reopens them only for the hlt (the STI shadow), so an
 * interrupt between the check and the hlt cannot be missed. */
static void wait_irqs_above(u32 k) {
  for (;;) {
    __asm__ volatile("cli");
    if (irqs > k) break;
    __asm__ volatile("sti; hlt");
  }
  __asm__ volatile("sti");
}

static void lba28(u32 lba, u32 count) {
  outb(DEV, 0xe0 | ((lba >> 24) & 15));
  outb(COUNT, count);
  outb(LBA0, lba);
  outb(LBA1, lba >> 8);
  outb(LBA2, lba >> 16);
}

static void lba48(u32 lba, u32 count) {
  outb(DEV, 0x40);
  outb(COUNT, count >> 8);
  outb(LBA0, lba >> 24);
  outb(LBA1, 0);
  outb(LBA2, 0);
  outb(COUNT, count);
  outb(LBA0, lba);
  outb(LBA1, lba >> 8);
  outb(LBA2, lba >> 16);
}

/* Reads count sectors in blocks of block sectors after cmd was issued;
 * returns the CRC of the data, or the status on an error. */
static u32 read_blocks(u32 count, u32 block) {
  u32 crc = 0;
  for (u32 done = 0; done < count; done += block) {
    u8 s = wait_ready();
    if (s & 0x01 || !(s & 0x08)) return 0xe0000000 | s;
    u32 n = count - done < block ? count - done : block;
    for (u32 i = 0; i < n * 256; i++) buf[i] = inw(DATA);
    for (u32 i = 0; i < n * 128; i++) crc = crc32(crc, ((u32 *)buf)[i]);
  }
  u8 s = wait_ready();
  return (s & 0x09) ? 0xf0000000 | s : crc;
}

static u32 pattern(u32 lba, u32 i) { return (lba * 0x9e3779b9u) ^ (i * 0x85ebca6bu) ^ 0x5a5a0000u; }

static u32 write_blocks(u32 lba, u32 count, u32 block) {
  for (u32 done = 0; done < count; done += block) {
    u8 s = wait_ready();
    if (s & 0x01 || !(s & 0x08)) return 0xe0000000 | s;
    u32 n = count - done < block ? count - done : block;
    for (u32 k = 0; k < n; k++)
      for (u32 i = 0; i < 128; i++) {
        u32 v = pattern(lba + done + k, i);
        outw(DATA, v);
        outw(DATA, v >> 16);
      }
  }
  u8 s = wait_ready();
  return s & 0x09;
}

void irq14(void);
__asm__(".text\nirq14:\n  pusha\n  incl irqs\n  mov $0x1f7, %dx\n  inb %dx, %al\n"
        "  mov $0x20, %al\n  outb %al, $0xa0\n  outb %al, $0x20\n  popa\n  iret\n");

int main(void) {
  idt_install();
  /* PICs at 0x20/0x28 with only IRQ 14 (slave line 6) and the cascade open */
  outb(0x20, 0x11); outb(0xa0, 0x11); outb(0x21, 0x20); outb(0xa1, 0x28);
  outb(0x21, 0x04); outb(0xa1, 0x02); outb(0x21, 0x01); outb(0xa1, 0x01);
  outb(0x21, 0xfb); outb(0xa1, 0xbf);
  idt[0x2e * 2] = ((u32)irq14 & 0xffff) | (0x08 << 16);
  idt[0x2e * 2 + 1] = ((u32)irq14 & 0xffff0000) | 0x8e00;

  outb(CTRL, 0x02); /* nIEN: polling first */
  outb(DEV, 0xa0);
  outb(CMD, 0xec);
  wait_ready();
  for (u32 i = 0; i < 256; i++) buf[i] = inw(DATA);
  u32 lba28_sectors = buf[60] | (buf[61] << 16);
  printf("identify: sectors %x lba48 %x lba48-sectors %x status %x\n", lba28_sectors, (buf[83] >> 10) & 1,
         buf[100] | (buf[101] << 16), inb(CMD) & 0xf9);

  lba28(0, 1); outb(CMD, 0x20);
  printf("read lba 0: %x\n", read_blocks(1, 1));
  lba28(100, 3); outb(CMD, 0x20);
  printf("read lba 100 x3: %x\n", read_blocks(3, 1));
  lba48(5000, 2); outb(CMD, 0x24);
  printf("read ext lba 5000 x2: %x\n", read_blocks(2, 1));
  outb(DEV, 0xa0 | 2); outb(COUNT, 1); outb(LBA0, 3); outb(LBA1, 1); outb(LBA2, 0); /* CHS 1/2/3 */
  outb(CMD, 0x20);
  u32 chs = read_blocks(1, 1);
  lba28((1 * 16 + 2) * 63 + 2, 1); outb(CMD, 0x20);
  printf("chs 1/2/3 is lba 1136: %x\n", chs == read_blocks(1, 1));

  outb(COUNT, 8); outb(CMD, 0xc6); /* SET MULTIPLE 8 */
  printf("set multiple: status %x\n", wait_ready() & 0xf9);
  lba28(200, 20); outb(CMD, 0xc4);
  u32 multi = read_blocks(20, 8);
  lba28(200, 20); outb(CMD, 0x20);
  printf("read multiple 20 = single: %x %x\n", multi == read_blocks(20, 1), multi);

  lba28(300, 2); outb(CMD, 0x30);
  printf("write lba 300 x2: %x\n", write_blocks(300, 2, 1));
  lba28(400, 10); outb(CMD, 0xc5);
  printf("write multiple lba 400 x10: %x\n", write_blocks(400, 10, 8));
  lba48(6000, 1); outb(CMD, 0x34);
  printf("write ext lba 6000: %x\n", write_blocks(6000, 1, 1));
  outb(CMD, 0xe7);
  printf("flush: %x\n", wait_ready() & 0xf9);
  lba28(300, 2); outb(CMD, 0x20);
  u32 back = read_blocks(2, 1);
  u32 want = 0;
  for (u32 k = 0; k < 2; k++)
    for (u32 i = 0; i < 128; i++) want = crc32(want, pattern(300 + k, i));
  printf("read back matches: %x\n", back == want);

  /* Past the end: an error (ABRT or IDNF: drives differ, so only ERR is shown). */
  lba28(lba28_sectors, 1); outb(CMD, 0x20);
  printf("read past end: err %x\n", wait_ready() & 0x01);
  outb(CMD, 0xff); /* not a command */
  printf("bad command: status %x error %x\n", wait_ready() & 0xf9, inb(ERRREG));

  /* Interrupts: one per block read, one per block written. The status read
   * first acknowledges what the polled commands left pending (with it,
   * clearing nIEN would raise that old interrupt at once). */
  (void)inb(CMD);
  outb(CTRL, 0x00);
  irqs = 0;
  __asm__ volatile("sti");
  lba28(10, 3); outb(CMD, 0x20);
  u32 crc = 0;
  for (u32 k = 0; k < 3; k++) {
    wait_irqs_above(k);
    for (u32 i = 0; i < 256; i++) buf[i] = inw(DATA);
    crc = crc32(crc, buf[0] | (buf[255] << 16));
  }
  printf("irq read x3: irqs %x crc %x\n", irqs, crc);
  irqs = 0;
  lba28(500, 2); outb(CMD, 0x30);
  for (u32 k = 0; k < 2; k++) {
    wait_ready();
    for (u32 i = 0; i < 256; i++) outw(DATA, 0x1234 + k);
    wait_irqs_above(k);
  }
  __asm__ volatile("cli");
  printf("irq write x2: irqs %x status %x\n", irqs, inb(CMD) & 0xf9);

  /* Software reset: the signature comes back. */
  outb(CTRL, 0x06);
  outb(CTRL, 0x02);
  wait_ready();
  printf("reset: count %x lba %x %x %x error %x\n", inb(COUNT), inb(LBA0), inb(LBA1), inb(LBA2), inb(ERRREG));
  return 0;
}
