/* ext2's bitmaps: blocks and inodes taken and given back, the free counts
 * of the groups and of the superblock kept in step. A bitmap that offers
 * a metadata block or an inode in use, or one that frees what is free
 * already, is damage. */
#include "ext2.h"

/* Finds a clear bit among the first nbits of a bitmap block and sets it;
 * -ENOSPC when there is none. */
static int take_bit(struct fs *fs, u32 bitmap, u32 nbits, u32 *bit) {
  for (u32 i = 0; i < nbits; i += 8) {
    u8 byte;
    int err = dev_read(fs, bitmap, i / 8, &byte, 1);
    if (err) return err;
    for (u32 k = 0; k < 8 && i + k < nbits; k++) {
      if (byte & (1 << k)) continue;
      byte |= (u8)(1 << k);
      if ((err = meta_write(fs, bitmap, i / 8, &byte, 1))) return err;
      *bit = i + k;
      return 0;
    }
  }
  return -ENOSPC;
}

/* Clears a bit; 1 when it was clear already. */
static int clear_bit(struct fs *fs, u32 bitmap, u32 bit) {
  u8 byte;
  int err = dev_read(fs, bitmap, bit / 8, &byte, 1);
  if (err) return err;
  if (!(byte & (1 << (bit % 8)))) return 1;
  byte &= (u8)~(1 << (bit % 8));
  return meta_write(fs, bitmap, bit / 8, &byte, 1);
}

static u32 group_blocks(struct fs *fs, u32 g) {
  u32 left = fs->sb->blocks_count - fs->sb->first_data_block - g * fs->sb->blocks_per_group;
  return left < fs->sb->blocks_per_group ? left : fs->sb->blocks_per_group;
}

/* A free block, zeroed, preferably in group near. */
int alloc_block(struct fs *fs, u32 near, u32 *out) {
  if (fs->ro) return -EROFS;
  if (fs->sb->free_blocks_count == 0) return -ENOSPC;
  for (u32 k = 0; k < fs->ngroups; k++) {
    u32 g = (near + k) % fs->ngroups, bit;
    struct disk_group *gd = &fs->groups[g];
    if (!gd->free_blocks_count) continue;
    int err = take_bit(fs, gd->block_bitmap, group_blocks(fs, g), &bit);
    if (err == -ENOSPC) continue;
    if (err) return err;
    /* counted before the check: the bit is set either way */
    gd->free_blocks_count--;
    fs->sb->free_blocks_count--;
    u32 block = fs->sb->first_data_block + g * fs->sb->blocks_per_group + bit;
    if (!data_block(fs, block)) return ext2_corrupt(fs, 0, "group %u: the block bitmap has metadata block %u free", g, block);
    *out = block;
    return zero_range(fs, block, 0);
  }
  return -ENOSPC;
}

/* Gives back a block of inode ino (named in the report of damage). */
int free_block(struct fs *fs, u32 ino, u32 block) {
  if (fs->ro) return -EROFS;
  if (!data_block(fs, block)) return ext2_corrupt(fs, ino, "freeing metadata block %u", block);
  u32 g = (block - fs->sb->first_data_block) / fs->sb->blocks_per_group;
  struct disk_group *gd = &fs->groups[g];
  int err = clear_bit(fs, gd->block_bitmap, (block - fs->sb->first_data_block) % fs->sb->blocks_per_group);
  if (err == 1) return ext2_corrupt(fs, ino, "block %u is free already", block);
  if (err) return err;
  if (gd->free_blocks_count < group_blocks(fs, g)) gd->free_blocks_count++;
  if (fs->sb->free_blocks_count < fs->sb->blocks_count) fs->sb->free_blocks_count++;
  return 0;
}

int alloc_inode(struct fs *fs, u32 near, int dir, u32 *ino) {
  if (fs->ro) return -EROFS;
  if (fs->sb->free_inodes_count == 0) return -ENOSPC;
  for (u32 k = 0; k < fs->ngroups; k++) {
    u32 g = (near + k) % fs->ngroups, bit;
    struct disk_group *gd = &fs->groups[g];
    if (!gd->free_inodes_count) continue;
    int err = take_bit(fs, gd->inode_bitmap, fs->sb->inodes_per_group, &bit);
    if (err == -ENOSPC) continue;
    if (err) return err;
    gd->free_inodes_count--;
    fs->sb->free_inodes_count--;
    u32 n = g * fs->sb->inodes_per_group + bit + 1;
    if (n < fs->first_ino) return ext2_corrupt(fs, 0, "group %u: the inode bitmap has reserved inode %u free", g, n);
    for (struct inode *ip = fs->cache; ip; ip = INFO(ip)->next)
      if (ip->ino == n) return ext2_corrupt(fs, n, "in use, but free in the inode bitmap");
    if (dir && gd->used_dirs_count < fs->sb->inodes_per_group) gd->used_dirs_count++;
    *ino = n;
    return 0;
  }
  return -ENOSPC;
}

int free_inode(struct fs *fs, u32 ino, int dir) {
  if (fs->ro) return -EROFS;
  u32 g = (ino - 1) / fs->sb->inodes_per_group;
  struct disk_group *gd = &fs->groups[g];
  int err = clear_bit(fs, gd->inode_bitmap, (ino - 1) % fs->sb->inodes_per_group);
  if (err == 1) return ext2_corrupt(fs, ino, "free already in the inode bitmap");
  if (err) return err;
  if (gd->free_inodes_count < fs->sb->inodes_per_group) gd->free_inodes_count++;
  if (fs->sb->free_inodes_count < fs->sb->inodes_count) fs->sb->free_inodes_count++;
  if (dir && gd->used_dirs_count) gd->used_dirs_count--;
  return 0;
}

/* 1 when ino's bit is set in its group's inode bitmap, 0 when clear. The
 * caller has checked ino against the inode count. */
int inode_in_use(struct fs *fs, u32 ino) {
  u32 g = (ino - 1) / fs->sb->inodes_per_group, bit = (ino - 1) % fs->sb->inodes_per_group;
  u8 byte;
  int err = dev_read(fs, fs->groups[g].inode_bitmap, bit / 8, &byte, 1);
  return err ? err : (byte >> (bit % 8)) & 1;
}
