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
  ip->mtime = time_now();
  return ip;
}

/* A directory with a filesystem mounted on it stands for that root. */
static struct inode *cross_mounts(struct inode *ip) {
  while (ip->mounted) {
    struct inode *r = iget(ip->mounted);
    iput(ip);
    ip = r;
  }
  return ip;
}

/* The parent of a directory, leaving filesystems upward through the
 * directories they are mounted on. */
static struct inode *parent_of(struct inode *dir) {
  while (dir == dir->sb->root && dir->sb->covered) dir = dir->sb->covered;
  return dir->parent ? dir->parent : dir;
}

static int step(struct inode *dir, const char *name, struct inode **out) {
  if (!S_ISDIR(dir->mode)) return -ENOTDIR;
  int denied = permission(dir, MAY_EXEC);
  if (denied) return denied;
  if (strcmp(name, ".") == 0) { *out = iget(dir); return 0; }
  if (strcmp(name, "..") == 0) { *out = iget(parent_of(dir)); return 0; }
  int err = dir->ops->lookup(dir, name, out);
  if (err < 0) return err;
  *out = cross_mounts(*out);
  return 0;
}

/* Copies the next path component into name and advances; 0 at the end. */
static const char *next_name(const char *path, char *name, int *err) {
  while (*path == '/') path++;
  if (!*path) return NULL;
  u32 n = 0;
  for (; *path && *path != '/'; path++) {
    if (n == NAME_MAX) { *err = -ENAMETOOLONG; return NULL; }
    name[n++] = *path;
  }
  name[n] = 0;
  return path;
}

/* Walks path from the root or the working directory. With want_parent,
 * stops before the last component, which goes into last. */
static int walk(const char *path, int want_parent, struct inode **out, char *last) {
  if (!*path) return -ENOENT;
  struct inode *start = (*path == '/' || !curproc || !curproc->cwd) ? rootdir : curproc->cwd;
  struct inode *ip = iget(start);
  char name[NAME_MAX + 1];
  int err = 0;
  const char *p = next_name(path, name, &err);
  if (want_parent && !p) { iput(ip); return err ? err : -EEXIST; } /* the path names "/" */
  while (p) {
    char following[NAME_MAX + 1];
    const char *q = next_name(p, following, &err);
    if (err) break;
    if (want_parent && !q) {
      if (!S_ISDIR(ip->mode)) { err = -ENOTDIR; break; }
      memcpy(last, name, NAME_MAX + 1);
      *out = ip;
      return 0;
    }
    struct inode *next;
    err = step(ip, name, &next);
    if (err) break;
    iput(ip);
    ip = next;
    memcpy(name, following, NAME_MAX + 1);
    p = q;
  }
  if (err) { iput(ip); return err; }
  *out = ip;
  return 0;
}

int namei(const char *path, struct inode **out) { return walk(path, 0, out, NULL); }
int namei_parent(const char *path, struct inode **dir, char *name) { return walk(path, 1, dir, name); }

/* The absolute path of a directory, for getcwd. */
int inode_path(struct inode *ip, char *buf, u32 size) {
  char tmp[PATH_MAX];
  u32 pos = sizeof tmp;
  tmp[--pos] = 0;
  for (;;) {
    while (ip == ip->sb->root && ip->sb->covered) ip = ip->sb->covered;
    if (!ip->parent) break;
    u32 n = strlen(ip->name);
    if (pos < n + 1) return -ENAMETOOLONG;
    pos -= n;
    memcpy(tmp + pos, ip->name, n);
    tmp[--pos] = '/';
    ip = ip->parent;
  }
  if (ip != rootdir) return -ENOENT; /* removed from the tree */
  if (tmp[pos] == 0) tmp[--pos] = '/';
  if (sizeof tmp - pos > size) return -ERANGE;
  memcpy(buf, tmp + pos, sizeof tmp - pos);
  return (int)(sizeof tmp - pos);
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
  if (r > 0) f->off += (u32)r;
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

static int lookup_or_create(const char *path, u32 flags, u32 mode, struct inode **out, int *created) {
  *created = 0;
  if (!(flags & O_CREAT)) return namei(path, out);
  char name[NAME_MAX + 1];
  struct inode *dir;
  int err = namei_parent(path, &dir, name);
  if (err == -EEXIST) return namei(path, out); /* "/" */
  if (err < 0) return err;
  err = step(dir, name, out);
  if (err == 0 && (flags & O_EXCL)) { iput(*out); err = -EEXIST; }
  else if (err == -ENOENT && (err = permission(dir, MAY_WRITE | MAY_EXEC)) == 0) {
    err = dir->ops->create ? dir->ops->create(dir, name, S_IFREG | (mode & 07777), 0, out) : -EROFS;
    *created = err == 0;
  }
  iput(dir);
  return err;
}

int vfs_open(const char *path, u32 flags, u32 mode, struct file **out) {
  struct inode *ip;
  int created;
  int err = lookup_or_create(path, flags, mode, &ip, &created);
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
