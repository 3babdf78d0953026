/* ext2's inodes: read and checked, kept in memory while referenced,
 * written back; files mapped through 12 direct, one indirect, one double
 * and one triple indirect block, holes read as zeros; truncation, reads
 * and writes of file bytes. */
#include "ext2.h"

static int location(struct fs *fs, u32 ino, u32 *block, u32 *off) {
  if (ino == 0 || ino > fs->sb->inodes_count) return -EIO; /* callers check first; a driver bug */
  u32 g = (ino - 1) / fs->sb->inodes_per_group, index = (ino - 1) % fs->sb->inodes_per_group;
  u32 byte = index * fs->inode_size;
  *block = fs->groups[g].inode_table + byte / fs->bs;
  *off = byte % fs->bs;
  return 0;
}

/* Whether block[] is a block map: a device keeps its number there, a
 * short ("fast") symbolic link its target. */
static int maps_blocks(struct inode *ip) {
  struct disk_inode *d = &INFO(ip)->d;
  switch (ip->mode & S_IFMT) {
    case S_IFREG: case S_IFDIR: return 1;
    case S_IFLNK: return d->blocks != (d->file_acl ? FS(ip)->bs / 512 : 0);
    default: return 0;
  }
}

/* The owner: 16 bits in the inode proper, the high 16 in the Linux part
 * of osd2 (l_i_uid_high at 4, l_i_gid_high at 6). */
static void set_owner(struct disk_inode *d, u32 uid, u32 gid) {
  d->uid = (u16)uid;
  d->gid = (u16)gid;
  d->osd2[4] = (u8)(uid >> 16), d->osd2[5] = (u8)(uid >> 24);
  d->osd2[6] = (u8)(gid >> 16), d->osd2[7] = (u8)(gid >> 24);
}

int write_inode(struct inode *ip) {
  struct fs *fs = FS(ip);
  struct disk_inode *d = &INFO(ip)->d;
  d->mode = (u16)ip->mode;
  set_owner(d, ip->uid, ip->gid);
  d->size = ip->size;
  d->links_count = (u16)ip->nlink;
  d->mtime = ip->mtime;
  d->atime = ip->atime;
  d->ctime = ip->ctime;
  if ((ip->mode & S_IFMT) == S_IFCHR || (ip->mode & S_IFMT) == S_IFBLK) d->block[0] = ip->rdev;
  u32 block, off;
  int err = location(fs, ip->ino, &block, &off);
  return err ? err : meta_write(fs, block, off, d, sizeof *d);
}

/* What an inode says about itself, checked before anything uses it. */
static int check_inode(struct fs *fs, u32 ino, const struct disk_inode *d) {
  u32 type = d->mode & S_IFMT, per_block = fs->bs / 512;
  switch (type) {
    case S_IFREG: case S_IFDIR: case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK: case S_IFLNK: break;
    default: return ext2_corrupt(fs, ino, "unknown file type (mode %x)", d->mode);
  }
  if (d->links_count == 0) return ext2_corrupt(fs, ino, "named by a directory, but has no links");
  if (d->blocks / per_block > fs->sb->blocks_count)
    return ext2_corrupt(fs, ino, "counts %u blocks, more than the filesystem has", d->blocks / per_block);
  if (type == S_IFDIR) {
    if (d->links_count < 2) return ext2_corrupt(fs, ino, "directory with %u link", d->links_count);
    /* a directory has no holes: each of its blocks is counted */
    if (d->size == 0 || d->size % fs->bs || d->size / fs->bs > d->blocks / per_block)
      return ext2_corrupt(fs, ino, "directory size past its blocks");
  }
  if (type == S_IFLNK && d->blocks == (d->file_acl ? per_block : 0) && d->size >= sizeof d->block)
    return ext2_corrupt(fs, ino, "short symbolic link of %u bytes", d->size);
  return 0;
}

/* Puts a checked (or new) inode in core. */
static int add_inode(struct super *sb, u32 ino, const struct disk_inode *d, struct inode *parent, const char *name,
                     struct inode **out) {
  struct fs *fs = sb->priv;
  struct inode *ip = inode_new(sb, 0);
  struct info *info = kzalloc(sizeof *info);
  if (!ip || !info) { kmfree(ip); kmfree(info); return -ENOMEM; }
  info->d = *d;
  ip->priv = info;
  ip->ino = ino;
  ip->mode = info->d.mode;
  ip->uid = info->d.uid | (u32)(info->d.osd2[4] | info->d.osd2[5] << 8) << 16;
  ip->gid = info->d.gid | (u32)(info->d.osd2[6] | info->d.osd2[7] << 8) << 16;
  ip->nlink = info->d.links_count;
  ip->size = info->d.size;
  ip->mtime = info->d.mtime;
  ip->atime = info->d.atime;
  ip->ctime = info->d.ctime;
  if ((ip->mode & S_IFMT) == S_IFCHR || (ip->mode & S_IFMT) == S_IFBLK) ip->rdev = info->d.block[0];
  ip->ops = &ext2_ops;
  if (parent) ip->parent = iget(parent); /* a child keeps its directory in memory */
  strncpy_safe(ip->name, name, sizeof ip->name);
  info->next = fs->cache;
  fs->cache = ip;
  *out = iget(ip);
  return 0;
}

/* The in-core inode for ino (named name in parent), shared while
 * referenced. A directory entry was checked to name an inode in range;
 * here the inode must be in use and sound. */
int get_inode(struct super *sb, u32 ino, struct inode *parent, const char *name, struct inode **out) {
  struct fs *fs = sb->priv;
  if (ino != ROOT_INO && (ino < fs->first_ino || ino > fs->sb->inodes_count))
    return ext2_corrupt(fs, parent ? parent->ino : 0, "names inode %u, outside %u..%u", ino, fs->first_ino,
                        fs->sb->inodes_count);
  for (struct inode *ip = fs->cache; ip; ip = INFO(ip)->next) {
    if (ip->ino != ino) continue;
    /* unlinked but still open: no directory may name it any more */
    if (ip->nlink == 0) return ext2_corrupt(fs, ino, "named by a directory, but has no links");
    *out = iget(ip);
    return 0;
  }
  int used = inode_in_use(fs, ino);
  if (used < 0) return used;
  if (!used) return ext2_corrupt(fs, ino, "named by a directory, but free in the inode bitmap");
  struct disk_inode d;
  u32 block, off;
  int err = location(fs, ino, &block, &off);
  if (!err) err = dev_read(fs, block, off, &d, sizeof d);
  if (!err) err = check_inode(fs, ino, &d);
  /* past 4 GiB: sound, but more than this driver's 32-bit sizes hold */
  if (!err && S_ISREG(d.mode) && d.size_high) err = -EFBIG;
  return err ? err : add_inode(sb, ino, &d, parent, name, out);
}

/* A fresh inode of the given mode, allocated near dir, written to disk
 * and returned in core (named name in dir, which does not name it yet). */
int new_inode(struct inode *dir, const char *name, u32 mode, u32 rdev, struct inode **out) {
  struct fs *fs = FS(dir);
  u32 ino, block, off;
  int err = alloc_inode(fs, (dir->ino - 1) / fs->sb->inodes_per_group, S_ISDIR(mode), &ino);
  if (err) return err;
  struct disk_inode d;
  memset(&d, 0, sizeof d);
  d.mode = (u16)mode;
  set_owner(&d, current_euid(), current_egid());
  d.links_count = S_ISDIR(mode) ? 2 : 1;
  d.atime = d.ctime = d.mtime = time_now();
  if ((mode & S_IFMT) == S_IFCHR || (mode & S_IFMT) == S_IFBLK) d.block[0] = rdev;
  if ((err = location(fs, ino, &block, &off)) || (err = meta_write(fs, block, off, &d, sizeof d))) return err;
  static const u8 zeros[128];
  for (u32 at = sizeof d; at < fs->inode_size; at += sizeof zeros) {
    u32 n = fs->inode_size - at < sizeof zeros ? fs->inode_size - at : sizeof zeros;
    if ((err = meta_write(fs, block, off + at, zeros, n))) return err;
  }
  return add_inode(dir->sb, ino, &d, dir, name, out);
}

static int bad_map(struct inode *ip, u32 block) {
  return ext2_corrupt(FS(ip), ip->ino, "block map points at block %u, outside the data blocks", block);
}

/* Block mapping: the physical block of file block n, 0 for a hole. With
 * alloc, missing blocks (and the indirect blocks leading to them) are
 * made. Each block number read is checked to be a data block. */
int bmap(struct inode *ip, u32 n, int alloc, u32 *out) {
  struct fs *fs = FS(ip);
  struct disk_inode *d = &INFO(ip)->d;
  u32 per = fs->per, near = (ip->ino - 1) / fs->sb->inodes_per_group;
  u32 *slot, level, path[3];
  if (!maps_blocks(ip)) { *out = 0; return alloc ? -EINVAL : 0; }
  if (n < NDIR) { slot = &d->block[n]; level = 0; }
  else if ((n -= NDIR) < per) { slot = &d->block[IND]; level = 1; path[0] = n; }
  else if ((n -= per) < per * per) { slot = &d->block[DIND]; level = 2; path[0] = n / per; path[1] = n % per; }
  else if ((n -= per * per) < per * per * per) {
    slot = &d->block[TIND]; level = 3;
    path[0] = n / (per * per); path[1] = n / per % per; path[2] = n % per;
  } else return -EFBIG;
  u32 block = *slot;
  int err;
  if (block && !data_block(fs, block)) return bad_map(ip, block);
  if (!block) {
    if (!alloc) { *out = 0; return 0; }
    if ((err = alloc_block(fs, near, &block))) return err;
    *slot = block;
    d->blocks += fs->bs / 512;
  }
  for (u32 i = 0; i < level; i++) {
    u32 next;
    if ((err = dev_read(fs, block, path[i] * 4, &next, 4))) return err;
    if (next && !data_block(fs, next)) return bad_map(ip, next);
    if (!next) {
      if (!alloc) { *out = 0; return 0; }
      if ((err = alloc_block(fs, near, &next))) return err;
      if ((err = data_write(fs, block, path[i] * 4, &next, 4))) return err;
      d->blocks += fs->bs / 512;
    }
    block = next;
  }
  *out = block;
  return 0;
}

/* Frees what block (at depth level: 0 data, 1 indirect...) maps beyond
 * file block keep, where block maps from file block base on. Returns 1
 * when block itself is now unused and was freed, 0 when it stays. */
static int free_tree(struct inode *ip, u32 block, u32 level, u32 base, u32 keep) {
  struct fs *fs = FS(ip);
  struct disk_inode *d = &INFO(ip)->d;
  u32 span = 1, per_block = fs->bs / 512;
  for (u32 i = 0; i < level; i++) span *= fs->per;
  if (!block || base + span <= keep) return 0;
  if (!data_block(fs, block)) return bad_map(ip, block);
  if (level > 0) {
    u32 child_span = span / fs->per, still_used = 0;
    for (u32 i = 0; i < fs->per; i++) {
      u32 child;
      int err = dev_read(fs, block, i * 4, &child, 4);
      if (err) return err;
      if (!child) continue;
      int r = free_tree(ip, child, level - 1, base + i * child_span, keep);
      if (r < 0) return r;
      if (!r) { still_used = 1; continue; }
      u32 zero = 0;
      if ((err = data_write(fs, block, i * 4, &zero, 4))) return err;
    }
    if (still_used) return 0;
  }
  if (d->blocks < per_block) return ext2_corrupt(fs, ip->ino, "counts fewer blocks than it maps");
  int err = free_block(fs, ip->ino, block);
  if (err) return err;
  d->blocks -= per_block;
  return 1;
}

int ext2_truncate(struct inode *ip, u32 size) {
  struct fs *fs = FS(ip);
  struct disk_inode *d = &INFO(ip)->d;
  u32 per = fs->per, keep = size / fs->bs + (size % fs->bs != 0);
  if (fs->ro) return -EROFS;
  if (maps_blocks(ip)) {
    int r = 0;
    for (u32 i = 0; i < NDIR && r >= 0; i++)
      if ((r = free_tree(ip, d->block[i], 0, i, keep)) > 0) d->block[i] = 0;
    if (r >= 0 && (r = free_tree(ip, d->block[IND], 1, NDIR, keep)) > 0) d->block[IND] = 0;
    if (r >= 0 && (r = free_tree(ip, d->block[DIND], 2, NDIR + per, keep)) > 0) d->block[DIND] = 0;
    if (r >= 0 && (r = free_tree(ip, d->block[TIND], 3, NDIR + per + per * per, keep)) > 0) d->block[TIND] = 0;
    if (r < 0) return r;
    if (size % fs->bs && size < ip->size) {
      /* the rest of the last block must read as zeros if the file grows again */
      u32 block;
      int err = bmap(ip, size / fs->bs, 0, &block);
      if (!err && block) err = zero_range(fs, block, size % fs->bs);
      if (err) return err;
    }
  }
  ip->size = size;
  ip->mtime = d->ctime = time_now();
  return write_inode(ip);
}

int ext2_read(struct inode *ip, void *buf, u32 off, u32 n, int user) {
  struct fs *fs = FS(ip);
  if (off >= ip->size) return 0;
  if (n > ip->size - off) n = ip->size - off;
  if (S_ISLNK(ip->mode) && !maps_blocks(ip)) /* checked shorter than block[] */
    return copy_out(user, buf, (u8 *)INFO(ip)->d.block + off, n) < 0 ? -EFAULT : (int)n;
  u8 chunk[512];
  u32 done = 0;
  while (done < n) {
    u32 pos = off + done, in = pos % fs->bs;
    u32 k = fs->bs - in;
    if (k > n - done) k = n - done;
    if (k > sizeof chunk) k = sizeof chunk;
    u32 block;
    int err = bmap(ip, pos / fs->bs, 0, &block);
    if (!err && block) err = dev_read(fs, block, in, chunk, k);
    else if (!err) memset(chunk, 0, k);
    if (!err && copy_out(user, (u8 *)buf + done, chunk, k) < 0) err = -EFAULT;
    if (err) return done ? (int)done : err;
    done += k;
  }
  return (int)done;
}

int ext2_write(struct inode *ip, const void *buf, u32 off, u32 n, int user) {
  struct fs *fs = FS(ip);
  if (fs->ro) return -EROFS;
  if (!S_ISREG(ip->mode)) return -EINVAL;
  u8 chunk[512];
  u32 done = 0;
  int err = 0;
  while (done < n) {
    u32 pos = off + done, in = pos % fs->bs;
    u32 k = fs->bs - in;
    if (k > n - done) k = n - done;
    if (k > sizeof chunk) k = sizeof chunk;
    if (pos + k < pos) { err = -EFBIG; break; }
    u32 block;
    if ((err = bmap(ip, pos / fs->bs, 1, &block))) break;
    if (copy_in(user, chunk, (const u8 *)buf + done, k) < 0) { err = -EFAULT; break; }
    if ((err = data_write(fs, block, in, chunk, k))) break;
    done += k;
  }
  if (off + done > ip->size) ip->size = off + done;
  if (done) ip->mtime = INFO(ip)->d.ctime = time_now();
  int werr = write_inode(ip);
  if (!err) err = werr;
  return done ? (int)done : err;
}

/* The last reference: an inode without names gives its blocks and its
 * number back (on a read-only filesystem it stays allocated, for e2fsck
 * to reclaim); then the in-core copy goes. */
void ext2_release(struct inode *ip) {
  struct fs *fs = FS(ip);
  if (ip->nlink == 0 && !fs->ro && ext2_truncate(ip, 0) == 0) {
    INFO(ip)->d.dtime = time_now();
    if (write_inode(ip) == 0) free_inode(fs, ip->ino, S_ISDIR(ip->mode));
  }
  for (struct inode **link = &fs->cache; *link; link = &INFO(*link)->next)
    if (*link == ip) { *link = INFO(ip)->next; break; }
  struct inode *parent = ip->parent;
  kmfree(ip->priv);
  kmfree(ip);
  if (parent) iput(parent);
}

/* A symbolic link's target: in the inode itself when it is short (a
 * "fast" link, no blocks: check_inode made sure it fits), else in its
 * data block, read as a file's. */
static int ext2_readlink(struct inode *ip, char *buf, u32 size, int user) {
  const struct disk_inode *d = &INFO(ip)->d;
  u32 n = ip->size < size ? ip->size : size;
  if (d->blocks == (d->file_acl ? FS(ip)->bs / 512 : 0)) return copy_out(user, buf, d->block, n) < 0 ? -EFAULT : (int)n;
  return ext2_read(ip, buf, 0, n, user);
}

/* A symbolic link, always a "fast" one: the target in the inode's block
 * pointers, which limits it to 59 bytes here (Linux writes longer ones to
 * a block). */
static int ext2_symlink(struct inode *dir, const char *name, const char *target, u32 len) {
  struct inode *ip;
  if (len >= sizeof INFO(dir)->d.block) return -ENAMETOOLONG;
  int err = ext2_create(dir, name, S_IFLNK | 0777, 0, &ip);
  if (err) return err;
  memcpy(INFO(ip)->d.block, target, len);
  ip->size = len;
  err = write_inode(ip);
  iput(ip);
  return err;
}

const struct inode_ops ext2_ops = {
  .lookup = ext2_lookup,
  .symlink = ext2_symlink,
  .readlink = ext2_readlink,
  .setattr = write_inode,
  .create = ext2_create,
  .unlink = ext2_unlink,
  .rename = ext2_rename,
  .link = ext2_link,
  .readdir = ext2_readdir,
  .truncate = ext2_truncate,
  .read = ext2_read,
  .write = ext2_write,
  .release = ext2_release,
};
