/* ext2's directories: records of (inode, rec_len, name_len, file_type,
 * name), each checked before it is used, and the operations on names:
 * lookup, create, unlink, link, rename, readdir. */
#include "ext2.h"

struct dirent_head { u32 inode; u16 rec_len; u8 name_len, file_type; };

static u8 file_type(u32 mode) {
  switch (mode & S_IFMT) {
    case S_IFREG: return 1;
    case S_IFDIR: return 2;
    case S_IFCHR: return 3;
    case S_IFBLK: return 4;
    case S_IFIFO: return 5;
    case S_IFSOCK: return 6;
    case S_IFLNK: return 7;
    default: return 0;
  }
}

static u32 rec_size(u32 name_len) { return (8 + name_len + 3) & ~3u; }

/* A record at off of the directory's block b: whole, inside the block,
 * room for its name, and naming an inode that can exist. */
static int check_record(struct inode *dir, u32 b, u32 off, const struct dirent_head *h) {
  struct fs *fs = FS(dir);
  if (h->rec_len < 8 || h->rec_len % 4 || h->rec_len > fs->bs - off)
    return ext2_corrupt(fs, dir->ino, "block %u offset %u: rec_len %u", b, off, h->rec_len);
  if (rec_size(h->name_len) > h->rec_len)
    return ext2_corrupt(fs, dir->ino, "block %u offset %u: name_len %u past rec_len %u", b, off, h->name_len, h->rec_len);
  if (h->inode && h->inode != ROOT_INO && (h->inode < fs->first_ino || h->inode > fs->sb->inodes_count))
    return ext2_corrupt(fs, dir->ino, "block %u offset %u: names inode %u, outside %u..%u", b, off, h->inode,
                        fs->first_ino, fs->sb->inodes_count);
  return 0;
}

/* Visits every record; the visitor returns nonzero to stop. The walk is
 * bounded by the directory's size, which get_inode checked against the
 * blocks it has. */
typedef int (*dir_visit)(struct inode *dir, u32 block, u32 off, struct dirent_head *h, const char *name, void *arg);

static int dir_each(struct inode *dir, dir_visit visit, void *arg) {
  struct fs *fs = FS(dir);
  u32 nblocks = dir->size / fs->bs;
  for (u32 b = 0; b < nblocks; b++) {
    u32 block;
    int err = bmap(dir, b, 0, &block);
    if (err) return err;
    if (!block) return ext2_corrupt(fs, dir->ino, "directory has a hole at block %u", b);
    for (u32 off = 0; off < fs->bs;) {
      struct dirent_head h;
      char name[256];
      if (fs->bs - off < sizeof h) return ext2_corrupt(fs, dir->ino, "block %u ends inside a record", b);
      if ((err = dev_read(fs, block, off, &h, sizeof h)) || (err = check_record(dir, b, off, &h))) return err;
      name[0] = 0;
      if (h.inode) {
        if ((err = dev_read(fs, block, off + 8, name, h.name_len))) return err;
        name[h.name_len] = 0;
      }
      int r = visit(dir, block, off, &h, name, arg);
      if (r) return r;
      off += h.rec_len;
    }
  }
  return 0;
}

struct find { const char *name; u32 ino, block, off, prev_off; u32 last_off; u32 last_block; };

static int find_visit(struct inode *dir, u32 block, u32 off, struct dirent_head *h, const char *name, void *arg) {
  (void)dir;
  struct find *f = arg;
  if (block != f->last_block) f->last_off = (u32)-1;
  if (h->inode && strcmp(name, f->name) == 0) {
    f->ino = h->inode;
    f->block = block;
    f->off = off;
    f->prev_off = f->last_off;
    return 1;
  }
  f->last_block = block;
  f->last_off = off;
  return 0;
}

static int find_entry(struct inode *dir, const char *name, struct find *f) {
  memset(f, 0, sizeof *f);
  f->name = name;
  f->last_off = (u32)-1;
  int r = dir_each(dir, find_visit, f);
  return r < 0 ? r : f->ino ? 0 : -ENOENT;
}

/* The inode name in dir stands for. A directory already in memory under
 * another parent is damage: a second name for a directory, or a loop. */
static int child(struct inode *dir, const char *name, struct find *f, struct inode **out) {
  int err = find_entry(dir, name, f);
  if (!err) err = get_inode(dir->sb, f->ino, dir, name, out);
  if (err) return err;
  if (S_ISDIR((*out)->mode) && (*out)->parent != dir) {
    iput(*out);
    return ext2_corrupt(FS(dir), dir->ino, "%s names directory %u, which is in another directory", name, f->ino);
  }
  return 0;
}

int ext2_lookup(struct inode *dir, const char *name, struct inode **out) {
  struct find f;
  return child(dir, name, &f, out);
}

/* Free room of at least need bytes after a record's own. */
struct slot { u32 need, block, off, found; };

static int slot_visit(struct inode *dir, u32 block, u32 off, struct dirent_head *h, const char *name, void *arg) {
  (void)dir, (void)name;
  struct slot *s = arg;
  u32 used = h->inode ? rec_size(h->name_len) : 0;
  if (h->rec_len - used >= s->need) {
    s->block = block;
    s->off = off;
    s->found = 1;
    return 1;
  }
  return 0;
}

/* Adds name -> ino to dir, in free room of a record or a new block. */
static int add_entry(struct inode *dir, const char *name, u32 ino, u32 mode) {
  struct fs *fs = FS(dir);
  u32 len = strlen(name);
  if (len > 255) return -ENAMETOOLONG;
  struct slot s = {rec_size(len), 0, 0, 0};
  int err = dir_each(dir, slot_visit, &s);
  if (err < 0) return err;
  struct dirent_head h, n = {ino, 0, (u8)len, fs->filetype ? file_type(mode) : 0};
  if (s.found) {
    if ((err = dev_read(fs, s.block, s.off, &h, sizeof h))) return err;
    u32 used = h.inode ? rec_size(h.name_len) : 0;
    n.rec_len = (u16)(h.rec_len - used);
    if (used) {
      h.rec_len = (u16)used;
      if ((err = data_write(fs, s.block, s.off, &h, sizeof h))) return err;
    }
    s.off += used;
  } else {
    if ((err = bmap(dir, dir->size / fs->bs, 1, &s.block))) return err;
    s.off = 0;
    n.rec_len = (u16)fs->bs;
    dir->size += fs->bs;
  }
  if ((err = data_write(fs, s.block, s.off, &n, sizeof n)) || (err = data_write(fs, s.block, s.off + 8, name, len)))
    return err;
  INFO(dir)->d.flags &= ~INDEX_FL; /* its hash index, if any, no longer matches */
  dir->mtime = INFO(dir)->d.ctime = time_now();
  return write_inode(dir);
}

static int remove_entry(struct inode *dir, struct find *f) {
  struct fs *fs = FS(dir);
  struct dirent_head h;
  int err = dev_read(fs, f->block, f->off, &h, sizeof h);
  if (err) return err;
  if (f->prev_off != (u32)-1) {
    /* the previous record of the same block takes its room; both were checked */
    struct dirent_head prev;
    if ((err = dev_read(fs, f->block, f->prev_off, &prev, sizeof prev))) return err;
    prev.rec_len = (u16)(prev.rec_len + h.rec_len);
    if ((err = data_write(fs, f->block, f->prev_off, &prev, sizeof prev))) return err;
  } else {
    h.inode = 0;
    if ((err = data_write(fs, f->block, f->off, &h, sizeof h))) return err;
  }
  INFO(dir)->d.flags &= ~INDEX_FL;
  dir->mtime = INFO(dir)->d.ctime = time_now();
  return write_inode(dir);
}

/* Whether dir may take another subdirectory (its ".." adds a link). */
static int room_for_subdir(struct inode *dir) { return dir->nlink < LINK_MAX ? 0 : -EMLINK; }

/* Whether dir may lose a subdirectory: it counts two links of its own. */
static int has_subdir_link(struct inode *dir) {
  return dir->nlink > 2 ? 0 : ext2_corrupt(FS(dir), dir->ino, "%u links, too few for its subdirectories", dir->nlink);
}

int ext2_create(struct inode *dir, const char *name, u32 mode, u32 rdev, struct inode **out) {
  struct fs *fs = FS(dir);
  struct find f;
  if (fs->ro) return -EROFS;
  if (dir->nlink == 0) return -ENOENT;
  if (strlen(name) > 255) return -ENAMETOOLONG;
  int err = find_entry(dir, name, &f), is_dir = S_ISDIR(mode);
  if (err != -ENOENT) return err ? err : -EEXIST;
  if (is_dir && (err = room_for_subdir(dir))) return err;
  struct inode *ip;
  if ((err = new_inode(dir, name, mode, rdev, &ip))) return err;
  /* a directory's "." and "..", in its first block */
  if (is_dir && !(err = add_entry(ip, ".", ip->ino, S_IFDIR))) err = add_entry(ip, "..", dir->ino, S_IFDIR);
  if (!err) err = add_entry(dir, name, ip->ino, mode);
  if (!err && is_dir) {
    dir->nlink++;
    err = write_inode(dir);
  }
  if (err) {
    ip->nlink = 0; /* freed with its blocks on release */
    iput(ip);
    return err;
  }
  if (out) *out = ip;
  else iput(ip);
  return 0;
}

struct empty { int entries; };

static int empty_visit(struct inode *dir, u32 block, u32 off, struct dirent_head *h, const char *name, void *arg) {
  (void)dir, (void)block, (void)off;
  struct empty *e = arg;
  if (h->inode && strcmp(name, ".") != 0 && strcmp(name, "..") != 0) { e->entries++; return 1; }
  return 0;
}

/* Whether ip's name may be removed (or replaced by rename): not a mount
 * point, and a directory only when empty. */
static int removable(struct inode *ip) {
  if (ip->mounted) return -EBUSY;
  if (!S_ISDIR(ip->mode)) return 0;
  struct empty e = {0};
  int err = dir_each(ip, empty_visit, &e);
  if (err < 0) return err;
  return e.entries ? -ENOTEMPTY : 0;
}

/* Drops one name of ip (held by the caller); the inode goes on its last
 * release once no name is left. */
static int drop_link(struct inode *dir, struct find *f, struct inode *ip) {
  int err = S_ISDIR(ip->mode) ? has_subdir_link(dir) : 0;
  if (!err) err = remove_entry(dir, f);
  if (err) return err;
  if (S_ISDIR(ip->mode)) {
    ip->nlink = 0;
    dir->nlink--;
    if ((err = write_inode(dir))) return err;
  } else {
    ip->nlink--; /* at least 1: get_inode refuses an inode without links */
  }
  INFO(ip)->d.ctime = time_now();
  return write_inode(ip);
}

int ext2_unlink(struct inode *dir, const char *name) {
  struct find f;
  struct inode *ip;
  if (FS(dir)->ro) return -EROFS;
  int err = child(dir, name, &f, &ip);
  if (err) return err;
  err = removable(ip);
  if (!err) err = drop_link(dir, &f, ip);
  iput(ip);
  return err;
}

int ext2_link(struct inode *dir, const char *name, struct inode *target) {
  if (FS(dir)->ro) return -EROFS;
  if (S_ISDIR(target->mode)) return -EPERM;
  if (target->sb != dir->sb) return -EXDEV;
  if (target->nlink >= LINK_MAX) return -EMLINK;
  struct find f;
  int err = find_entry(dir, name, &f);
  if (err != -ENOENT) return err ? err : -EEXIST;
  if ((err = add_entry(dir, name, target->ino, target->mode))) return err;
  target->nlink++;
  INFO(target)->d.ctime = time_now();
  return write_inode(target);
}

/* The ".." entry of a directory being moved to another parent. */
struct dotdot { u32 block, off; };

static int dotdot_visit(struct inode *dir, u32 block, u32 off, struct dirent_head *h, const char *name, void *arg) {
  (void)dir, (void)h;
  struct dotdot *d = arg;
  if (strcmp(name, "..") == 0) { d->block = block; d->off = off; return 1; }
  return 0;
}

/* Points a directory moved from from_dir to to_dir at its new parent. */
static int reparent(struct inode *src, struct inode *from_dir, struct inode *to_dir) {
  struct dotdot dd = {0, 0};
  u32 ino = to_dir->ino;
  int r = dir_each(src, dotdot_visit, &dd);
  if (r < 0) return r;
  if (r > 0 && (r = data_write(FS(src), dd.block, dd.off, &ino, 4))) return r;
  from_dir->nlink--;
  to_dir->nlink++;
  if ((r = write_inode(from_dir)) || (r = write_inode(to_dir))) return r;
  iput(src->parent);
  src->parent = iget(to_dir);
  return 0;
}

int ext2_rename(struct inode *from_dir, const char *from, struct inode *to_dir, const char *to) {
  struct find f, t;
  struct inode *src, *dst;
  if (FS(from_dir)->ro) return -EROFS;
  int err = child(from_dir, from, &f, &src);
  if (err) return err;
  for (struct inode *d = to_dir; d && !err; d = d->parent)
    if (d == src) err = -EINVAL; /* a directory into itself */
  int moves_dir = S_ISDIR(src->mode) && from_dir != to_dir;
  if (!err && moves_dir && !(err = room_for_subdir(to_dir))) err = has_subdir_link(from_dir);
  int found = err ? -ENOENT : child(to_dir, to, &t, &dst);
  if (found == 0) {
    if (dst == src) { iput(dst); iput(src); return 0; }
    if (S_ISDIR(src->mode) && !S_ISDIR(dst->mode)) err = -ENOTDIR;
    else if (!S_ISDIR(src->mode) && S_ISDIR(dst->mode)) err = -EISDIR;
    else err = removable(dst);
    if (!err) err = drop_link(to_dir, &t, dst);
    iput(dst);
  } else if (found != -ENOENT) {
    err = found;
  }
  if (!err) err = add_entry(to_dir, to, src->ino, src->mode);
  if (!err && (err = find_entry(from_dir, from, &f)) == 0) err = remove_entry(from_dir, &f);
  if (!err && moves_dir) err = reparent(src, from_dir, to_dir);
  if (!err) {
    strncpy_safe(src->name, to, sizeof src->name);
    INFO(src)->d.ctime = time_now();
    err = write_inode(src);
  }
  iput(src);
  return err;
}

struct nth { u32 want, seen; char *name; u32 *ino, *mode; int found; };

static int nth_visit(struct inode *dir, u32 block, u32 off, struct dirent_head *h, const char *name, void *arg) {
  (void)dir, (void)block, (void)off;
  struct nth *n = arg;
  if (!h->inode || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) return 0;
  if (n->seen++ != n->want) return 0;
  strncpy_safe(n->name, name, NAME_MAX + 1);
  *n->ino = h->inode;
  static const u32 modes[] = {0, S_IFREG, S_IFDIR, S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK, S_IFLNK};
  *n->mode = modes[h->file_type & 7];
  n->found = 1;
  return 1;
}

int ext2_readdir(struct inode *dir, u32 index, char *name, u32 *ino, u32 *mode) {
  struct nth n = {index, 0, name, ino, mode, 0};
  int err = dir_each(dir, nth_visit, &n);
  if (err < 0) return err;
  return n.found ? 0 : 1;
}
