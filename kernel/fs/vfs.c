/* The VFS: path lookup across mounts, the mount table, open files. Each
 * filesystem supplies inode operations; character devices supply file
 * operations by major number. */
#include "kernel.h"
#include "module.h"
#include "block.h"
#include "fs.h"
#include "proc.h"

#define NMOUNT 16

static struct super supers[NMOUNT];
static struct fs_type *fs_types;
static struct inode *rootdir;
/* Character device drivers by major number, with the module that
 * registered each (NULL: built in), which stays loaded while one is open. */
static struct { const struct file_ops *ops; struct module *owner; } chrdevs[256];

void register_filesystem(struct fs_type *t, struct module *owner) {
  t->owner = owner;
  t->next = fs_types;
  fs_types = t;
}

void unregister_filesystem(struct fs_type *t) {
  for (struct fs_type **link = &fs_types; *link; link = &(*link)->next)
    if (*link == t) { *link = t->next; return; }
}

/* The types a module leaves registered: its struct fs_type and mount
 * function are about to be freed. Its mounts hold the module, so none
 * of them can be left. */
void unregister_filesystems(struct module *owner) {
  struct fs_type **link = &fs_types;
  while (*link) {
    struct fs_type *t = *link;
    if (t->owner != owner) { link = &t->next; continue; }
    printk("%s: left filesystem %s registered; removed\n", owner->name, t->name);
    *link = t->next;
  }
}

int register_chrdev(u32 major, const struct file_ops *ops, struct module *owner) {
  if (major == 0 || major > 255) return -EINVAL;
  if (chrdevs[major].ops) return -EBUSY;
  chrdevs[major].ops = ops;
  chrdevs[major].owner = owner;
  return 0;
}

void unregister_chrdev(u32 major) {
  if (major > 255) return;
  chrdevs[major].ops = NULL;
  chrdevs[major].owner = NULL;
}

/* Its file operations are about to be freed; open files hold the module,
 * so none of them can be left. */
void unregister_chrdevs(struct module *owner) {
  for (u32 major = 1; major < 256; major++)
    if (chrdevs[major].ops && chrdevs[major].owner == owner) {
      printk("%s: left character device %u registered; removed\n", owner->name, major);
      unregister_chrdev(major);
    }
}

const struct file_ops *chrdev_ops(u32 rdev) { return chrdevs[MAJOR(rdev) & 0xff].ops; }

struct inode *root_inode(void) { return rootdir; }

struct inode *iget(struct inode *ip) {
  ip->refs++;
  ip->sb->busy++;
  return ip;
}

/* Releasing an inode may drop the last reference to its parent, and that
 * parent's to its own: as recursion, a user's 2,000 nested directories
 * would be 2,000 frames on a 4 KiB kernel stack. So the outermost iput of
 * a process keeps a queue (on its own stack: a release that sleeps on the
 * disk lets other processes run their own) and works through it. */
struct releaser {
  struct proc *owner;
  struct inode *queue;
  struct releaser *next;
};
static struct releaser *releasers;

void iput(struct inode *ip) {
  if (!ip) return;
  if (ip->refs <= 0) panic("iput: inode %u has no references", ip->ino);
  ip->refs--;
  ip->sb->busy--;
  if (ip->refs != 0 || !ip->ops->release) return;
  for (struct releaser *r = releasers; r; r = r->next)
    if (r->owner == curproc) {
      ip->release_next = r->queue;
      r->queue = ip;
      return;
    }
  struct releaser me = {curproc, ip, releasers};
  ip->release_next = NULL;
  releasers = &me;
  while (me.queue) {
    struct inode *next = me.queue;
    me.queue = next->release_next;
    next->ops->release(next);
  }
  struct releaser **link = &releasers;
  while (*link != &me) link = &(*link)->next;
  *link = me.next;
}

struct inode *inode_new(struct super *sb, u32 mode) {
  struct inode *ip = kzalloc(sizeof *ip);
  if (!ip) return NULL;
  ip->sb = sb;
  ip->ino = sb->next_ino++;
  ip->mode = mode;
  ip->nlink = 1;
  if (curproc) ip->uid = curproc->euid, ip->gid = curproc->egid;
  ip->mtime = ip->atime = ip->ctime = time_now();
  return ip;
}

static struct super *super_alloc(const char *source, const char *type_name, int *err) {
  struct fs_type *t = fs_types;
  while (t && strcmp(t->name, type_name) != 0) t = t->next;
  if (!t) { *err = -ENODEV; return NULL; }
  for (struct super *sb = supers; sb < &supers[NMOUNT]; sb++) {
    if (sb->type) continue;
    memset(sb, 0, sizeof *sb);
    sb->type = t;
    sb->next_ino = 1;
    strncpy_safe(sb->source, source, sizeof sb->source);
    *err = t->mount(source, sb);
    if (*err < 0) { sb->type = NULL; return NULL; }
    module_get(t->owner); /* the filesystem's module stays while it is mounted */
    sb->root->refs++; /* the mount's own reference */
    sb->busy++;
    return sb;
  }
  *err = -ENOMEM;
  return NULL;
}

/* Mounts a filesystem of the named type at target (an existing
 * directory), or as the root when nothing is mounted yet. */
int vfs_mount(const char *source, const char *target, const char *type) {
  int err;
  if (!rootdir) {
    struct super *sb = super_alloc(source, type, &err);
    if (!sb) return err;
    strncpy_safe(sb->path, "/", sizeof sb->path);
    rootdir = sb->root;
    return 0;
  }
  struct inode *dir;
  if ((err = namei(target, &dir)) < 0) return err;
  if (!S_ISDIR(dir->mode)) { iput(dir); return -ENOTDIR; }
  struct super *sb = super_alloc(source, type, &err);
  if (!sb) { iput(dir); return err; }
  sb->covered = dir; /* keeps the reference */
  dir->mounted = sb->root;
  if (inode_path(dir, sb->path, sizeof sb->path) < 0) strncpy_safe(sb->path, target, sizeof sb->path);
  return 0;
}

/* Unmounts the filesystem whose root target names; -EBUSY while anything
 * in it is open, a working directory or a mount point. */
int vfs_umount(const char *target) {
  struct inode *ip;
  int err = namei(target, &ip);
  if (err < 0) return err;
  struct super *sb = ip->sb;
  if (ip != sb->root) { iput(ip); return -EINVAL; }
  if (!sb->covered || sb->busy > 2) { iput(ip); return -EBUSY; } /* ours and the mount's */
  if (sb->sync) sb->sync(sb);
  sb->covered->mounted = NULL;
  iput(sb->covered);
  ip->refs = 0;
  sb->busy = 0;
  if (sb->kill) sb->kill(sb);
  block_sync(); /* what the filesystem wrote reaches its disk */
  module_put(sb->type->owner);
  sb->type = NULL;
  return 0;
}

/* Every filesystem writes what it holds, then the cache goes to the disks. */
int vfs_sync(void) {
  int err = 0;
  for (struct super *sb = supers; sb < &supers[NMOUNT]; sb++)
    if (sb->type && sb->sync) {
      int e = sb->sync(sb);
      if (e < 0) err = e;
    }
  int e = block_sync();
  return e < 0 ? e : err;
}

/* A filesystem's device number for stat: an anonymous one (major 0) per
 * mount, as Linux gives filesystems without a disk; pipes have their own. */
u32 super_dev(struct super *sb) { return MKDEV(0, sb ? (u32)(sb - supers) + 1 : NMOUNT + 1); }

/* statfs's numbers: the filesystem's own, or for those in memory the
 * machine's free pages (as tmpfs reports), with Linux's magic numbers. */
void super_usage(struct super *sb, struct fs_usage *u) {
  memset(u, 0, sizeof *u);
  u->bsize = 4096;
  if (sb->usage) { sb->usage(sb, u); return; }
  const char *t = sb->type->name;
  if (strcmp(t, "proc") == 0) { u->magic = 0x9fa0; return; }
  u->magic = strcmp(t, "ramfs") == 0 ? 0x858458f6 : 0x01021994; /* RAMFS_MAGIC, TMPFS_MAGIC */
  u->blocks = kalloc_total_pages();
  u->bfree = kalloc_free_pages();
  u->files = kalloc_total_pages();
  u->ffree = kalloc_free_pages();
}

/* /proc/mounts: "source path type rw 0 0" (ro once a filesystem stopped
 * writing), one line per mount. */
int mounts_text(char *buf, u32 size) {
  u32 len = 0;
  for (struct super *sb = supers; sb < &supers[NMOUNT]; sb++) {
    if (!sb->type || len >= size) continue;
    len += (u32)snprintk(buf + len, size - len, "%s %s %s %s 0 0\n", sb->source, sb->path, sb->type->name,
                         sb->rdonly ? "ro" : "rw");
  }
  return (int)(len < size ? len : size);
}


/* Open files of regular inodes: reads and writes at the file offset. */
static int inode_file_read(struct file *f, void *buf, u32 n, int user) {
  if (S_ISDIR(f->ip->mode)) return -EISDIR;
  if (!f->ip->ops->read) return -EINVAL;
  int r = f->ip->ops->read(f->ip, buf, f->off, n, user);
  if (r > 0) f->off += (u32)r;
  return r;
}

static int inode_file_write(struct file *f, const void *buf, u32 n, int user) {
  if (!f->ip->ops->write) return -EINVAL;
  if (f->flags & O_APPEND) f->off = f->ip->size;
  int r = f->ip->ops->write(f->ip, buf, f->off, n, user);
  if (r > 0) {
    f->off += (u32)r;
    f->ip->mtime = f->ip->ctime = time_now();
  }
  return r;
}

static const struct file_ops inode_file_ops = {
  .read = inode_file_read,
  .write = inode_file_write,
};

struct file *file_alloc(void) {
  struct file *f = kzalloc(sizeof *f);
  if (f) f->refs = 1;
  return f;
}

struct file *file_dup(struct file *f) {
  f->refs++;
  return f;
}

void file_close(struct file *f) {
  if (--f->refs > 0) return;
  if (f->ops && f->ops->close) f->ops->close(f);
  module_put(f->owner);
  iput(f->ip);
  kmfree(f);
}

/* The most one read or write moves, as on Linux (INT_MAX rounded down to
 * a page): the count it returns must stay a positive int. */
#define MAX_RW_COUNT 0x7ffff000u

int file_read(struct file *f, void *buf, u32 n, int user) {
  if (n > MAX_RW_COUNT) n = MAX_RW_COUNT;
  if ((f->flags & O_ACCMODE) == O_WRONLY) return -EBADF;
  if (!f->ops->read) return -EINVAL;
  return f->ops->read(f, buf, n, user);
}

int file_write(struct file *f, const void *buf, u32 n, int user) {
  if (n > MAX_RW_COUNT) n = MAX_RW_COUNT;
  if ((f->flags & O_ACCMODE) == O_RDONLY) return -EBADF;
  if (!f->ops->write) return -EINVAL;
  return f->ops->write(f, buf, n, user);
}

/* The file an open names: with O_CREAT it is made when missing (in the
 * mode less the umask), and a final symbolic link is followed unless
 * O_NOFOLLOW (then ELOOP) or O_EXCL (then it exists). */
static int lookup_or_create(struct inode *start, const char *path, u32 flags, u32 mode, struct inode **out, int *created) {
  *created = 0;
  u32 follow = flags & O_NOFOLLOW ? 0 : LOOKUP_FOLLOW;
  int err;
  if (!(flags & O_CREAT)) {
    err = namei_at(start, path, follow, out);
  } else {
    char name[NAME_MAX + 1];
    struct inode *dir;
    err = namei_parent_at(start, path, &dir, name);
    if (err == -EEXIST) return (flags & O_EXCL) ? -EEXIST : namei_at(start, path, follow, out); /* "/" */
    if (err < 0) return err;
    err = vfs_step(dir, name, out);
    if (err == 0 && (flags & O_EXCL)) { iput(*out); err = -EEXIST; }
    else if (err == 0 && S_ISLNK((*out)->mode) && follow) { iput(*out); err = namei_at(dir, name, follow, out); }
    else if (err == -ENOENT && (err = permission(dir, MAY_WRITE | MAY_EXEC)) == 0) {
      u32 m = S_IFREG | (mode & 07777 & ~(curproc ? curproc->umask : 0));
      err = dir->ops->create ? dir->ops->create(dir, name, m, 0, out) : -EROFS;
      *created = err == 0;
    }
    iput(dir);
  }
  if (err == 0 && S_ISLNK((*out)->mode)) { iput(*out); err = -ELOOP; } /* O_NOFOLLOW */
  return err;
}

int vfs_open_at(struct inode *start, const char *path, u32 flags, u32 mode, struct file **out) {
  struct inode *ip;
  int created;
  int err = lookup_or_create(start, path, flags, mode, &ip, &created);
  if (err < 0) return err;
  int writing = (flags & O_ACCMODE) != O_RDONLY, reading = (flags & O_ACCMODE) != O_WRONLY;
  /* a file this open made is the creator's whatever its mode says */
  if (!created) err = permission(ip, (reading ? MAY_READ : 0) | (writing ? MAY_WRITE : 0));
  if (!err && S_ISDIR(ip->mode) && writing) err = -EISDIR;
  /* a filesystem that stopped writing (or never does) refuses at open, as Linux */
  if (!err && writing && S_ISREG(ip->mode) && ip->sb->rdonly) err = -EROFS;
  if (!err && !S_ISDIR(ip->mode) && (flags & O_DIRECTORY)) err = -ENOTDIR;
  if (!err && (flags & O_TRUNC) && writing && S_ISREG(ip->mode)) err = ip->ops->truncate ? ip->ops->truncate(ip, 0) : -EINVAL;
  struct file *f = NULL;
  if (!err && !(f = file_alloc())) err = -ENOMEM;
  if (err) { iput(ip); return err; }
  f->ip = ip;
  f->flags = flags;
  f->ops = &inode_file_ops;
  if ((ip->mode & S_IFMT) == S_IFBLK) f->ops = &blockdev_ops; /* its open finds the disk */
  if (S_ISFIFO(ip->mode)) f->ops = &fifo_ops; /* its open finds (or makes) the pipe */
  if ((ip->mode & S_IFMT) == S_IFCHR) {
    f->ops = chrdev_ops(ip->rdev);
    if (!f->ops) { file_close(f); return -ENXIO; }
    f->owner = chrdevs[MAJOR(ip->rdev) & 0xff].owner;
    module_get(f->owner);
  }
  if (f->ops->open && (err = f->ops->open(f)) < 0) {
    f->ops = NULL;
    file_close(f);
    return err;
  }
  *out = f;
  return 0;
}

int vfs_open(const char *path, u32 flags, u32 mode, struct file **out) { return vfs_open_at(NULL, path, flags, mode, out); }

void vfs_init(void) {
  block_init();
  ramfs_init();
  devfs_init();
  procfs_init();
}

EXPORT_SYMBOL(register_filesystem);
EXPORT_SYMBOL(unregister_filesystem);
EXPORT_SYMBOL(register_chrdev);
EXPORT_SYMBOL(unregister_chrdev);
EXPORT_SYMBOL(iget);
EXPORT_SYMBOL(iput);
EXPORT_SYMBOL(inode_new);
