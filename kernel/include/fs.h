/* The virtual filesystem: inodes, open files, mounts, and the operations a
 * filesystem or a device driver provides. */
#ifndef FS_H
#define FS_H
#include "types.h"

#define NAME_MAX 59
#define PATH_MAX 256
#define NOFILE 32

#include "uapi/file_abi.h"


#define MKDEV(major, minor) (((major) << 8) | (minor))
#define MAJOR(dev) ((dev) >> 8)
#define MINOR(dev) ((dev) & 0xff)

struct inode;
struct file;
struct super;
struct module;

struct inode_ops {
  /* Sets *out to the child called name, with a reference. */
  int (*lookup)(struct inode *dir, const char *name, struct inode **out);
  int (*create)(struct inode *dir, const char *name, u32 mode, u32 rdev, struct inode **out);
  int (*unlink)(struct inode *dir, const char *name); /* files and empty directories */
  int (*rename)(struct inode *from_dir, const char *from, struct inode *to_dir, const char *to);
  int (*link)(struct inode *dir, const char *name, struct inode *target); /* a second name */
  /* The index-th entry: 0 with its name, inode number and mode; 1 past the
   * end; a negative error (a damaged directory). */
  int (*readdir)(struct inode *dir, u32 index, char *name, u32 *ino, u32 *mode);
  int (*truncate)(struct inode *ip, u32 size);
  /* Reads or writes file bytes; buf is a user address when user is set. */
  int (*read)(struct inode *ip, void *buf, u32 off, u32 n, int user);
  int (*write)(struct inode *ip, const void *buf, u32 off, u32 n, int user);
  void (*release)(struct inode *ip); /* the last reference went */
};

struct file_ops {
  int (*open)(struct file *f);
  int (*read)(struct file *f, void *buf, u32 n, int user);
  int (*write)(struct file *f, const void *buf, u32 n, int user);
  int (*ioctl)(struct file *f, u32 cmd, u32 arg);
  void (*close)(struct file *f);
};

struct inode {
  u32 ino, mode, nlink, size, mtime, rdev;
  u32 uid, gid;               /* the owner, for the permission bits */
  int refs;                   /* open files, working directories, lookups */
  struct super *sb;
  const struct inode_ops *ops;
  struct inode *mounted;      /* the root of a filesystem mounted here */
  struct inode *parent;       /* for "..": the directory holding this one */
  char name[NAME_MAX + 1];
  void *priv;                 /* the filesystem's own */
  struct inode *release_next; /* queued for release by iput */
};

struct fs_type {
  const char *name;
  struct module *owner;       /* set by register_filesystem; NULL built in */
  /* A new filesystem from a source (a device path, or ignored). */
  int (*mount)(const char *source, struct super *sb);
  struct fs_type *next;
};

struct super {
  struct fs_type *type;
  struct inode *root;
  struct inode *covered;      /* the directory it is mounted on */
  char source[32], path[64];
  int busy;                   /* references held on its inodes, but the mount's own */
  int rdonly;                 /* set by the filesystem when it stops writing */
  u32 next_ino;
  int (*sync)(struct super *sb);
  void (*kill)(struct super *sb); /* frees the filesystem at umount */
  void *priv;
};

struct file {
  int refs;
  u32 flags;
  u32 off;
  struct inode *ip;           /* NULL for pipes */
  const struct file_ops *ops;
  struct module *owner;       /* the driver's module, held while open */
  void *priv;
};

/* vfs.c */
void vfs_init(void);
void register_filesystem(struct fs_type *t, struct module *owner);
struct inode *iget(struct inode *ip);
void iput(struct inode *ip);
struct inode *inode_new(struct super *sb, u32 mode);
int namei(const char *path, struct inode **out);
int namei_parent(const char *path, struct inode **dir, char *name);
int vfs_mount(const char *source, const char *target, const char *type);
int vfs_umount(const char *target);
int vfs_sync(void);
int mounts_text(char *buf, u32 size);
int inode_path(struct inode *ip, char *buf, u32 size);
struct inode *root_inode(void);
int vfs_open(const char *path, u32 flags, u32 mode, struct file **out);
struct file *file_alloc(void);
struct file *file_dup(struct file *f);
void file_close(struct file *f);
int file_read(struct file *f, void *buf, u32 n, int user);
int file_write(struct file *f, const void *buf, u32 n, int user);
int copy_out(int user, void *dst, const void *src, u32 n);
int copy_in(int user, void *dst, const void *src, u32 n);

/* Character devices, by major number. */
int register_chrdev(u32 major, const struct file_ops *ops, struct module *owner);
void unregister_chrdev(u32 major);
void unregister_filesystem(struct fs_type *t);
/* For the module loader: what owner left registered goes. */
void unregister_chrdevs(struct module *owner);
void unregister_filesystems(struct module *owner);
void devfs_remove_all(struct module *owner);
const struct file_ops *chrdev_ops(u32 rdev);

/* ramfs.c, devfs.c, procfs.c, pipe.c */
void ramfs_init(void);
int ramfs_unpack_cpio(const u8 *archive, u32 size);
void devfs_init(void);
int devfs_add(const char *name, u32 mode, u32 rdev, struct module *owner);
int devfs_remove(const char *name);
void procfs_init(void);
int pipe_new(struct file **rf, struct file **wf);
extern const struct file_ops blockdev_ops;
extern const struct inode_ops ramfs_ops;
int ramfs_fill_super(struct super *sb);
#endif
