/* ext2.ko: the second extended filesystem, revision 0 and 1, read and
 * write, on a block device. Blocks of 1, 2 or 4 KiB; files mapped through
 * 12 direct, one indirect, one double and one triple indirect block;
 * holes read as zeros. Bitmaps, group descriptors and the superblock keep
 * the free counts. Everything goes through the block layer's cache; sync
 * writes the superblock and descriptors, then the cache. */
#include "kernel.h"
#include "module.h"
#include "fs.h"
#include "block.h"
#include "memlayout.h"

#define EXT2_MAGIC 0xEF53
#define ROOT_INO 2
#define NDIR 12
#define IND 12
#define DIND 13
#define TIND 14
#define INCOMPAT_FILETYPE 0x0002
#define INCOMPAT_SUPPORTED INCOMPAT_FILETYPE
#define INDEX_FL 0x1000 /* a hashed directory; cleared when changed here */

/* On-disk structures, as the ext2 documentation lays them out. */
struct disk_super {
  u32 inodes_count, blocks_count, r_blocks_count, free_blocks_count, free_inodes_count;
  u32 first_data_block, log_block_size, log_frag_size, blocks_per_group, frags_per_group;
  u32 inodes_per_group, mtime, wtime;
  u16 mnt_count, max_mnt_count, magic, state, errors, minor_rev;
  u32 lastcheck, checkinterval, creator_os, rev_level;
  u16 def_resuid, def_resgid;
  u32 first_ino;
  u16 inode_size, block_group_nr;
  u32 feature_compat, feature_incompat, feature_ro_compat;
};

struct disk_group {
  u32 block_bitmap, inode_bitmap, inode_table;
  u16 free_blocks_count, free_inodes_count, used_dirs_count, pad;
  u32 reserved[3];
};

struct disk_inode {
  u16 mode, uid;
  u32 size, atime, ctime, mtime, dtime;
  u16 gid, links_count;
  u32 blocks, flags, osd1;
  u32 block[15];
  u32 generation, file_acl, size_high, faddr;
  u8 osd2[12];
};

struct fs {
  struct block_device *bd;
  u8 super_bytes[1024];
  struct disk_super *sb;
  struct disk_group *groups;
  u32 bs, ngroups, inode_size, gdt_bytes;
  int filetype;
  struct inode *cache; /* in-core inodes, linked through their info */
};

struct info {
  struct disk_inode d;
  struct inode *next;
};

#define FS(ip) ((struct fs *)(ip)->sb->priv)
#define INFO(ip) ((struct info *)(ip)->priv)

static const struct inode_ops ext2_ops;

/* Device I/O: whole blocks, or bytes within one. */
static int dev_read(struct fs *fs, u32 block, u32 off, void *buf, u32 len) {
  return bdev_read(fs->bd, (u64)block * fs->bs + off, buf, len) == (int)len ? 0 : -EIO;
}

static int dev_write(struct fs *fs, u32 block, u32 off, const void *buf, u32 len) {
  return bdev_write(fs->bd, (u64)block * fs->bs + off, buf, len) == (int)len ? 0 : -EIO;
}

static int zero_block(struct fs *fs, u32 block) {
  static const u8 zeros[512];
  for (u32 off = 0; off < fs->bs; off += sizeof zeros)
    if (dev_write(fs, block, off, zeros, sizeof zeros)) return -EIO;
  return 0;
}

static u32 read_u32(struct fs *fs, u32 block, u32 index) {
  u32 v = 0;
  dev_read(fs, block, index * 4, &v, 4);
  return v;
}

/* Bitmaps: finds a clear bit in a group's bitmap, sets it. */
static int take_bit(struct fs *fs, u32 bitmap, u32 nbits, u32 *bit) {
  u8 byte;
  for (u32 i = 0; i < nbits; i++) {
    if (i % 8 == 0 && dev_read(fs, bitmap, i / 8, &byte, 1)) return -EIO;
    if (byte & (1 << (i % 8))) continue;
    byte |= (u8)(1 << (i % 8));
    if (dev_write(fs, bitmap, i / 8, &byte, 1)) return -EIO;
    *bit = i;
    return 0;
  }
  return -ENOSPC;
}

static int clear_bit(struct fs *fs, u32 bitmap, u32 bit) {
  u8 byte;
  if (dev_read(fs, bitmap, bit / 8, &byte, 1)) return -EIO;
  if (!(byte & (1 << (bit % 8)))) return -EIO; /* already free: the filesystem is damaged */
  byte &= (u8)~(1 << (bit % 8));
  return dev_write(fs, bitmap, bit / 8, &byte, 1);
}

static u32 group_blocks(struct fs *fs, u32 g) {
  u32 left = fs->sb->blocks_count - fs->sb->first_data_block - g * fs->sb->blocks_per_group;
  return left < fs->sb->blocks_per_group ? left : fs->sb->blocks_per_group;
}

/* A free block, zeroed, preferably in group near; 0 when the disk is full. */
static u32 alloc_block(struct fs *fs, u32 near) {
  if (fs->sb->free_blocks_count == 0) return 0;
  for (u32 k = 0; k < fs->ngroups; k++) {
    u32 g = (near + k) % fs->ngroups;
    if (!fs->groups[g].free_blocks_count) continue;
    u32 bit;
    if (take_bit(fs, fs->groups[g].block_bitmap, group_blocks(fs, g), &bit)) continue;
    fs->groups[g].free_blocks_count--;
    fs->sb->free_blocks_count--;
    u32 block = fs->sb->first_data_block + g * fs->sb->blocks_per_group + bit;
    if (zero_block(fs, block)) return 0;
    return block;
  }
  return 0;
}

static void free_block(struct fs *fs, u32 block) {
  if (block < fs->sb->first_data_block || block >= fs->sb->blocks_count) return;
  u32 g = (block - fs->sb->first_data_block) / fs->sb->blocks_per_group;
  if (clear_bit(fs, fs->groups[g].block_bitmap, (block - fs->sb->first_data_block) % fs->sb->blocks_per_group)) {
    printk("ext2: freeing free block %u\n", block);
    return;
  }
  fs->groups[g].free_blocks_count++;
  fs->sb->free_blocks_count++;
}

/* Inodes on disk. */
static int inode_location(struct fs *fs, u32 ino, u32 *block, u32 *off) {
  if (ino == 0 || ino > fs->sb->inodes_count) return -EIO;
  u32 g = (ino - 1) / fs->sb->inodes_per_group, index = (ino - 1) % fs->sb->inodes_per_group;
  u32 byte = index * fs->inode_size;
  *block = fs->groups[g].inode_table + byte / fs->bs;
  *off = byte % fs->bs;
  return 0;
}

static int write_inode(struct inode *ip) {
  struct fs *fs = FS(ip);
  struct disk_inode *d = &INFO(ip)->d;
  d->mode = (u16)ip->mode;
  d->size = ip->size;
  d->links_count = (u16)ip->nlink;
  d->mtime = ip->mtime;
  if ((ip->mode & S_IFMT) == S_IFCHR || (ip->mode & S_IFMT) == S_IFBLK) d->block[0] = ip->rdev;
  u32 block, off;
  if (inode_location(fs, ip->ino, &block, &off)) return -EIO;
  return dev_write(fs, block, off, d, sizeof *d);
}

/* The in-core inode for ino, shared while referenced. */
static int get_inode(struct super *sb, u32 ino, struct inode *parent, const char *name, struct inode **out) {
  struct fs *fs = sb->priv;
  for (struct inode *ip = fs->cache; ip; ip = INFO(ip)->next)
    if (ip->ino == ino) { *out = iget(ip); return 0; }
  struct inode *ip = inode_new(sb, 0);
  struct info *info = kzalloc(sizeof *info);
  if (!ip || !info) { kmfree(ip); kmfree(info); return -ENOMEM; }
  u32 block, off;
  if (inode_location(fs, ino, &block, &off) || dev_read(fs, block, off, &info->d, sizeof info->d)) {
    kmfree(ip); kmfree(info);
    return -EIO;
  }
  ip->priv = info;
  ip->ino = ino;
  ip->mode = info->d.mode;
  ip->nlink = info->d.links_count;
  ip->size = info->d.size;
  ip->mtime = info->d.mtime;
  if ((ip->mode & S_IFMT) == S_IFCHR || (ip->mode & S_IFMT) == S_IFBLK) ip->rdev = info->d.block[0];
  ip->ops = &ext2_ops;
  if (parent) ip->parent = iget(parent); /* a child keeps its directory in memory */
  strncpy_safe(ip->name, name, sizeof ip->name);
  info->next = fs->cache;
  fs->cache = ip;
  *out = iget(ip);
  return 0;
}

/* Block mapping: the physical block of file block n, 0 for a hole. With
 * alloc, missing blocks (and the indirect blocks leading to them) are made. */
static int bmap(struct inode *ip, u32 n, int alloc, u32 *out) {
  struct fs *fs = FS(ip);
  struct disk_inode *d = &INFO(ip)->d;
  u32 per = fs->bs / 4, near = (ip->ino - 1) / fs->sb->inodes_per_group;
  u32 *slot, level, path[3];
  if (n < NDIR) { slot = &d->block[n]; level = 0; }
  else if ((n -= NDIR) < per) { slot = &d->block[IND]; level = 1; path[0] = n; }
  else if ((n -= per) < per * per) { slot = &d->block[DIND]; level = 2; path[0] = n / per; path[1] = n % per; }
  else if ((n -= per * per) < per * per * per) {
    slot = &d->block[TIND]; level = 3;
    path[0] = n / (per * per); path[1] = n / per % per; path[2] = n % per;
  } else return -EFBIG;
  u32 block = *slot;
  if (!block) {
    if (!alloc) { *out = 0; return 0; }
    if (!(block = alloc_block(fs, near))) return -ENOSPC;
    *slot = block;
    d->blocks += fs->bs / 512;
  }
  for (u32 i = 0; i < level; i++) {
    u32 next = read_u32(fs, block, path[i]);
    if (!next) {
      if (!alloc) { *out = 0; return 0; }
      if (!(next = alloc_block(fs, near))) return -ENOSPC;
      if (dev_write(fs, block, path[i] * 4, &next, 4)) return -EIO;
      d->blocks += fs->bs / 512;
    }
    block = next;
  }
  *out = block;
  return 0;
}

/* Frees what block (at depth level: 0 data, 1 indirect...) maps beyond
 * file block keep, where block maps from file block base on. Returns 1
 * when block itself is now unused and was freed. */
static int free_tree(struct inode *ip, u32 block, u32 level, u32 base, u32 keep) {
  struct fs *fs = FS(ip);
  u32 per = fs->bs / 4, span = 1;
  for (u32 i = 0; i < level; i++) span *= per;
  if (!block || base + span <= keep) return 0;
  if (level > 0) {
    u32 child_span = span / per, still_used = 0;
    for (u32 i = 0; i < per; i++) {
      u32 child = read_u32(fs, block, i);
      if (!child) continue;
      if (free_tree(ip, child, level - 1, base + i * child_span, keep)) {
        u32 zero = 0;
        dev_write(fs, block, i * 4, &zero, 4);
      } else {
        still_used = 1;
      }
    }
    if (still_used) return 0;
  }
  free_block(fs, block);
  INFO(ip)->d.blocks -= fs->bs / 512;
  return 1;
}

static int ext2_truncate(struct inode *ip, u32 size) {
  struct fs *fs = FS(ip);
  struct disk_inode *d = &INFO(ip)->d;
  u32 per = fs->bs / 4, keep = (size + fs->bs - 1) / fs->bs;
  if ((ip->mode & S_IFMT) != S_IFREG && (ip->mode & S_IFMT) != S_IFDIR) { ip->size = size; return write_inode(ip); }
  for (u32 i = 0; i < NDIR; i++)
    if (free_tree(ip, d->block[i], 0, i, keep)) d->block[i] = 0;
  if (free_tree(ip, d->block[IND], 1, NDIR, keep)) d->block[IND] = 0;
  if (free_tree(ip, d->block[DIND], 2, NDIR + per, keep)) d->block[DIND] = 0;
  if (free_tree(ip, d->block[TIND], 3, NDIR + per + per * per, keep)) d->block[TIND] = 0;
  if (size % fs->bs && size < ip->size) {
    /* the rest of the last block must read as zeros if the file grows again */
    u32 block;
    if (bmap(ip, size / fs->bs, 0, &block) == 0 && block) {
      static const u8 zeros[512];
      for (u32 off = size % fs->bs; off < fs->bs;) {
        u32 n = fs->bs - off < sizeof zeros ? fs->bs - off : sizeof zeros;
        dev_write(fs, block, off, zeros, n);
        off += n;
      }
    }
  }
  ip->size = size;
  ip->mtime = d->ctime = time_now();
  return write_inode(ip);
}

static int ext2_read(struct inode *ip, void *buf, u32 off, u32 n, int user) {
  struct fs *fs = FS(ip);
  if (off >= ip->size) return 0;
  if (n > ip->size - off) n = ip->size - off;
  u8 chunk[512];
  u32 done = 0;
  while (done < n) {
    u32 pos = off + done, in = pos % fs->bs;
    u32 k = fs->bs - in;
    if (k > n - done) k = n - done;
    if (k > sizeof chunk) k = sizeof chunk;
    u32 block;
    int err = bmap(ip, pos / fs->bs, 0, &block);
    if (err) return done ? (int)done : err;
    if (block) { if (dev_read(fs, block, in, chunk, k)) return done ? (int)done : -EIO; }
    else memset(chunk, 0, k);
    if (copy_out(user, (u8 *)buf + done, chunk, k) < 0) return done ? (int)done : -EFAULT;
    done += k;
  }
  return (int)done;
}

static int ext2_write(struct inode *ip, const void *buf, u32 off, u32 n, int user) {
  struct fs *fs = FS(ip);
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
    if (dev_write(fs, block, in, chunk, k)) { err = -EIO; break; }
    done += k;
  }
  if (off + done > ip->size) ip->size = off + done;
  if (done) ip->mtime = INFO(ip)->d.ctime = time_now();
  write_inode(ip);
  return done ? (int)done : err;
}

/* Directories: records of (inode, rec_len, name_len, file_type, name). */
struct dirent_head { u32 inode; u16 rec_len; u8 name_len, file_type; };

static u8 file_type(u32 mode) {
  switch (mode & S_IFMT) {
    case S_IFREG: return 1;
    case S_IFDIR: return 2;
    case S_IFCHR: return 3;
    case S_IFBLK: return 4;
    case S_IFIFO: return 5;
    default: return 0;
  }
}

/* Visits every record; the visitor returns nonzero to stop. */
typedef int (*dir_visit)(struct inode *dir, u32 block, u32 off, struct dirent_head *h, const char *name, void *arg);

static int dir_each(struct inode *dir, dir_visit visit, void *arg) {
  struct fs *fs = FS(dir);
  for (u32 b = 0; b * fs->bs < dir->size; b++) {
    u32 block;
    if (bmap(dir, b, 0, &block) || !block) continue;
    for (u32 off = 0; off < fs->bs;) {
      struct dirent_head h;
      char name[256];
      if (dev_read(fs, block, off, &h, sizeof h)) return -EIO;
      if (h.rec_len < 8 || off + h.rec_len > fs->bs || h.name_len + 8u > h.rec_len) {
        printk("ext2: directory %u damaged at block %u\n", dir->ino, block);
        return -EIO;
      }
      if (h.inode) {
        if (dev_read(fs, block, off + 8, name, h.name_len)) return -EIO;
        name[h.name_len] = 0;
      } else {
        name[0] = 0;
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

static int ext2_lookup(struct inode *dir, const char *name, struct inode **out) {
  struct find f;
  int err = find_entry(dir, name, &f);
  if (err) return err;
  return get_inode(dir->sb, f.ino, dir, name, out);
}

struct slot { u32 need, block, off, found; };

static int slot_visit(struct inode *dir, u32 block, u32 off, struct dirent_head *h, const char *name, void *arg) {
  (void)dir, (void)name;
  struct slot *s = arg;
  u32 used = h->inode ? (8u + h->name_len + 3) & ~3u : 0;
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
  struct slot s = {(8 + len + 3) & ~3u, 0, 0, 0};
  int err = dir_each(dir, slot_visit, &s);
  if (err < 0) return err;
  struct dirent_head h, n = {ino, 0, (u8)len, fs->filetype ? file_type(mode) : 0};
  if (s.found) {
    dev_read(fs, s.block, s.off, &h, sizeof h);
    u32 used = h.inode ? (8u + h.name_len + 3) & ~3u : 0;
    n.rec_len = (u16)(h.rec_len - used);
    if (used) {
      h.rec_len = (u16)used;
      if (dev_write(fs, s.block, s.off, &h, sizeof h)) return -EIO;
    }
    s.off += used;
  } else {
    u32 b = dir->size / fs->bs;
    if ((err = bmap(dir, b, 1, &s.block))) return err;
    s.off = 0;
    n.rec_len = (u16)fs->bs;
    dir->size += fs->bs;
  }
  if (dev_write(fs, s.block, s.off, &n, sizeof n) || dev_write(fs, s.block, s.off + 8, name, len)) return -EIO;
  INFO(dir)->d.flags &= ~INDEX_FL; /* its hash index, if any, no longer matches */
  dir->mtime = INFO(dir)->d.ctime = time_now();
  return write_inode(dir);
}

static int remove_entry(struct inode *dir, struct find *f) {
  struct fs *fs = FS(dir);
  struct dirent_head h;
  if (dev_read(fs, f->block, f->off, &h, sizeof h)) return -EIO;
  if (f->prev_off != (u32)-1) {
    struct dirent_head prev;
    if (dev_read(fs, f->block, f->prev_off, &prev, sizeof prev)) return -EIO;
    prev.rec_len = (u16)(prev.rec_len + h.rec_len);
    if (dev_write(fs, f->block, f->prev_off, &prev, sizeof prev)) return -EIO;
  } else {
    h.inode = 0;
    if (dev_write(fs, f->block, f->off, &h, sizeof h)) return -EIO;
  }
  INFO(dir)->d.flags &= ~INDEX_FL;
  dir->mtime = INFO(dir)->d.ctime = time_now();
  return write_inode(dir);
}

static int alloc_inode(struct fs *fs, u32 near, int dir, u32 *ino) {
  if (fs->sb->free_inodes_count == 0) return -ENOSPC;
  for (u32 k = 0; k < fs->ngroups; k++) {
    u32 g = (near + k) % fs->ngroups, bit;
    if (!fs->groups[g].free_inodes_count) continue;
    if (take_bit(fs, fs->groups[g].inode_bitmap, fs->sb->inodes_per_group, &bit)) continue;
    fs->groups[g].free_inodes_count--;
    fs->sb->free_inodes_count--;
    if (dir) fs->groups[g].used_dirs_count++;
    *ino = g * fs->sb->inodes_per_group + bit + 1;
    return 0;
  }
  return -ENOSPC;
}

static void free_inode(struct fs *fs, u32 ino, int dir) {
  u32 g = (ino - 1) / fs->sb->inodes_per_group;
  if (clear_bit(fs, fs->groups[g].inode_bitmap, (ino - 1) % fs->sb->inodes_per_group)) return;
  fs->groups[g].free_inodes_count++;
  fs->sb->free_inodes_count++;
  if (dir) fs->groups[g].used_dirs_count--;
}

static int ext2_create(struct inode *dir, const char *name, u32 mode, u32 rdev, struct inode **out) {
  struct fs *fs = FS(dir);
  struct find f;
  if (dir->nlink == 0) return -ENOENT;
  if (strlen(name) > 255) return -ENAMETOOLONG;
  if (find_entry(dir, name, &f) == 0) return -EEXIST;
  int is_dir = S_ISDIR(mode);
  u32 ino;
  int err = alloc_inode(fs, (dir->ino - 1) / fs->sb->inodes_per_group, is_dir, &ino);
  if (err) return err;
  /* a fresh on-disk inode: zero it, then fill it in */
  struct disk_inode d;
  memset(&d, 0, sizeof d);
  u32 now = time_now(), block, off;
  d.mode = (u16)mode;
  d.links_count = is_dir ? 2 : 1;
  d.atime = d.ctime = d.mtime = now;
  if ((mode & S_IFMT) == S_IFCHR || (mode & S_IFMT) == S_IFBLK) d.block[0] = rdev;
  inode_location(fs, ino, &block, &off);
  if (dev_write(fs, block, off, &d, sizeof d)) return -EIO;
  if (fs->inode_size > sizeof d) {
    static const u8 zeros[128];
    u32 rest = fs->inode_size - sizeof d;
    dev_write(fs, block, off + sizeof d, zeros, rest < sizeof zeros ? rest : sizeof zeros);
  }
  struct inode *ip;
  if ((err = get_inode(dir->sb, ino, dir, name, &ip))) return err;
  if (is_dir) {
    /* "." and "..", in the directory's first block */
    if ((err = add_entry(ip, ".", ino, S_IFDIR)) == 0 && (err = add_entry(ip, "..", dir->ino, S_IFDIR)) == 0) {
      dir->nlink++;
      write_inode(dir);
    }
  }
  if (!err) err = add_entry(dir, name, ino, mode);
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
  if (dir_each(ip, empty_visit, &e) < 0) return -EIO;
  return e.entries ? -ENOTEMPTY : 0;
}

/* Drops one name of ip (held by the caller); the inode goes on its last
 * release once no name is left. */
static int drop_link(struct inode *dir, struct find *f, struct inode *ip) {
  int err = remove_entry(dir, f);
  if (err) return err;
  if (S_ISDIR(ip->mode)) {
    ip->nlink = 0;
    dir->nlink--;
    write_inode(dir);
  } else {
    ip->nlink--;
  }
  INFO(ip)->d.ctime = time_now();
  return write_inode(ip);
}

static int ext2_unlink(struct inode *dir, const char *name) {
  struct find f;
  int err = find_entry(dir, name, &f);
  if (err) return err;
  struct inode *ip;
  if ((err = get_inode(dir->sb, f.ino, dir, name, &ip))) return err;
  err = removable(ip);
  if (!err) err = drop_link(dir, &f, ip);
  iput(ip);
  return err;
}

static int ext2_link(struct inode *dir, const char *name, struct inode *target) {
  if (S_ISDIR(target->mode)) return -EPERM;
  if (target->sb != dir->sb) return -EXDEV;
  struct find f;
  if (find_entry(dir, name, &f) == 0) return -EEXIST;
  int err = add_entry(dir, name, target->ino, target->mode);
  if (err) return err;
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

static int ext2_rename(struct inode *from_dir, const char *from, struct inode *to_dir, const char *to) {
  struct fs *fs = FS(from_dir);
  struct find f, t;
  int err = find_entry(from_dir, from, &f);
  if (err) return err;
  struct inode *src;
  if ((err = get_inode(from_dir->sb, f.ino, from_dir, from, &src))) return err;
  for (struct inode *d = to_dir; d && !err; d = d->parent)
    if (d == src) err = -EINVAL; /* a directory into itself */
  if (!err && find_entry(to_dir, to, &t) == 0) {
    struct inode *dst;
    if (t.ino == f.ino) { iput(src); return 0; }
    if ((err = get_inode(to_dir->sb, t.ino, to_dir, to, &dst)) == 0) {
      if (S_ISDIR(src->mode) && !S_ISDIR(dst->mode)) err = -ENOTDIR;
      else if (!S_ISDIR(src->mode) && S_ISDIR(dst->mode)) err = -EISDIR;
      else err = removable(dst);
      if (!err) err = drop_link(to_dir, &t, dst);
      iput(dst);
    }
  }
  if (!err) err = add_entry(to_dir, to, src->ino, src->mode);
  if (!err && find_entry(from_dir, from, &f) == 0) err = remove_entry(from_dir, &f);
  if (!err && S_ISDIR(src->mode) && from_dir != to_dir) {
    struct dotdot dd = {0, 0};
    u32 ino = to_dir->ino;
    if (dir_each(src, dotdot_visit, &dd) > 0) dev_write(fs, dd.block, dd.off, &ino, 4);
    from_dir->nlink--;
    to_dir->nlink++;
    write_inode(from_dir);
    write_inode(to_dir);
    iput(src->parent);
    src->parent = iget(to_dir);
  }
  if (!err) {
    strncpy_safe(src->name, to, sizeof src->name);
    INFO(src)->d.ctime = time_now();
    write_inode(src);
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
  static const u32 modes[] = {0, S_IFREG, S_IFDIR, S_IFCHR, S_IFBLK, S_IFIFO, 0, 0};
  *n->mode = modes[h->file_type & 7];
  n->found = 1;
  return 1;
}

static int ext2_readdir(struct inode *dir, u32 index, char *name, u32 *ino, u32 *mode) {
  struct nth n = {index, 0, name, ino, mode, 0};
  if (dir_each(dir, nth_visit, &n) < 0) return 1;
  return n.found ? 0 : 1;
}

/* The last reference: an inode without names gives its blocks and its
 * number back; then the in-core copy goes. */
static void ext2_release(struct inode *ip) {
  struct fs *fs = FS(ip);
  if (ip->nlink == 0) {
    ext2_truncate(ip, 0);
    INFO(ip)->d.dtime = time_now();
    write_inode(ip);
    free_inode(fs, ip->ino, S_ISDIR(ip->mode));
  }
  for (struct inode **link = &fs->cache; *link; link = &INFO(*link)->next)
    if (*link == ip) { *link = INFO(ip)->next; break; }
  struct inode *parent = ip->parent;
  kmfree(ip->priv);
  kmfree(ip);
  if (parent) iput(parent);
}

static const struct inode_ops ext2_ops = {
  .lookup = ext2_lookup,
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

static int write_super(struct fs *fs) {
  fs->sb->wtime = time_now();
  int err = bdev_write(fs->bd, 1024, fs->super_bytes, 1024) == 1024 ? 0 : -EIO;
  u32 gdt_block = fs->sb->first_data_block + 1;
  if (!err && bdev_write(fs->bd, (u64)gdt_block * fs->bs, fs->groups, fs->gdt_bytes) != (int)fs->gdt_bytes) err = -EIO;
  return err;
}

static int ext2_sync(struct super *sb) { return write_super(sb->priv); }

static void ext2_kill(struct super *sb) {
  struct fs *fs = sb->priv;
  write_super(fs);
  if (fs->sb->mnt_count < 0xffff) {}
  kmfree(sb->root->priv);
  kmfree(sb->root);
  vfree(fs->groups);
  bdev_put(fs->bd);
  kmfree(fs);
}

static int ext2_mount(const char *source, struct super *sb) {
  struct fs *fs = kzalloc(sizeof *fs);
  if (!fs) return -ENOMEM;
  int err = bdev_get(source, &fs->bd);
  if (err) { kmfree(fs); return err; }
  struct disk_super *s = fs->sb = (struct disk_super *)fs->super_bytes;
  if (bdev_read(fs->bd, 1024, fs->super_bytes, 1024) != 1024) err = -EIO;
  else if (s->magic != EXT2_MAGIC) err = -EINVAL;
  else if (s->log_block_size > 2 || s->blocks_per_group == 0 || s->inodes_per_group == 0) err = -EINVAL;
  else if (s->rev_level >= 1 && (s->feature_incompat & ~INCOMPAT_SUPPORTED)) {
    printk("ext2: %s has features this driver lacks (incompat %x)\n", source, s->feature_incompat);
    err = -EINVAL;
  }
  if (!err) {
    fs->bs = 1024u << s->log_block_size;
    fs->inode_size = s->rev_level >= 1 ? s->inode_size : 128;
    fs->filetype = s->rev_level >= 1 && (s->feature_incompat & INCOMPAT_FILETYPE);
    fs->ngroups = (s->blocks_count - s->first_data_block + s->blocks_per_group - 1) / s->blocks_per_group;
    fs->gdt_bytes = fs->ngroups * sizeof(struct disk_group);
    if (fs->inode_size < 128 || (u64)s->blocks_count * fs->bs > (u64)fs->bd->nsectors * SECTOR) err = -EINVAL;
  }
  if (!err && !(fs->groups = vmalloc(fs->gdt_bytes))) err = -ENOMEM;
  if (!err && bdev_read(fs->bd, (u64)(s->first_data_block + 1) * fs->bs, fs->groups, fs->gdt_bytes) != (int)fs->gdt_bytes)
    err = -EIO;
  sb->priv = fs;
  if (!err) {
    struct inode *root;
    err = get_inode(sb, ROOT_INO, NULL, "", &root);
    if (!err && !S_ISDIR(root->mode)) err = -EINVAL;
    if (!err) {
      /* the mount's reference replaces the lookup's */
      root->refs--;
      sb->busy--;
      INFO(root)->next = NULL;
      fs->cache = root;
      sb->root = root;
    }
  }
  if (err) {
    if (err == -EINVAL) printk("ext2: %s is not an ext2 filesystem this driver can mount\n", source);
    vfree(fs->groups);
    bdev_put(fs->bd);
    kmfree(fs);
    return err;
  }
  s->mnt_count++;
  s->mtime = time_now();
  sb->sync = ext2_sync;
  sb->kill = ext2_kill;
  printk("ext2: %s mounted: %u blocks of %u bytes, %u inodes, %u groups\n", source, s->blocks_count, fs->bs,
         s->inodes_count, fs->ngroups);
  return 0;
}

static struct fs_type ext2_type = {.name = "ext2", .mount = ext2_mount};

static int ext2_init(void) {
  register_filesystem(&ext2_type, THIS_MODULE);
  return 0;
}

static void ext2_exit(void) { unregister_filesystem(&ext2_type); }

module_init(ext2_init);
module_exit(ext2_exit);
MODULE_NAME("ext2");
MODULE_DESCRIPTION("the second extended filesystem, read and write");
MODULE_LICENSE("MIT");
