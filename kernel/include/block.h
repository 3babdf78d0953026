/* Block devices: disks that drivers register, their MBR partitions, and
 * the sector cache every read and write goes through (write-back: dirty
 * sectors reach the disk on sync, on eviction and when the disk goes). */
#ifndef BLOCK_H
#define BLOCK_H
#include "types.h"

#define SECTOR 512
#define BLOCK_MAJOR 3

struct block_device {
  char name[16];              /* "hda", "hda1" */
  u32 nsectors;
  u32 start;                  /* a partition's first sector on its disk */
  struct block_device *disk;  /* the whole disk (itself for a disk) */
  /* Moves count sectors at lba between the disk and buf (the driver's part). */
  int (*transfer)(struct block_device *disk, u32 lba, u32 count, void *buf, int write);
  int (*flush)(struct block_device *disk);
  struct module *owner;       /* the driver's, from register_disk */
  u32 rdev;
  int users;                  /* open files and mounts */
  int mounted;                /* held by a filesystem (bdev_get) */
  void *priv;
};

int register_disk(struct block_device *disk, struct module *owner);
int unregister_disk(struct block_device *disk);
void unregister_disks(struct module *owner); /* for the module loader: all owner registered */
struct block_device *bdev_by_rdev(u32 rdev);
int bdev_get(const char *path, struct block_device **out);
void bdev_put(struct block_device *bd);
int bdev_sync(struct block_device *bd);
/* Bytes at off within the device (partition-relative), through the cache. */
int bdev_read(struct block_device *bd, u64 off, void *buf, u32 len);
int bdev_write(struct block_device *bd, u64 off, const void *buf, u32 len);
int block_sync(void);
void block_init(void);
#endif
