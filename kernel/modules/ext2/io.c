/* ext2's block I/O and where its metadata lies. Every read and write of
 * the filesystem's blocks comes through here and stays inside one block
 * of the filesystem; a write of file or directory data must also miss
 * the metadata, and nothing is written once the filesystem is read-only. */
#include "ext2.h"

/* With sparse_super, only groups 0, 1 and the powers of 3, 5 and 7 keep a
 * copy of the superblock and the descriptors. */
int group_has_super(struct fs *fs, u32 g) {
  if (!fs->sparse || g <= 1) return 1;
  for (u32 p = 3; p <= 7; p += 2) {
    u32 x = p;
    while (x < g) x *= p; /* g < 2^32 / 7: no overflow before x passes g */
    if (x == g) return 1;
  }
  return 0;
}

/* Whether block may hold file data or directory records: inside the
 * filesystem and none of the metadata that mount checked lies in its group. */
int data_block(struct fs *fs, u32 block) {
  struct disk_super *s = fs->sb;
  if (block < s->first_data_block || block >= s->blocks_count) return 0;
  u32 g = (block - s->first_data_block) / s->blocks_per_group;
  u32 in = (block - s->first_data_block) % s->blocks_per_group;
  struct disk_group *gd = &fs->groups[g];
  if (group_has_super(fs, g) && in < fs->super_blocks) return 0;
  if (block == gd->block_bitmap || block == gd->inode_bitmap) return 0;
  return block < gd->inode_table || block - gd->inode_table >= fs->itable_blocks;
}

static int inside(struct fs *fs, u32 block, u32 off, u32 len) {
  return block < fs->sb->blocks_count && off <= fs->bs && len <= fs->bs - off;
}

int dev_read(struct fs *fs, u32 block, u32 off, void *buf, u32 len) {
  if (!inside(fs, block, off, len)) return -EIO;
  return bdev_read(fs->bd, (u64)block * fs->bs + off, buf, len) == (int)len ? 0 : -EIO;
}

/* Bitmaps and inode tables: their blocks were checked at mount. */
int meta_write(struct fs *fs, u32 block, u32 off, const void *buf, u32 len) {
  if (fs->ro) return -EROFS;
  if (!inside(fs, block, off, len)) return -EIO;
  return bdev_write(fs->bd, (u64)block * fs->bs + off, buf, len) == (int)len ? 0 : -EIO;
}

/* Blocks a file maps: bmap checked them already; this is the last guard
 * between a wrong block number and the inode tables. */
int data_write(struct fs *fs, u32 block, u32 off, const void *buf, u32 len) {
  if (fs->ro) return -EROFS;
  if (!data_block(fs, block)) return ext2_corrupt(fs, 0, "write to metadata block %u refused", block);
  return meta_write(fs, block, off, buf, len);
}

/* Zeros a data block from off to its end. */
int zero_range(struct fs *fs, u32 block, u32 off) {
  static const u8 zeros[512];
  while (off < fs->bs) {
    u32 n = fs->bs - off < sizeof zeros ? fs->bs - off : sizeof zeros;
    int err = data_write(fs, block, off, zeros, n);
    if (err) return err;
    off += n;
  }
  return 0;
}
