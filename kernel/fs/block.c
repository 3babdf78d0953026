/* The block layer: registered disks and their MBR partitions as /dev
 * nodes, and a write-back cache of 512-byte sectors in LRU order. */
#include "kernel.h"
#include "module.h"
#include "block.h"
#include "fs.h"
#include "memlayout.h"

#define NDEV 16
#define NBUF 1024 /* 512 KiB of cached sectors */
#define NHASH 256

struct buf {
  struct block_device *disk;
  u32 lba;
  int valid, dirty;
  u8 *data;
  struct buf *hash_next, *lru_prev, *lru_next;
};

static struct block_device *devs[NDEV];
static struct buf bufs[NBUF];
static struct buf *hash[NHASH];
static struct buf lru; /* lru.lru_next is the most recently used */

static u32 hash_of(struct block_device *disk, u32 lba) { return (lba ^ ((u32)disk >> 4)) % NHASH; }

static void lru_unlink(struct buf *b) {
  b->lru_prev->lru_next = b->lru_next;
  b->lru_next->lru_prev = b->lru_prev;
}

static void lru_front(struct buf *b) {
  b->lru_next = lru.lru_next;
  b->lru_prev = &lru;
  lru.lru_next->lru_prev = b;
  lru.lru_next = b;
}

static void hash_remove(struct buf *b) {
  if (!b->disk) return;
  struct buf **link = &hash[hash_of(b->disk, b->lba)];
  while (*link && *link != b) link = &(*link)->hash_next;
  if (*link) *link = b->hash_next;
  b->disk = NULL;
}

static int write_back(struct buf *b) {
  if (!b->dirty) return 0;
  int err = b->disk->transfer(b->disk, b->lba, 1, b->data, 1);
  if (err == 0) b->dirty = 0;
  return err;
}

/* The cached sector lba of disk, read from the disk unless fill is 0. */
static int get_sector(struct block_device *disk, u32 lba, int fill, struct buf **out) {
  struct buf *b = hash[hash_of(disk, lba)];
  while (b && !(b->disk == disk && b->lba == lba)) b = b->hash_next;
  if (!b) {
    b = lru.lru_prev; /* the least recently used */
    int err = b->disk ? write_back(b) : 0;
    if (err) return err;
    hash_remove(b);
    b->disk = disk;
    b->lba = lba;
    b->valid = 0;
    b->hash_next = hash[hash_of(disk, lba)];
    hash[hash_of(disk, lba)] = b;
  }
  lru_unlink(b);
  lru_front(b);
  if (!b->valid && fill) {
    int err = disk->transfer(disk, lba, 1, b->data, 0);
    if (err) { hash_remove(b); return err; }
    b->valid = 1;
  }
  *out = b;
  return 0;
}

static int rw(struct block_device *bd, u64 off, u8 *buf, u32 len, int write) {
  u64 size = (u64)bd->nsectors * SECTOR;
  if (off >= size) return 0;
  if (len > size - off) len = (u32)(size - off);
  u32 done = 0;
  while (done < len) {
    u32 lba = (u32)((off + done) / SECTOR), in = (u32)((off + done) % SECTOR);
    u32 chunk = SECTOR - in < len - done ? SECTOR - in : len - done;
    struct buf *b;
    int err = get_sector(bd->disk, bd->start + lba, !(write && chunk == SECTOR), &b);
    if (err) return done ? (int)done : err;
    if (write) {
      memcpy(b->data + in, buf + done, chunk);
      b->valid = b->dirty = 1;
    } else {
      memcpy(buf + done, b->data + in, chunk);
    }
    done += chunk;
  }
  return (int)done;
}

int bdev_read(struct block_device *bd, u64 off, void *buf, u32 len) { return rw(bd, off, buf, len, 0); }
int bdev_write(struct block_device *bd, u64 off, const void *buf, u32 len) { return rw(bd, off, (u8 *)buf, len, 1); }

static int sync_disk(struct block_device *disk) {
  int err = 0;
  for (struct buf *b = bufs; b < &bufs[NBUF]; b++)
    if (b->disk == disk && b->dirty) {
      int e = write_back(b);
      if (e) err = e;
    }
  if (disk->flush) {
    int e = disk->flush(disk);
    if (e) err = e;
  }
  return err;
}

int block_sync(void) {
  int err = 0;
  for (int i = 0; i < NDEV; i++)
    if (devs[i] && devs[i]->disk == devs[i]) {
      int e = sync_disk(devs[i]);
      if (e) err = e;
    }
  return err;
}

struct block_device *bdev_by_rdev(u32 rdev) {
  for (int i = 0; i < NDEV; i++)
    if (devs[i] && devs[i]->rdev == rdev) return devs[i];
  return NULL;
}

static int add_dev(struct block_device *bd) {
  for (int i = 0; i < NDEV; i++)
    if (!devs[i]) {
      /* the block layer removes these nodes itself (unregister_disk) */
      int err = devfs_add(bd->name, S_IFBLK | 0660, bd->rdev, NULL);
      if (!err) devs[i] = bd;
      return err;
    }
  return -ENOSPC;
}

/* Partitions from the MBR: up to four primary entries, as NAME1..NAME4. */
static void read_partitions(struct block_device *disk) {
  u8 mbr[SECTOR];
  if (bdev_read(disk, 0, mbr, SECTOR) != SECTOR || mbr[510] != 0x55 || mbr[511] != 0xAA) return;
  for (int i = 0; i < 4; i++) {
    const u8 *e = mbr + 446 + 16 * i;
    u32 start = e[8] | e[9] << 8 | e[10] << 16 | (u32)e[11] << 24;
    u32 count = e[12] | e[13] << 8 | e[14] << 16 | (u32)e[15] << 24;
    if (e[4] == 0 || count == 0) continue;
    if (start >= disk->nsectors || count > disk->nsectors - start) {
      printk("%s: partition %d lies outside the disk; ignored\n", disk->name, i + 1);
      continue;
    }
    struct block_device *p = kzalloc(sizeof *p);
    if (!p) return;
    snprintk(p->name, sizeof p->name, "%s%d", disk->name, i + 1);
    p->nsectors = count;
    p->start = start;
    p->disk = disk;
    p->transfer = disk->transfer;
    p->owner = disk->owner;
    p->rdev = disk->rdev + 1 + (u32)i;
    if (add_dev(p) < 0) { kmfree(p); return; }
    printk("%s: sectors %u-%u, type %x\n", p->name, start, start + count - 1, e[4]);
  }
}

/* A driver's disk: its node in /dev and its partitions'. The driver sets
 * name, nsectors, transfer, flush and rdev (minor a multiple of 16). */
int register_disk(struct block_device *disk, struct module *owner) {
  disk->disk = disk;
  disk->start = 0;
  disk->owner = owner;
  int err = add_dev(disk);
  if (err < 0) return err;
  printk("%s: %u sectors (%u MiB)\n", disk->name, disk->nsectors, disk->nsectors / 2048);
  read_partitions(disk);
  return 0;
}

/* Writes the disk's dirty sectors, drops them, removes it and its
 * partitions; -EBUSY while any is open or mounted. */
int unregister_disk(struct block_device *disk) {
  for (int i = 0; i < NDEV; i++)
    if (devs[i] && devs[i]->disk == disk && devs[i]->users) return -EBUSY;
  sync_disk(disk);
  for (struct buf *b = bufs; b < &bufs[NBUF]; b++)
    if (b->disk == disk) hash_remove(b);
  for (int i = 0; i < NDEV; i++) {
    struct block_device *bd = devs[i];
    if (!bd || bd->disk != disk) continue;
    devfs_remove(bd->name);
    devs[i] = NULL;
    if (bd != disk) kmfree(bd);
  }
  return 0;
}

/* The disks a module leaves registered (its transfer function is about
 * to be freed). One still open or mounted holds the module, which then
 * is not freed. */
void unregister_disks(struct module *owner) {
  for (int i = 0; i < NDEV; i++) {
    struct block_device *bd = devs[i];
    if (!bd || bd->disk != bd || bd->owner != owner) continue;
    printk("%s: left disk %s registered; removed\n", owner->name, bd->name);
    unregister_disk(bd);
  }
}

/* Whether a mounted device shares sectors with bd: itself, or the whole
 * disk and a partition of it. */
static int overlaps_mounted(struct block_device *bd) {
  for (int i = 0; i < NDEV; i++) {
    struct block_device *o = devs[i];
    if (o && o->mounted && o->disk == bd->disk && o->start < bd->start + bd->nsectors && bd->start < o->start + o->nsectors)
      return 1;
  }
  return 0;
}

/* The block device a path names, held until bdev_put, for a mount:
 * -EBUSY while it or a device overlapping it is mounted already, since
 * two filesystems each keeping their own free counts of the same blocks
 * would give the same block out twice. */
int bdev_get(const char *path, struct block_device **out) {
  struct inode *ip;
  int err = namei(path, &ip);
  if (err < 0) return err;
  struct block_device *bd = (ip->mode & S_IFMT) == S_IFBLK ? bdev_by_rdev(ip->rdev) : NULL;
  iput(ip);
  if (!bd) return (ip->mode & S_IFMT) == S_IFBLK ? -ENXIO : -ENOTBLK;
  if (overlaps_mounted(bd)) return -EBUSY;
  bd->mounted = 1;
  bd->users++;
  module_get(bd->owner);
  *out = bd;
  return 0;
}

void bdev_put(struct block_device *bd) {
  bd->mounted = 0;
  bd->users--;
  module_put(bd->owner);
}

/* Writes the cached sectors of bd's disk now, for a filesystem that needs
 * what it wrote so far on the disk before it goes on. */
int bdev_sync(struct block_device *bd) { return sync_disk(bd->disk); }

/* /dev/hda and the like opened as files: bytes at the file offset. */
static int blk_open(struct file *f) {
  struct block_device *bd = bdev_by_rdev(f->ip->rdev);
  if (!bd) return -ENXIO;
  f->priv = bd;
  bd->users++;
  f->owner = bd->owner;
  module_get(bd->owner);
  return 0;
}

static int blk_read(struct file *f, void *buf, u32 n, int user) {
  u8 chunk[SECTOR];
  u32 done = 0;
  while (done < n) {
    u32 k = n - done < SECTOR ? n - done : SECTOR;
    int r = bdev_read(f->priv, f->off, chunk, k);
    if (r <= 0) return done ? (int)done : r;
    if (copy_out(user, (u8 *)buf + done, chunk, (u32)r) < 0) return done ? (int)done : -EFAULT;
    f->off += (u32)r;
    done += (u32)r;
    if ((u32)r < k) break;
  }
  return (int)done;
}

static int blk_write(struct file *f, const void *buf, u32 n, int user) {
  u8 chunk[SECTOR];
  u32 done = 0;
  while (done < n) {
    u32 k = n - done < SECTOR ? n - done : SECTOR;
    if (copy_in(user, chunk, (const u8 *)buf + done, k) < 0) return done ? (int)done : -EFAULT;
    int r = bdev_write(f->priv, f->off, chunk, k);
    if (r <= 0) return done ? (int)done : (r ? r : -ENOSPC);
    f->off += (u32)r;
    done += (u32)r;
  }
  return (int)done;
}

static void blk_close(struct file *f) {
  struct block_device *bd = f->priv;
  if (bd) bd->users--;
}

const struct file_ops blockdev_ops = {.open = blk_open, .read = blk_read, .write = blk_write, .close = blk_close};

void block_init(void) {
  lru.lru_next = lru.lru_prev = &lru;
  for (int i = 0; i < NBUF; i++) {
    if (i % (PGSIZE / SECTOR) == 0) {
      u8 *page = kalloc();
      if (!page) panic("block: no memory for the cache");
      for (int k = 0; k < PGSIZE / SECTOR && i + k < NBUF; k++) bufs[i + k].data = page + k * SECTOR;
    }
    lru_front(&bufs[i]);
  }
}

EXPORT_SYMBOL(register_disk);
EXPORT_SYMBOL(unregister_disk);
EXPORT_SYMBOL(bdev_get);
EXPORT_SYMBOL(bdev_put);
EXPORT_SYMBOL(bdev_sync);
EXPORT_SYMBOL(bdev_read);
EXPORT_SYMBOL(bdev_write);
