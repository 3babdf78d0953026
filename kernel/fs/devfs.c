/* devfs: a ramfs of device nodes, mounted by the kernel at /dev. Drivers
 * add their nodes with devfs_add (block devices once their drivers load). */
#include "kernel.h"
#include "module.h"
#include "fs.h"

static struct super *devfs_sb;

static const struct { const char *name; u32 mode, rdev; } builtin[] = {
  {"null", S_IFCHR | 0666, MKDEV(1, 3)},
  {"zero", S_IFCHR | 0666, MKDEV(1, 5)},
  {"ttyS0", S_IFCHR | 0620, MKDEV(4, 64)},
  {"tty", S_IFCHR | 0666, MKDEV(5, 0)},
  {"console", S_IFCHR | 0600, MKDEV(5, 1)},
};

/* The nodes modules added, by name, so that those a module leaves go
 * with it (a node renamed since is missed, but its device goes anyway). */
struct owned_node {
  char name[NAME_MAX + 1];
  struct module *owner;
  struct owned_node *next;
};
static struct owned_node *owned;

/* Drops the record of name: its node is going, or went without devfs_remove. */
static void forget(const char *name) {
  for (struct owned_node **link = &owned; *link; link = &(*link)->next)
    if (strcmp((*link)->name, name) == 0) {
      struct owned_node *o = *link;
      *link = o->next;
      kmfree(o);
      return;
    }
}

int devfs_add(const char *name, u32 mode, u32 rdev, struct module *owner) {
  if (!devfs_sb) return -ENODEV;
  struct inode *root = devfs_sb->root;
  int err = root->ops->create(root, name, mode, rdev, NULL);
  if (err) return err;
  forget(name);
  if (!owner) return 0;
  struct owned_node *o = kzalloc(sizeof *o);
  if (!o) { root->ops->unlink(root, name); return -ENOMEM; }
  strncpy_safe(o->name, name, sizeof o->name);
  o->owner = owner;
  o->next = owned;
  owned = o;
  return 0;
}

int devfs_remove(const char *name) {
  if (!devfs_sb) return -ENODEV;
  forget(name);
  return devfs_sb->root->ops->unlink(devfs_sb->root, name);
}

void devfs_remove_all(struct module *owner) {
  for (struct owned_node *o = owned, *next; o; o = next) {
    next = o->next;
    if (o->owner != owner) continue;
    printk("%s: left /dev/%s; removed\n", owner->name, o->name);
    devfs_remove(o->name); /* frees o */
  }
}

static int devfs_mount(const char *source, struct super *sb) {
  (void)source;
  if (devfs_sb) return -EBUSY; /* one instance: drivers add to it */
  int err = ramfs_fill_super(sb);
  if (err < 0) return err;
  devfs_sb = sb;
  for (u32 i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
    devfs_add(builtin[i].name, builtin[i].mode, builtin[i].rdev, NULL);
  return 0;
}

static struct fs_type devfs_type = {.name = "devtmpfs", .mount = devfs_mount};

/* /dev/null reads nothing and swallows writes; /dev/zero reads zeros. */
static int null_read(struct file *f, void *buf, u32 n, int user) {
  (void)f, (void)buf, (void)n, (void)user;
  return 0;
}

static int null_write(struct file *f, const void *buf, u32 n, int user) {
  (void)f, (void)buf, (void)user;
  return (int)n;
}

static int zero_read(struct file *f, void *buf, u32 n, int user) {
  (void)f;
  static const u8 zeros[256];
  for (u32 done = 0; done < n;) {
    u32 chunk = n - done < sizeof zeros ? n - done : sizeof zeros;
    if (copy_out(user, (u8 *)buf + done, zeros, chunk) < 0) return done ? (int)done : -EFAULT;
    done += chunk;
  }
  return (int)n;
}

static int mem_open(struct file *f) {
  static const struct file_ops null_ops = {.read = null_read, .write = null_write};
  static const struct file_ops zero_ops = {.read = zero_read, .write = null_write};
  switch (MINOR(f->ip->rdev)) {
    case 3: f->ops = &null_ops; return 0;
    case 5: f->ops = &zero_ops; return 0;
    default: return -ENXIO;
  }
}

static const struct file_ops mem_ops = {.open = mem_open};

void devfs_init(void) {
  register_filesystem(&devfs_type, NULL);
  register_chrdev(1, &mem_ops, NULL);
}

EXPORT_SYMBOL(devfs_add);
EXPORT_SYMBOL(devfs_remove);
