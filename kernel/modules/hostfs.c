/* hostfs.ko: a folder of the host's, through wasm386's shared-folder
 * device (ports 0x540-0x547; docs/hostfs.md has the protocol). The module
 * writes a request block's physical address to the port; the host does
 * the operation before the OUT instruction ends and writes its reply into
 * the block. Files are named by the handles the host hands out, one
 * in-core inode per handle while it is referenced.
 *
 * The host is not trusted to be sane: every reply is checked (status,
 * file type, lengths no longer than asked, names that are one path
 * component) before the kernel uses it; a reply that fails is EIO.
 *
 * One request area serves every caller: the kernel does not preempt ring
 * 0 and nothing here sleeps between filling a request and reading its
 * reply (copies to and from user pages fault pages in, never sleep). */
#include "kernel.h"
#include "module.h"
#include "fs.h"
#include "memlayout.h"
#include "x86.h"

#define PORT 0x540
#define FLAGS_PORT 0x544
#define MAGIC 0x31534648 /* "HFS1" */
#define FLAG_RO 1
#define ROOT_HANDLE 1

enum { LOOKUP = 1, GETATTR, READDIR, READ, WRITE, CREATE, MKDIR, TRUNCATE, UNLINK, RMDIR, RENAME, FORGET };

/* The request block, as the host reads it (u64 fields 4-aligned, as the
 * i386 ABI lays them out). */
struct request {
  u32 op, status, node, mode;
  u32 name, namelen, node2, name2, name2len;
  u32 buf, len;
  u64 offset;
  /* the reply's attributes */
  u32 handle, ino, attr_mode;
  u64 size;
  u32 mtime, nlink;
};
_Static_assert(sizeof(struct request) == 80, "the request block is 80 bytes");

/* The transfer area: a page for the request and its names, a page of data. */
struct area {
  struct request req;
  char name[256], name2[256];
};
#define CHUNK PGSIZE
static struct area *area;
static u8 *data;
static int mounted;

struct hnode {
  u32 handle;          /* 0: the host no longer knows it (replaced under us) */
  struct inode *next;  /* the in-core inodes, for finding one by handle */
};
#define HN(ip) ((struct hnode *)(ip)->priv)
static struct inode *cache;
static const struct inode_ops hostfs_ops;

/* A fresh request for op on node. */
static struct request *request(u32 op, u32 node) {
  struct request *r = &area->req;
  memset(r, 0, sizeof *r);
  r->op = op;
  r->node = node;
  return r;
}

static void set_name(struct request *r, const char *name) {
  u32 n = strlen(name);
  memcpy(area->name, name, n);
  r->name = V2P(area->name);
  r->namelen = n;
}

/* Hands the request to the host. 0, or the host's error negated; a status
 * no errno has (or none written) is EIO. */
static int call(struct request *r) {
  r->status = ~0u;
  /* the memory clobber: the block is written before and read after */
  __asm__ volatile("outl %0, %1" : : "a"(V2P(r)), "Nd"((u16)PORT) : "memory");
  u32 st = r->status;
  if (st == 0) return 0;
  return st < 4096 ? -(int)st : -EIO;
}

static int bad_reply(const char *what) {
  printk("hostfs: the host's reply makes no sense (%s)\n", what);
  return -EIO;
}

/* The attributes in a reply, checked: a handle, a regular file or a
 * directory; sizes past 32 bits are clamped. */
struct attr { u32 handle, ino, mode, size, mtime, nlink; };

static int reply_attr(const struct request *r, struct attr *a) {
  u32 type = r->attr_mode & S_IFMT;
  if (r->handle == 0) return bad_reply("handle 0");
  if (type != S_IFREG && type != S_IFDIR) return bad_reply("not a file or directory");
  a->handle = r->handle;
  a->ino = r->ino ? r->ino : r->handle;
  a->mode = type | (r->attr_mode & 07777);
  a->size = r->size > 0xffffffffull ? 0xffffffffu : (u32)r->size;
  a->mtime = r->mtime;
  a->nlink = r->nlink ? r->nlink : 1;
  return 0;
}

static void refresh(struct inode *ip, const struct attr *a) {
  ip->ino = a->ino;
  ip->mode = a->mode;
  ip->size = a->size;
  ip->mtime = a->mtime;
  ip->nlink = a->nlink;
}

static struct inode *cached(u32 handle) {
  for (struct inode *ip = cache; ip; ip = HN(ip)->next)
    if (HN(ip)->handle == handle) return ip;
  return NULL;
}

static void uncache(struct inode *ip) {
  for (struct inode **link = &cache; *link; link = &HN(*link)->next)
    if (*link == ip) { *link = HN(ip)->next; return; }
}

/* Whether ip is dir or one of its ancestors: giving ip the parent dir
 * then would make a loop that walks up never leave. */
static int above(struct inode *ip, struct inode *dir) {
  for (struct inode *d = dir; d; d = d->parent)
    if (d == ip) return 1;
  return 0;
}

/* The in-core inode for a, named name in dir, with a reference. */
static int get_node(struct super *sb, struct inode *dir, const char *name, const struct attr *a, struct inode **out) {
  struct inode *ip = cached(a->handle);
  if (ip && (ip->mode & S_IFMT) != (a->mode & S_IFMT)) {
    /* the host put another kind of file at that name: the old inode keeps
     * its holders but goes to the host no more */
    uncache(ip);
    HN(ip)->handle = 0;
    ip = NULL;
  }
  if (ip) {
    if (ip->parent != dir) {
      if (above(ip, dir)) return bad_reply("a directory inside itself");
      iput(ip->parent);
      ip->parent = iget(dir);
    }
    refresh(ip, a);
    strncpy_safe(ip->name, name, sizeof ip->name);
    *out = iget(ip);
    return 0;
  }
  ip = inode_new(sb, a->mode);
  struct hnode *h = kzalloc(sizeof *h);
  if (!ip || !h) { kmfree(ip); kmfree(h); return -ENOMEM; }
  refresh(ip, a);
  ip->uid = ip->gid = 0; /* root's, with the host's permission bits */
  ip->ops = &hostfs_ops;
  ip->priv = h;
  h->handle = a->handle;
  if (dir) ip->parent = iget(dir);
  strncpy_safe(ip->name, name, sizeof ip->name);
  h->next = cache;
  cache = ip;
  *out = iget(ip);
  return 0;
}

/* A handle looked up for one operation, with no inode holding it: the
 * host may forget it again. */
static void unused(u32 handle) {
  if (handle != ROOT_HANDLE && !cached(handle)) call(request(FORGET, handle));
}

/* The handle of ip, or ESTALE once the host no longer knows it. */
static int handle_of(struct inode *ip, u32 *handle) {
  *handle = HN(ip)->handle;
  return *handle ? 0 : -ESTALE;
}

static int lookup_attr(struct inode *dir, const char *name, struct attr *a) {
  u32 h;
  int err = handle_of(dir, &h);
  if (err) return err;
  struct request *r = request(LOOKUP, h);
  set_name(r, name);
  return (err = call(r)) ? err : reply_attr(r, a);
}

static int hostfs_lookup(struct inode *dir, const char *name, struct inode **out) {
  struct attr a;
  int err = lookup_attr(dir, name, &a);
  return err ? err : get_node(dir->sb, dir, name, &a, out);
}

static int hostfs_create(struct inode *dir, const char *name, u32 mode, u32 rdev, struct inode **out) {
  (void)rdev;
  if (!S_ISREG(mode) && !S_ISDIR(mode)) return -EPERM; /* no device files on the host */
  u32 h;
  int err = handle_of(dir, &h);
  if (err) return err;
  struct request *r = request(S_ISDIR(mode) ? MKDIR : CREATE, h);
  set_name(r, name);
  r->mode = mode & 0777;
  struct attr a;
  if ((err = call(r)) || (err = reply_attr(r, &a))) return err;
  if ((a.mode & S_IFMT) != (mode & S_IFMT)) return bad_reply("made the wrong kind of file");
  dir->mtime = time_now();
  if (out) return get_node(dir->sb, dir, name, &a, out);
  unused(a.handle);
  return 0;
}

/* The host forgot a's handle (removed or replaced): an inode in core
 * for it has no name any more. */
static void removed(u32 handle) {
  struct inode *ip = cached(handle);
  if (ip) ip->nlink = 0;
}

static int hostfs_unlink(struct inode *dir, const char *name) {
  struct attr a;
  int err = lookup_attr(dir, name, &a);
  if (err) return err;
  struct request *r = request(S_ISDIR(a.mode) ? RMDIR : UNLINK, HN(dir)->handle);
  set_name(r, name);
  if (!(err = call(r))) {
    removed(a.handle);
    dir->mtime = time_now();
  }
  unused(a.handle);
  return err;
}

static int hostfs_rename(struct inode *fdir, const char *from, struct inode *tdir, const char *to) {
  struct attr src, dst;
  u32 fh, th;
  int err = handle_of(fdir, &fh);
  if (!err) err = handle_of(tdir, &th);
  if (!err) err = lookup_attr(fdir, from, &src);
  if (err) return err;
  int replacing = lookup_attr(tdir, to, &dst) == 0;
  struct request *r = request(RENAME, fh);
  set_name(r, from);
  u32 n = strlen(to);
  memcpy(area->name2, to, n);
  r->node2 = th;
  r->name2 = V2P(area->name2);
  r->name2len = n;
  err = call(r);
  if (!err && replacing && dst.handle != src.handle) removed(dst.handle);
  /* the host moved the handle with the file: its inode follows */
  struct inode *ip = err ? NULL : cached(src.handle);
  if (ip) {
    strncpy_safe(ip->name, to, sizeof ip->name);
    if (ip->parent != tdir && !above(ip, tdir)) {
      iput(ip->parent);
      ip->parent = iget(tdir);
    }
  }
  if (!err) fdir->mtime = tdir->mtime = time_now();
  unused(src.handle);
  if (replacing && dst.handle != src.handle) unused(dst.handle);
  return err;
}

/* readdir: the host's entry index, one name a call; names the kernel
 * cannot hold the host leaves out (it is told the buffer's size). */
static int hostfs_readdir(struct inode *dir, u32 index, char *name, u32 *ino, u32 *mode) {
  u32 h;
  int err = handle_of(dir, &h);
  if (err) return err;
  struct request *r = request(READDIR, h);
  r->offset = index;
  r->buf = V2P(area->name);
  r->len = NAME_MAX;
  if ((err = call(r))) return err;
  u32 n = r->len, type = r->attr_mode & S_IFMT;
  if (n == 0) return 1;
  if (n > NAME_MAX) return bad_reply("a name longer than asked");
  if (type != S_IFREG && type != S_IFDIR) return bad_reply("an entry neither file nor directory");
  memcpy(name, area->name, n);
  name[n] = 0;
  for (u32 i = 0; i < n; i++)
    if (name[i] == '/' || name[i] == 0) return bad_reply("a name with '/' or NUL");
  if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) return bad_reply("a name . or ..");
  *ino = r->ino ? r->ino : 1;
  *mode = type;
  return 0;
}

static int hostfs_truncate(struct inode *ip, u32 size) {
  u32 h;
  int err = handle_of(ip, &h);
  if (err) return err;
  struct request *r = request(TRUNCATE, h);
  r->offset = size;
  struct attr a;
  if ((err = call(r)) || (err = reply_attr(r, &a))) return err;
  ip->size = a.size;
  ip->mtime = a.mtime;
  return 0;
}

/* Reads and writes go a page at a time through the data page. */
static int hostfs_read(struct inode *ip, void *buf, u32 off, u32 n, int user) {
  u32 h, done = 0;
  int err = handle_of(ip, &h);
  if (err) return err;
  if (!S_ISREG(ip->mode)) return -EISDIR;
  while (done < n) {
    u32 k = n - done < CHUNK ? n - done : CHUNK;
    if (off + done + k < off) break; /* past 4 GiB */
    struct request *r = request(READ, h);
    r->offset = off + done;
    r->buf = V2P(data);
    r->len = k;
    if ((err = call(r))) break;
    u32 got = r->len;
    if (got > k) { err = bad_reply("read more than asked"); break; }
    if (copy_out(user, (u8 *)buf + done, data, got) < 0) { err = -EFAULT; break; }
    done += got;
    if (got < k) break; /* the end of the file */
  }
  if (off + done > ip->size) ip->size = off + done; /* the host's file grew */
  return done ? (int)done : err;
}

static int hostfs_write(struct inode *ip, const void *buf, u32 off, u32 n, int user) {
  u32 h, done = 0;
  int err = handle_of(ip, &h);
  if (err) return err;
  if (!S_ISREG(ip->mode)) return -EINVAL;
  while (done < n) {
    u32 k = n - done < CHUNK ? n - done : CHUNK;
    if (off + done + k < off + done) { err = -EFBIG; break; }
    if (copy_in(user, data, (const u8 *)buf + done, k) < 0) { err = -EFAULT; break; }
    struct request *r = request(WRITE, h);
    r->offset = off + done;
    r->buf = V2P(data);
    r->len = k;
    struct attr a;
    if ((err = call(r)) || (err = reply_attr(r, &a))) break;
    u32 put = r->len;
    if (put > k) { err = bad_reply("wrote more than asked"); break; }
    done += put;
    ip->size = a.size;
    ip->mtime = a.mtime;
    if (put < k) break;
  }
  if (off + done > ip->size) ip->size = off + done;
  return done ? (int)done : err;
}

/* The last reference: the host may forget the handle (the root's it
 * keeps). */
static void hostfs_release(struct inode *ip) {
  u32 h = HN(ip)->handle;
  if (h && h != ROOT_HANDLE) call(request(FORGET, h));
  uncache(ip);
  struct inode *parent = ip->parent;
  kmfree(ip->priv);
  kmfree(ip);
  if (parent) iput(parent);
}

static const struct inode_ops hostfs_ops = {
  .lookup = hostfs_lookup,
  .create = hostfs_create,
  .unlink = hostfs_unlink,
  .rename = hostfs_rename,
  .readdir = hostfs_readdir,
  .truncate = hostfs_truncate,
  .read = hostfs_read,
  .write = hostfs_write,
  .release = hostfs_release,
};

static int present(void) { return inl(PORT) == MAGIC; }

static void hostfs_kill(struct super *sb) {
  struct inode *root = sb->root;
  uncache(root);
  kmfree(root->priv);
  kmfree(root);
  mounted = 0;
}

/* The host's folder, whatever the source says (as Linux's "none"). One
 * mount at a time: the device has one set of handles. */
static int hostfs_mount(const char *source, struct super *sb) {
  (void)source;
  if (!present()) return -ENODEV;
  if (mounted) return -EBUSY;
  struct request *r = request(GETATTR, ROOT_HANDLE);
  struct attr a;
  int err = call(r);
  if (!err) err = reply_attr(r, &a);
  if (err) return err;
  if (!S_ISDIR(a.mode) || a.handle != ROOT_HANDLE) return bad_reply("the root is not a directory");
  struct inode *root;
  if ((err = get_node(sb, NULL, "", &a, &root))) return err;
  /* the mount's reference replaces the lookup's */
  root->refs--;
  sb->busy--;
  sb->root = root;
  sb->kill = hostfs_kill;
  sb->rdonly = (inl(FLAGS_PORT) & FLAG_RO) != 0;
  mounted = 1;
  return 0;
}

static struct fs_type hostfs_type = {.name = "hostfs", .mount = hostfs_mount};

/* Without the device there is nothing to drive: the module does not
 * stay (ENODEV), as a driver for hardware that is not there. */
static int hostfs_init(void) {
  if (!present()) return -ENODEV;
  area = kalloc();
  data = kalloc();
  if (!area || !data) {
    if (area) kfree(area);
    if (data) kfree(data);
    return -ENOMEM;
  }
  register_filesystem(&hostfs_type, THIS_MODULE);
  return 0;
}

static void hostfs_exit(void) {
  unregister_filesystem(&hostfs_type);
  kfree(area);
  kfree(data);
}

module_init(hostfs_init);
module_exit(hostfs_exit);
MODULE_NAME("hostfs");
MODULE_DESCRIPTION("the host's shared folder (wasm386 --share)");
MODULE_LICENSE("MIT");
