/* leaky.ko: registers a character device with its /dev node, a
 * filesystem, an IRQ handler and a disk, then fails its init; with
 * fail=0 it loads, and its exit unregisters none of them. Either way each
 * would point into the module's freed memory: the loader must take them
 * all back. */
#include "kernel.h"
#include "module.h"
#include "fs.h"
#include "block.h"

#define LEAKY_MAJOR 241
#define LEAKY_IRQ 3 /* COM2's line, which nothing here raises */

static int fail = 1;
module_param(fail, bool, "fail the init after registering everything");

static int leaky_read(struct file *f, void *buf, u32 n, int user) {
  (void)f, (void)buf, (void)n, (void)user;
  return 0;
}

static const struct file_ops leaky_ops = {.read = leaky_read};

static int leaky_mount(const char *source, struct super *sb) {
  (void)source, (void)sb;
  return -EINVAL;
}

static struct fs_type leaky_fs = {.name = "leakyfs", .mount = leaky_mount};

static void leaky_interrupt(void) {}

/* A disk of zeros. */
static int leaky_transfer(struct block_device *disk, u32 lba, u32 count, void *buf, int write) {
  (void)disk, (void)lba;
  if (!write) memset(buf, 0, count * SECTOR);
  return 0;
}

static struct block_device leaky_disk = {.name = "leakyd", .nsectors = 8, .transfer = leaky_transfer,
                                         .rdev = MKDEV(BLOCK_MAJOR, 0x70)};

static int leaky_init(void) {
  int err = register_chrdev(LEAKY_MAJOR, &leaky_ops, THIS_MODULE);
  if (!err) err = devfs_add("leaky", S_IFCHR | 0666, MKDEV(LEAKY_MAJOR, 0), THIS_MODULE);
  if (!err) register_filesystem(&leaky_fs, THIS_MODULE);
  if (!err) err = request_irq(LEAKY_IRQ, leaky_interrupt, THIS_MODULE);
  if (!err) err = register_disk(&leaky_disk, THIS_MODULE);
  if (err) return err;
  printk("leaky: /dev/leaky, leakyfs, irq 3 and /dev/leakyd registered\n");
  return fail ? -EIO : 0;
}

static void leaky_exit(void) { printk("leaky: exit unregisters nothing\n"); }

module_init(leaky_init);
module_exit(leaky_exit);
MODULE_NAME("leaky");
MODULE_DESCRIPTION("leaves what it registered to the loader");
MODULE_LICENSE("MIT");
