/* ext2.ko, shared by its files: the on-disk structures, the mounted
 * filesystem, and what each file gives the others.
 *
 * The disk is not trusted: every field is checked before it is used (the
 * superblock and group descriptors at mount, an inode when it is read, a
 * block number when it is mapped, a directory record when it is walked).
 * Damage found after mount is reported with the inode it is in, and the
 * filesystem stops writing (Linux's errors=remount-ro); the call that
 * found it fails with EUCLEAN, Linux's EFSCORRUPTED. */
#ifndef EXT2_H
#define EXT2_H
#include "kernel.h"
#include "fs.h"
#include "block.h"

#define EXT2_MAGIC 0xEF53
#define ROOT_INO 2
#define GOOD_OLD_FIRST_INO 11
#define NDIR 12
#define IND 12
#define DIND 13
#define TIND 14
#define LINK_MAX 32000 /* as Linux's ext2: room below the 16-bit field */
#define STATE_ERRORS 0x0002
#define COMPAT_RESIZE_INODE 0x0010
#define INCOMPAT_FILETYPE 0x0002
#define INCOMPAT_SUPPORTED INCOMPAT_FILETYPE
#define RO_COMPAT_SPARSE_SUPER 0x0001
#define RO_COMPAT_LARGE_FILE 0x0002
#define RO_COMPAT_BTREE_DIR 0x0004
#define RO_COMPAT_SUPPORTED (RO_COMPAT_SPARSE_SUPER | RO_COMPAT_LARGE_FILE | RO_COMPAT_BTREE_DIR)
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
  u8 uuid[16];
  char volume_name[16], last_mounted[64];
  u32 algorithm_usage_bitmap;
  u8 prealloc_blocks, prealloc_dir_blocks;
  u16 reserved_gdt_blocks;
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

/* A mounted filesystem. Everything derived from the superblock here was
 * checked at mount, so the rest of the module may rely on it. */
struct fs {
  struct block_device *bd;
  struct super *vfs;          /* the VFS's side, told when we stop writing */
  char source[32];
  u8 super_bytes[1024];
  struct disk_super *sb;
  struct disk_group *groups;  /* each checked to lie inside its own group */
  u32 bs, per;                /* block size; block numbers per indirect block */
  u32 ngroups, gdt_bytes;
  u32 inode_size, first_ino;
  u32 itable_blocks;          /* inode table blocks per group */
  u32 super_blocks;           /* superblock, descriptors and their reserve, where a group has a copy */
  int filetype, sparse;
  int ro;                     /* damage found or features we cannot write: no more writes */
  struct inode *cache;        /* in-core inodes, linked through their info */
};

struct info {
  struct disk_inode d;
  struct inode *next;
};

#define FS(ip) ((struct fs *)(ip)->sb->priv)
#define INFO(ip) ((struct info *)(ip)->priv)

/* super.c */
int ext2_corrupt(struct fs *fs, u32 ino, const char *fmt, ...);

/* io.c */
int group_has_super(struct fs *fs, u32 g);
int data_block(struct fs *fs, u32 block);
int dev_read(struct fs *fs, u32 block, u32 off, void *buf, u32 len);
int meta_write(struct fs *fs, u32 block, u32 off, const void *buf, u32 len);
int data_write(struct fs *fs, u32 block, u32 off, const void *buf, u32 len);
int zero_range(struct fs *fs, u32 block, u32 off);

/* alloc.c */
int alloc_block(struct fs *fs, u32 near, u32 *block);
int free_block(struct fs *fs, u32 ino, u32 block);
int alloc_inode(struct fs *fs, u32 near, int dir, u32 *ino);
int free_inode(struct fs *fs, u32 ino, int dir);
int inode_in_use(struct fs *fs, u32 ino);

/* inode.c */
extern const struct inode_ops ext2_ops;
int get_inode(struct super *sb, u32 ino, struct inode *parent, const char *name, struct inode **out);
int new_inode(struct inode *dir, const char *name, u32 mode, u32 rdev, struct inode **out);
int write_inode(struct inode *ip);
int bmap(struct inode *ip, u32 n, int alloc, u32 *out);
int ext2_truncate(struct inode *ip, u32 size);
int ext2_read(struct inode *ip, void *buf, u32 off, u32 n, int user);
int ext2_write(struct inode *ip, const void *buf, u32 off, u32 n, int user);
void ext2_release(struct inode *ip);

/* dir.c */
int ext2_lookup(struct inode *dir, const char *name, struct inode **out);
int ext2_create(struct inode *dir, const char *name, u32 mode, u32 rdev, struct inode **out);
int ext2_unlink(struct inode *dir, const char *name);
int ext2_link(struct inode *dir, const char *name, struct inode *target);
int ext2_rename(struct inode *from_dir, const char *from, struct inode *to_dir, const char *to);
int ext2_readdir(struct inode *dir, u32 index, char *name, u32 *ino, u32 *mode);
#endif
