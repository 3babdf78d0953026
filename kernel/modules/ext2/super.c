/* ext2.ko: the second extended filesystem, revision 0 and 1, read and
 * write, on a block device, with blocks of 1, 2 or 4 KiB. This file
 * mounts it (the superblock and group descriptors checked before any use),
 * writes the superblock and descriptors back on sync and umount, and
 * handles damage found later: reported, and no more writes. Everything
 * goes through the block layer's cache. */
#include "kernel.h"
#include "module.h"
#include "ext2.h"

static int write_super(struct fs *fs) {
  fs->sb->wtime = time_now();
  if (bdev_write(fs->bd, 1024, fs->super_bytes, 1024) != 1024) return -EIO;
  u64 gdt = (u64)(fs->sb->first_data_block + 1) * fs->bs; /* inside group 0, as mount checked */
  return bdev_write(fs->bd, gdt, fs->groups, fs->gdt_bytes) == (int)fs->gdt_bytes ? 0 : -EIO;
}

/* Reports damage, in inode ino (0: in the filesystem's own structures),
 * and stops all writing, as Linux's errors=remount-ro: the superblock is
 * marked as having errors, what was written so far goes to the disk, and
 * from then on every write fails with EROFS. Returns -EUCLEAN (Linux's
 * EFSCORRUPTED) for the caller to pass up. */
int ext2_corrupt(struct fs *fs, u32 ino, const char *fmt, ...) {
  char what[128];
  va_list ap;
  va_start(ap, fmt);
  vsnprintk(what, sizeof what, fmt, ap);
  va_end(ap);
  if (ino) printk("ext2: inode %u: %s\n", ino, what);
  else printk("ext2: %s: %s\n", fs->source, what);
  if (!fs->ro) {
    fs->sb->state |= STATE_ERRORS;
    write_super(fs); /* its counts match the bitmaps written so far */
    bdev_sync(fs->bd);
    fs->ro = 1;
    fs->vfs->rdonly = 1;
    printk("ext2: %s: read-only from now on\n", fs->source);
  }
  return -EUCLEAN;
}

static int bad_super(struct fs *fs, const char *what, u32 value) {
  printk("ext2: %s: damaged superblock: %s %u\n", fs->source, what, value);
  return -EUCLEAN;
}

/* The superblock: ours to mount (-EINVAL if not), then its geometry
 * consistent with itself and the device (-EUCLEAN if not). Fills in what
 * the rest of the module derives from it. */
static int check_super(struct fs *fs) {
  struct disk_super *s = fs->sb;
  if (s->magic != EXT2_MAGIC) return -EINVAL;
  if (s->rev_level > 1 || s->log_block_size > 2) {
    printk("ext2: %s: revision %u, blocks of 2^%u KiB: not for this driver\n", fs->source, s->rev_level,
           s->log_block_size);
    return -EINVAL;
  }
  if (s->rev_level >= 1 && (s->feature_incompat & ~INCOMPAT_SUPPORTED)) {
    printk("ext2: %s has features this driver lacks (incompat %x)\n", fs->source, s->feature_incompat);
    return -EINVAL;
  }
  int rev1 = s->rev_level >= 1;
  fs->bs = 1024u << s->log_block_size;
  fs->per = fs->bs / 4;
  fs->inode_size = rev1 ? s->inode_size : 128;
  fs->first_ino = rev1 ? s->first_ino : GOOD_OLD_FIRST_INO;
  fs->filetype = rev1 && (s->feature_incompat & INCOMPAT_FILETYPE);
  fs->sparse = rev1 && (s->feature_ro_compat & RO_COMPAT_SPARSE_SUPER);
  u32 device_blocks = fs->bd->nsectors / (fs->bs / SECTOR);
  if (s->first_data_block != (fs->bs == 1024 ? 1u : 0u)) return bad_super(fs, "first data block", s->first_data_block);
  if (s->blocks_count <= s->first_data_block + 1 || s->blocks_count > device_blocks)
    return bad_super(fs, "block count (past the device?)", s->blocks_count);
  if (s->blocks_per_group < 8 || s->blocks_per_group > 8 * fs->bs)
    return bad_super(fs, "blocks per group", s->blocks_per_group);
  if (s->inodes_per_group == 0 || s->inodes_per_group > 8 * fs->bs)
    return bad_super(fs, "inodes per group", s->inodes_per_group);
  if (fs->inode_size < 128 || fs->inode_size > fs->bs || (fs->inode_size & (fs->inode_size - 1)))
    return bad_super(fs, "inode size", fs->inode_size);
  fs->ngroups = (s->blocks_count - s->first_data_block + s->blocks_per_group - 1) / s->blocks_per_group;
  if ((u64)fs->ngroups * s->inodes_per_group != s->inodes_count)
    return bad_super(fs, "inode count (not groups times inodes per group)", s->inodes_count);
  if (fs->first_ino < GOOD_OLD_FIRST_INO || fs->first_ino > s->inodes_count)
    return bad_super(fs, "first inode", fs->first_ino);
  if (s->free_blocks_count > s->blocks_count) return bad_super(fs, "free block count", s->free_blocks_count);
  if (s->free_inodes_count > s->inodes_count) return bad_super(fs, "free inode count", s->free_inodes_count);
  u32 reserved = rev1 && (s->feature_compat & COMPAT_RESIZE_INODE) ? s->reserved_gdt_blocks : 0;
  if (reserved > fs->per) return bad_super(fs, "reserved descriptor blocks", reserved);
  fs->gdt_bytes = fs->ngroups * sizeof(struct disk_group);
  fs->super_blocks = 1 + (fs->gdt_bytes + fs->bs - 1) / fs->bs + reserved;
  fs->itable_blocks = (s->inodes_per_group * fs->inode_size + fs->bs - 1) / fs->bs;
  return 0;
}

static int bad_group(struct fs *fs, u32 g, const char *what, u32 value) {
  printk("ext2: %s: damaged group descriptor %u: %s %u\n", fs->source, g, what, value);
  return -EUCLEAN;
}

/* Each group's bitmaps and inode table inside the group, clear of its
 * superblock copy and of each other; its counts within its size. */
static int check_groups(struct fs *fs) {
  struct disk_super *s = fs->sb;
  for (u32 g = 0; g < fs->ngroups; g++) {
    struct disk_group *gd = &fs->groups[g];
    u32 start = s->first_data_block + g * s->blocks_per_group;
    u32 end = s->blocks_count - start < s->blocks_per_group ? s->blocks_count : start + s->blocks_per_group;
    u32 first = start + (group_has_super(fs, g) ? fs->super_blocks : 0);
    u32 table = gd->inode_table;
    if (first > end) return bad_group(fs, g, "group too small for its superblock copy, blocks", end - start);
    if (gd->block_bitmap < first || gd->block_bitmap >= end) return bad_group(fs, g, "block bitmap at", gd->block_bitmap);
    if (gd->inode_bitmap < first || gd->inode_bitmap >= end) return bad_group(fs, g, "inode bitmap at", gd->inode_bitmap);
    if (table < first || table > end || end - table < fs->itable_blocks) return bad_group(fs, g, "inode table at", table);
    if (gd->block_bitmap == gd->inode_bitmap) return bad_group(fs, g, "both bitmaps at", gd->block_bitmap);
    if (gd->block_bitmap - table < fs->itable_blocks) return bad_group(fs, g, "block bitmap inside the inode table at", gd->block_bitmap);
    if (gd->inode_bitmap - table < fs->itable_blocks) return bad_group(fs, g, "inode bitmap inside the inode table at", gd->inode_bitmap);
    if (gd->free_blocks_count > end - start) return bad_group(fs, g, "free block count", gd->free_blocks_count);
    if (gd->free_inodes_count > s->inodes_per_group) return bad_group(fs, g, "free inode count", gd->free_inodes_count);
    if (gd->used_dirs_count > s->inodes_per_group) return bad_group(fs, g, "directory count", gd->used_dirs_count);
  }
  return 0;
}

static int ext2_sync(struct super *sb) {
  struct fs *fs = sb->priv;
  return fs->ro ? 0 : write_super(fs);
}

static void free_fs(struct fs *fs) {
  vfree(fs->groups);
  bdev_put(fs->bd);
  kmfree(fs);
}

static void ext2_kill(struct super *sb) {
  struct fs *fs = sb->priv;
  if (!fs->ro) write_super(fs);
  kmfree(sb->root->priv);
  kmfree(sb->root);
  free_fs(fs);
}

/* Reads and checks the superblock, the descriptors and the root; on
 * success the filesystem is ready to use, writes still off. */
static int load(struct fs *fs, struct super *sb) {
  if (bdev_read(fs->bd, 1024, fs->super_bytes, 1024) != 1024) return -EIO;
  int err = check_super(fs);
  if (err) return err;
  if (!(fs->groups = vmalloc(fs->gdt_bytes))) return -ENOMEM;
  if (bdev_read(fs->bd, (u64)(fs->sb->first_data_block + 1) * fs->bs, fs->groups, fs->gdt_bytes) != (int)fs->gdt_bytes)
    return -EIO;
  if ((err = check_groups(fs))) return err;
  struct inode *root;
  if ((err = get_inode(sb, ROOT_INO, NULL, "", &root))) return err;
  if (!S_ISDIR(root->mode)) {
    printk("ext2: %s: the root is not a directory\n", fs->source);
    iput(root);
    return -EUCLEAN;
  }
  /* the mount's reference replaces the lookup's */
  root->refs--;
  sb->busy--;
  INFO(root)->next = NULL;
  fs->cache = root;
  sb->root = root;
  return 0;
}

static int ext2_mount(const char *source, struct super *sb) {
  struct fs *fs = kzalloc(sizeof *fs);
  if (!fs) return -ENOMEM;
  int err = bdev_get(source, &fs->bd);
  if (err) { kmfree(fs); return err; }
  strncpy_safe(fs->source, source, sizeof fs->source);
  fs->sb = (struct disk_super *)fs->super_bytes;
  fs->vfs = sb;
  fs->ro = 1; /* nothing is written while mounting, damaged or not */
  sb->priv = fs;
  if ((err = load(fs, sb))) {
    if (err == -EINVAL) printk("ext2: %s is not an ext2 filesystem this driver can mount\n", source);
    free_fs(fs);
    return err;
  }
  struct disk_super *s = fs->sb;
  fs->ro = 0;
  if (s->rev_level >= 1 && (s->feature_ro_compat & ~RO_COMPAT_SUPPORTED)) {
    printk("ext2: %s: read-only: features this driver cannot write (ro_compat %x)\n", source, s->feature_ro_compat);
    fs->ro = sb->rdonly = 1;
  }
  if (s->state & STATE_ERRORS) printk("ext2: %s: mounting a filesystem with errors; e2fsck is advised\n", source);
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
