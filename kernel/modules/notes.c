/* notes.ko: a service as a character device, /dev/notes. Writes append to
 * a page of text kept in the kernel, reads return it, and two ioctls
 * count and clear it. The device holds the module while it is open. */
#include "kernel.h"
#include "module.h"
#include "fs.h"
#include "memlayout.h"

#define NOTES_MAJOR 240
#define NOTES_COUNT 0x4e01 /* ioctl: bytes held, as the result */
#define NOTES_CLEAR 0x4e02 /* ioctl: forget them */

static char *text;
static u32 used;

static int notes_read(struct file *f, void *buf, u32 n, int user) {
  if (f->off >= used) return 0;
  if (n > used - f->off) n = used - f->off;
  if (copy_out(user, buf, text + f->off, n) < 0) return -EFAULT;
  f->off += n;
  return (int)n;
}

static int notes_write(struct file *f, const void *buf, u32 n, int user) {
  (void)f;
  if (n > PGSIZE - used) n = PGSIZE - used;
  if (n == 0) return -ENOSPC;
  if (copy_in(user, text + used, buf, n) < 0) return -EFAULT;
  used += n;
  return (int)n;
}

static int notes_ioctl(struct file *f, u32 cmd, u32 arg) {
  (void)f, (void)arg;
  if (cmd == NOTES_COUNT) return (int)used;
  if (cmd == NOTES_CLEAR) { used = 0; return 0; }
  return -ENOTTY;
}

static const struct file_ops notes_ops = {.read = notes_read, .write = notes_write, .ioctl = notes_ioctl};

static int notes_init(void) {
  text = kalloc();
  if (!text) return -ENOMEM;
  int err = register_chrdev(NOTES_MAJOR, &notes_ops, THIS_MODULE);
  if (!err) err = devfs_add("notes", S_IFCHR | 0666, MKDEV(NOTES_MAJOR, 0), THIS_MODULE);
  if (err) { unregister_chrdev(NOTES_MAJOR); kfree(text); return err; }
  printk("notes: /dev/notes ready\n");
  return 0;
}

static void notes_exit(void) {
  devfs_remove("notes");
  unregister_chrdev(NOTES_MAJOR);
  kfree(text);
}

module_init(notes_init);
module_exit(notes_exit);
MODULE_NAME("notes");
MODULE_DESCRIPTION("a text buffer in the kernel behind /dev/notes");
MODULE_LICENSE("MIT");
