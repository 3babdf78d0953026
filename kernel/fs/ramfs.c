/* ramfs: files and directories held in memory. A directory keeps its
 * entries in a list, each a name and the inode it names, so that a file
 * may have several names (hard links); file data lives in pages found
 * through one page of page pointers, so a file holds at most 4 MiB. The
 * initrd unpacks into a ramfs mounted at "/". */
#include "kernel.h"
#include "fs.h"
#include "memlayout.h"

#define MAX_PAGES (PGSIZE / 4)

struct dirent_r {
  char name[NAME_MAX + 1];
  struct inode *ip;
  struct dirent_r *next;
};

struct rnode {
  struct dirent_r *first;     /* a directory's entries, in creation order */
  u8 **pages;                 /* a file's data pages (NULL entries read as zeros) */
};

#define RN(ip) ((struct rnode *)(ip)->priv)

static u8 zeros[PGSIZE];

static struct inode *rnode_new(struct super *sb, u32 mode) {
  struct inode *ip = inode_new(sb, mode);
  if (!ip) return NULL;
  ip->priv = kzalloc(sizeof(struct rnode));
  if (!ip->priv) { kmfree(ip); return NULL; }
  ip->ops = &ramfs_ops;
  if (S_ISDIR(mode)) ip->nlink = 2;
  return ip;
}

static void free_data(struct inode *ip, u32 from_page) {
  u8 **pages = RN(ip)->pages;
  if (!pages) return;
  for (u32 i = from_page; i < MAX_PAGES; i++)
    if (pages[i]) { kfree(pages[i]); pages[i] = NULL; }
  if (from_page == 0) { kfree(pages); RN(ip)->pages = NULL; }
}

static void rnode_free(struct inode *ip) {
  free_data(ip, 0);
  kmfree(ip->priv);
  kmfree(ip);
}

/* The entry called name in dir, and (if prev) the link to it. */
static struct dirent_r *find(struct inode *dir, const char *name, struct dirent_r ***link) {
  for (struct dirent_r **l = &RN(dir)->first; *l; l = &(*l)->next)
    if (strcmp((*l)->name, name) == 0) {
      if (link) *link = l;
      return *l;
    }
  return NULL;
}

static int ramfs_lookup(struct inode *dir, const char *name, struct inode **out) {
  struct dirent_r *d = find(dir, name, NULL);
  if (!d) return -ENOENT;
  *out = iget(d->ip);
  return 0;
}

/* A new entry for c in dir, at the end (creation order). A directory's
 * one name is also kept in the inode, for "..", getcwd and /proc. */
static int attach(struct inode *dir, struct inode *c, const char *name) {
  struct dirent_r *d = kzalloc(sizeof *d);
  if (!d) return -ENOSPC;
  strncpy_safe(d->name, name, sizeof d->name);
  d->ip = c;
  struct dirent_r **link = &RN(dir)->first;
  while (*link) link = &(*link)->next;
  *link = d;
  if (!c->parent || S_ISDIR(c->mode)) {
    strncpy_safe(c->name, name, sizeof c->name);
    c->parent = dir;
  }
  if (S_ISDIR(c->mode)) dir->nlink++;
  dir->mtime = dir->ctime = time_now();
  return 0;
}

static void detach(struct inode *dir, struct dirent_r **link) {
  struct dirent_r *d = *link;
  *link = d->next;
  if (S_ISDIR(d->ip->mode)) dir->nlink--;
  dir->mtime = dir->ctime = time_now();
  kmfree(d);
}

static int ramfs_create(struct inode *dir, const char *name, u32 mode, u32 rdev, struct inode **out) {
  if (dir->nlink == 0) return -ENOENT; /* removed while still open */
  if (find(dir, name, NULL)) return -EEXIST;
  struct inode *c = rnode_new(dir->sb, mode);
  if (!c) return -ENOMEM;
  c->rdev = rdev;
  if (attach(dir, c, name) < 0) { rnode_free(c); return -ENOSPC; }
  if (out) *out = iget(c);
  return 0;
}

/* One name fewer; the inode goes when its last name and reference have. */
static void drop(struct inode *c) {
  c->nlink = S_ISDIR(c->mode) ? 0 : c->nlink - 1;
  c->ctime = time_now();
  if (S_ISDIR(c->mode)) c->parent = NULL;
  if (c->nlink == 0 && c->refs == 0) rnode_free(c);
}

static int ramfs_unlink(struct inode *dir, const char *name) {
  struct dirent_r **link;
  struct dirent_r *d = find(dir, name, &link);
  if (!d) return -ENOENT;
  struct inode *c = d->ip;
  if (c->mounted) return -EBUSY;
  if (S_ISDIR(c->mode) && RN(c)->first) return -ENOTEMPTY;
  detach(dir, link);
  drop(c);
  return 0;
}

static int ramfs_link(struct inode *dir, const char *name, struct inode *target) {
  if (dir->nlink == 0) return -ENOENT;
  if (find(dir, name, NULL)) return -EEXIST;
  int err = attach(dir, target, name);
  if (err) return err;
  target->nlink++;
  target->ctime = time_now();
  return 0;
}

static int ramfs_rename(struct inode *from_dir, const char *from, struct inode *to_dir, const char *to) {
  if (from_dir->sb != to_dir->sb) return -EXDEV;
  struct dirent_r **slink, **dlink;
  struct dirent_r *sd = find(from_dir, from, &slink);
  if (!sd) return -ENOENT;
  struct inode *src = sd->ip;
  for (struct inode *d = to_dir; d; d = d->parent)
    if (d == src) return -EINVAL; /* a directory into itself */
  struct dirent_r *dd = find(to_dir, to, &dlink);
  if (dd && dd->ip == src) return 0; /* two names of one file: nothing happens, as POSIX says */
  if (dd) {
    struct inode *dst = dd->ip;
    if (S_ISDIR(src->mode) && !S_ISDIR(dst->mode)) return -ENOTDIR;
    if (!S_ISDIR(src->mode) && S_ISDIR(dst->mode)) return -EISDIR;
    if (dst->mounted) return -EBUSY;
    if (S_ISDIR(dst->mode) && RN(dst)->first) return -ENOTEMPTY;
    detach(to_dir, dlink);
    drop(dst);
    find(from_dir, from, &slink); /* the list may have changed under slink */
  }
  int err = attach(to_dir, src, to); /* a directory: to_dir gains its "..", from_dir loses it below */
  if (err) return err;
  find(from_dir, from, &slink);
  detach(from_dir, slink);
  if (!S_ISDIR(src->mode) && src->parent == from_dir && strcmp(src->name, from) == 0) {
    strncpy_safe(src->name, to, sizeof src->name);
    src->parent = to_dir;
  }
  src->ctime = time_now();
  return 0;
}

static int ramfs_readdir(struct inode *dir, u32 index, char *name, u32 *ino, u32 *mode) {
  struct dirent_r *d = RN(dir)->first;
  while (d && index--) d = d->next;
  if (!d) return 1;
  strncpy_safe(name, d->name, NAME_MAX + 1);
  *ino = d->ip->ino;
  *mode = d->ip->mode;
  return 0;
}

static int ramfs_truncate(struct inode *ip, u32 size) {
  if (size > MAX_PAGES * PGSIZE) return -EFBIG;
  u32 keep = (size + PGSIZE - 1) / PGSIZE;
  free_data(ip, keep);
  if (size == 0) free_data(ip, 0);
  u32 tail = size % PGSIZE; /* bytes past the end read as zeros if it grows again */
  if (tail && RN(ip)->pages && RN(ip)->pages[size / PGSIZE])
    memset(RN(ip)->pages[size / PGSIZE] + tail, 0, PGSIZE - tail);
  ip->size = size;
  ip->mtime = time_now();
  return 0;
}

static int ramfs_read(struct inode *ip, void *buf, u32 off, u32 n, int user) {
  if (off >= ip->size) return 0;
  if (n > ip->size - off) n = ip->size - off;
  u32 done = 0;
  while (done < n) {
    u32 pg = (off + done) / PGSIZE, in = (off + done) % PGSIZE;
    u32 chunk = PGSIZE - in < n - done ? PGSIZE - in : n - done;
    const u8 *src = RN(ip)->pages && RN(ip)->pages[pg] ? RN(ip)->pages[pg] + in : zeros;
    if (copy_out(user, (u8 *)buf + done, src, chunk) < 0) return done ? (int)done : -EFAULT;
    done += chunk;
  }
  return (int)done;
}

static int ramfs_write(struct inode *ip, const void *buf, u32 off, u32 n, int user) {
  if (off > MAX_PAGES * PGSIZE || n > MAX_PAGES * PGSIZE - off) return -EFBIG;
  if (!RN(ip)->pages && !(RN(ip)->pages = kalloc())) return -ENOSPC;
  u8 **pages = RN(ip)->pages;
  if (off + n > ip->size && off > ip->size) {
    /* a hole: pages already there must read as zeros between size and off */
    u32 tail = ip->size % PGSIZE;
    if (tail && pages[ip->size / PGSIZE]) memset(pages[ip->size / PGSIZE] + tail, 0, PGSIZE - tail);
  }
  u32 done = 0;
  while (done < n) {
    u32 pg = (off + done) / PGSIZE, in = (off + done) % PGSIZE;
    u32 chunk = PGSIZE - in < n - done ? PGSIZE - in : n - done;
    if (!pages[pg]) {
      if (!(pages[pg] = kalloc())) break;
      memset(pages[pg], 0, PGSIZE);
    }
    if (copy_in(user, pages[pg] + in, (const u8 *)buf + done, chunk) < 0) {
      if (!done) return -EFAULT;
      break;
    }
    done += chunk;
  }
  if (off + done > ip->size) ip->size = off + done;
  ip->mtime = time_now();
  return done ? (int)done : -ENOSPC;
}

static void ramfs_release(struct inode *ip) {
  if (ip->nlink == 0) rnode_free(ip);
}

const struct inode_ops ramfs_ops = {
  .lookup = ramfs_lookup,
  .create = ramfs_create,
  .unlink = ramfs_unlink,
  .link = ramfs_link,
  .rename = ramfs_rename,
  .readdir = ramfs_readdir,
  .truncate = ramfs_truncate,
  .read = ramfs_read,
  .write = ramfs_write,
  .release = ramfs_release,
};

/* Depth first without recursion (the depth is the user's to choose): take
 * an entry off a directory's list and go down into it when it is a
 * directory; an inode goes with its last entry, a directory once it has
 * none left, and the walk goes back up through its parent. */
static void free_tree(struct inode *root) {
  struct inode *ip = root;
  while (ip) {
    struct dirent_r *d = RN(ip)->first;
    if (d) {
      RN(ip)->first = d->next;
      struct inode *c = d->ip;
      kmfree(d);
      if (S_ISDIR(c->mode)) { c->parent = ip; ip = c; }
      else if (--c->nlink == 0) rnode_free(c);
      continue;
    }
    struct inode *up = ip == root ? NULL : ip->parent;
    rnode_free(ip);
    ip = up;
  }
}

static void ramfs_kill(struct super *sb) { free_tree(sb->root); }

int ramfs_fill_super(struct super *sb) {
  sb->root = rnode_new(sb, S_IFDIR | 0755);
  if (!sb->root) return -ENOMEM;
  sb->kill = ramfs_kill;
  return 0;
}

static int ramfs_mount(const char *source, struct super *sb) {
  (void)source;
  return ramfs_fill_super(sb);
}

static struct fs_type ramfs_type = {.name = "ramfs", .mount = ramfs_mount};
static struct fs_type tmpfs_type = {.name = "tmpfs", .mount = ramfs_mount};

void ramfs_init(void) {
  register_filesystem(&ramfs_type, NULL);
  register_filesystem(&tmpfs_type, NULL);
}

/* Unpacking the initrd: each archive member becomes a directory or a
 * file under "/". */
struct unpack { int err; };

static void unpack_member(const char *name, u32 mode, const u8 *data, u32 size, void *arg) {
  struct unpack *u = arg;
  char path[PATH_MAX];
  snprintk(path, sizeof path, "/%s", name);
  if (strcmp(name, ".") == 0) return;
  char last[NAME_MAX + 1];
  struct inode *dir, *ip = NULL;
  int err = namei_parent(path, &dir, last);
  if (err < 0) { u->err = err; printk("initrd: %s: error %d\n", name, err); return; }
  u32 type = mode & S_IFMT;
  if (type != S_IFDIR && type != S_IFREG && type != S_IFLNK) { iput(dir); return; } /* no devices */
  err = dir->ops->create(dir, last, mode, 0, &ip);
  if (err == -EEXIST && type == S_IFDIR) err = 0;
  if (err) ip = NULL;
  if (err == 0 && ip && type != S_IFDIR && size) { /* a file's data, a link's target */
    int n = ip->ops->write(ip, data, 0, size, 0);
    if (n != (int)size) err = n < 0 ? n : -ENOSPC;
  }
  if (ip) iput(ip);
  iput(dir);
  if (err < 0) { u->err = err; printk("initrd: %s: error %d\n", name, err); }
}

int ramfs_unpack_cpio(const u8 *archive, u32 size) {
  struct unpack u = {0};
  int err = cpio_each(archive, size, unpack_member, &u);
  return err < 0 ? err : u.err;
}
