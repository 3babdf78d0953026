/* ata.ko: the primary ATA channel's master disk as /dev/hda (and its MBR
 * partitions), PIO transfers that sleep until the drive's interrupt
 * (IRQ 14), 28-bit LBA. */
#include "kernel.h"
#include "module.h"
#include "block.h"
#include "proc.h"
#include "x86.h"

#define BASE 0x1F0
#define CONTROL 0x3F6 /* written: device control; read: alternate status */
#define ALT_STATUS 0x3F6
#define REG_COUNT (BASE + 2)
#define REG_LBA0 (BASE + 3)
#define REG_LBA1 (BASE + 4)
#define REG_LBA2 (BASE + 5)
#define REG_DEVICE (BASE + 6)
#define REG_STATUS (BASE + 7)
#define REG_COMMAND (BASE + 7)
#define BSY 0x80
#define DRDY 0x40
#define DF 0x20
#define DRQ 0x08
#define ERR 0x01
#define CMD_READ 0x20
#define CMD_WRITE 0x30
#define CMD_FLUSH 0xE7
#define CMD_IDENTIFY 0xEC
#define SPIN 1000000

static struct block_device hda;
static volatile int irq_seen;

static void ata_interrupt(void) {
  inb(REG_STATUS); /* reading the status acknowledges the interrupt */
  irq_seen = 1;
  wakeup((void *)&irq_seen);
}

/* Waits for the drive's interrupt: asleep when a process can sleep,
 * polling otherwise. */
static int wait_irq(void) {
  if (curproc) {
    u32 deadline = ticks + HZ; /* a drive that never answers gets a second */
    while (!irq_seen)
      if (!sleep_until((void *)&irq_seen, deadline)) return -EIO;
  } else {
    for (int i = 0; !irq_seen && i < SPIN; i++) {
      __asm__ volatile("sti; nop; cli");
    }
  }
  irq_seen = 0;
  u8 st = inb(REG_STATUS);
  return (st & (ERR | DF)) ? -EIO : 0;
}

/* Polls the alternate status, which (unlike the status register) does not
 * acknowledge a pending interrupt. */
static int wait_ready(void) {
  for (int i = 0; i < SPIN; i++) {
    u8 st = inb(ALT_STATUS);
    if (!(st & BSY)) return (st & (ERR | DF)) ? -EIO : 0;
  }
  return -EIO;
}

static void command(u32 lba, u32 count, u8 cmd) {
  outb(REG_DEVICE, (u8)(0xE0 | ((lba >> 24) & 0x0F)));
  outb(REG_COUNT, (u8)count);
  outb(REG_LBA0, (u8)lba);
  outb(REG_LBA1, (u8)(lba >> 8));
  outb(REG_LBA2, (u8)(lba >> 16));
  irq_seen = 0;
  outb(REG_COMMAND, cmd);
}

static int ata_transfer(struct block_device *disk, u32 lba, u32 count, void *buf, int write) {
  (void)disk;
  u16 *words = buf;
  for (u32 done = 0; done < count; done++, lba++) {
    if (lba >= hda.nsectors) return -EIO;
    int err = wait_ready();
    if (err) return err;
    command(lba, 1, write ? CMD_WRITE : CMD_READ);
    if (write) {
      for (int i = 0; i < SPIN && !(inb(ALT_STATUS) & DRQ); i++) {}
      __asm__ volatile("rep outsw" : "+S"(words) : "d"(BASE), "c"(256) : "memory");
      if ((err = wait_irq())) return err;
    } else {
      if ((err = wait_irq())) return err;
      __asm__ volatile("rep insw" : "+D"(words) : "d"(BASE), "c"(256) : "memory");
    }
  }
  return 0;
}

static int ata_flush(struct block_device *disk) {
  (void)disk;
  int err = wait_ready();
  if (err) return err;
  irq_seen = 0;
  outb(REG_DEVICE, 0xE0);
  outb(REG_COMMAND, CMD_FLUSH);
  return wait_irq();
}

/* IDENTIFY DEVICE: is there a disk, and how many sectors does it hold? */
static int identify(void) {
  outb(REG_DEVICE, 0xA0);
  if (inb(ALT_STATUS) == 0xFF) return -ENODEV; /* nothing on the bus */
  irq_seen = 0;
  outb(REG_COMMAND, CMD_IDENTIFY);
  if (inb(ALT_STATUS) == 0) return -ENODEV;
  int err = wait_irq();
  if (err) return -ENODEV;
  u16 id[256];
  u16 *p = id;
  __asm__ volatile("rep insw" : "+D"(p) : "d"(BASE), "c"(256) : "memory");
  hda.nsectors = id[60] | (u32)id[61] << 16;
  return hda.nsectors ? 0 : -ENODEV;
}

static int ata_init(void) {
  int err = request_irq(14, ata_interrupt, THIS_MODULE);
  if (err) return err;
  outb(CONTROL, 0x00); /* interrupts on */
  if ((err = identify()) < 0) {
    printk("ata: no disk on the primary channel\n");
    free_irq(14);
    return err;
  }
  strncpy_safe(hda.name, "hda", sizeof hda.name);
  hda.transfer = ata_transfer;
  hda.flush = ata_flush;
  hda.rdev = MKDEV(BLOCK_MAJOR, 0);
  if ((err = register_disk(&hda, THIS_MODULE)) < 0) free_irq(14);
  return err;
}

static void ata_exit(void) {
  unregister_disk(&hda);
  free_irq(14);
}

module_init(ata_init);
module_exit(ata_exit);
MODULE_NAME("ata");
MODULE_DESCRIPTION("ATA disk on the primary channel: /dev/hda and its partitions");
MODULE_LICENSE("MIT");
