/* The virtual filesystem: inodes, open files, mounts, and the operations a
 * filesystem or a device driver provides. */
#ifndef FS_H
#define FS_H
#include "types.h"

#define NAME_MAX 59
#define PATH_MAX 256
#define NOFILE 64 /* descriptors a process may have: close-on-exec is a u64 mask */

#include "uapi/file_abi.h"


#define MKDEV(major, minor) (((major) << 8) | (minor))
#define MAJOR(dev) ((dev) >> 8)
#define MINOR(dev) ((dev) & 0xff)

struct inode;
struct pipe;
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
  /* Optional: a symbolic link to target (len bytes); without it, the link
   * is made with create and its target written as its data. */
  int (*symlink)(struct inode *dir, const char *name, const char *target, u32 len);
  /* The index-th entry: 0 with its name, inode number and mode; 1 past the
   * end; a negative error (a damaged directory). */
  int (*readdir)(struct inode *dir, u32 index, char *name, u32 *ino, u32 *mode);
  int (*truncate)(struct inode *ip, u32 size);
  /* Optional: a symbolic link's target (without them, a link's data is
   * its target), or a "magic" link's inode (/proc/self/exe; follow
   * returns 1 for a link that is an ordinary one). */
  int (*readlink)(struct inode *ip, char *buf, u32 size, int user);
  int (*follow)(struct inode *ip, struct inode **out);
  /* Optional: the inode's mode, owner and times changed (chmod, chown,
   * utimensat) are to be written back; the VFS has set them in memory. */
  int (*setattr)(struct inode *ip);
  /* Reads or writes file bytes; buf is a user address when user is set. */
  int (*read)(struct inode *ip, void *buf, u32 off, u32 n, int user);
  int (*write)(struct inode *ip, const void *buf, u32 off, u32 n, int user);
  void (*release)(struct inode *ip); /* the last reference went */
};

/* poll's events (<poll.h>) */
#define POLLIN 0x001
#define POLLPRI 0x002
#define POLLOUT 0x004
#define POLLERR 0x008
#define POLLHUP 0x010
#define POLLNVAL 0x020

struct file_ops {
  int (*open)(struct file *f);
  /* Optional: which of POLLIN, POLLOUT, POLLHUP hold now (without it a
   * file is always ready both ways). */
  u32 (*poll)(struct file *f);
  int (*read)(struct file *f, void *buf, u32 n, int user);
  int (*write)(struct file *f, const void *buf, u32 n, int user);
  int (*ioctl)(struct file *f, u32 cmd, u32 arg);
  void (*close)(struct file *f);
};

struct inode {
  u32 ino, mode, nlink, size, mtime, rdev;
  u32 atime, ctime;           /* kept in memory (atime, ctime, mtime as stat shows them) */
  u32 uid, gid;               /* the owner, for the permission bits */
  int refs;                   /* open files, working directories, lookups */
  struct super *sb;
  const struct inode_ops *ops;
  struct inode *mounted;      /* the root of a filesystem mounted here */
  struct inode *parent;       /* for "..": the directory holding this one */
  char name[NAME_MAX + 1];
  void *priv;                 /* the filesystem's own */
  struct inode *release_next; /* queued for release by iput */
  struct pipe *fifo;          /* a FIFO's pipe while it is open */
};

struct fs_type {
  const char *name;
  struct module *owner;       /* set by register_filesystem; NULL built in */
  /* A new filesystem from a source (a device path, or ignored). */
  int (*mount)(const char *source, struct super *sb);
  struct fs_type *next;
};

/* What statfs reports of a filesystem. */
struct fs_usage { u32 magic, bsize, blocks, bfree, files, ffree; };

struct super {
  struct fs_type *type;
  struct inode *root;
  struct inode *covered;      /* the directory it is mounted on */
  char source[32], path[64];
  int busy;                   /* references held on its inodes, but the mount's own */
  int rdonly;                 /* set by the filesystem when it stops writing */
  u32 next_ino;
  int (*sync)(struct super *sb);
  void (*usage)(struct super *sb, struct fs_usage *u); /* optional: statfs's numbers */
  void (*kill)(struct super *sb); /* frees the filesystem at umount */
  void *priv;
};

struct file {
  int refs;
  u32 flags;                  /* the open flags; O_NONBLOCK and O_APPEND change with F_SETFL */
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
/* namei.c */
#define LOOKUP_FOLLOW 1 /* a final symbolic link is followed */
int namei(const char *path, struct inode **out);
int namei_parent(const char *path, struct inode **dir, char *name);
int namei_at(struct inode *start, const char *path, u32 flags, struct inode **out);
int namei_parent_at(struct inode *start, const char *path, struct inode **dir, char *name);
int vfs_step(struct inode *dir, const char *name, struct inode **out);
int vfs_readlink(struct inode *ip, char *buf, u32 size, int user);
int vfs_mount(const char *source, const char *target, const char *type);
int vfs_umount(const char *target);
int vfs_sync(void);
u32 super_dev(struct super *sb);
void super_usage(struct super *sb, struct fs_usage *u);
int mounts_text(char *buf, u32 size);
int inode_path(struct inode *ip, char *buf, u32 size);
struct inode *root_inode(void);
int vfs_open(const char *path, u32 flags, u32 mode, struct file **out);
int vfs_open_at(struct inode *start, const char *path, u32 flags, u32 mode, struct file **out);
struct file *file_alloc(void);
struct file *file_dup(struct file *f);
void file_close(struct file *f);
int file_read(struct file *f, void *buf, u32 n, int user);
int file_write(struct file *f, const void *buf, u32 n, int user);
int copy_out(int user, void *dst, const void *src, u32 n);
int copy_in(int user, void *dst, const void *src, u32 n);

/* sysfile.c, syspath.c: descriptors and paths for the system calls */
struct proc;
struct files;
struct files *files_new(void);
struct files *files_copy(struct files *from);
void files_put(struct files *t);
struct file *fd_file(u32 fd);
int fd_install(struct file *f, u32 from, int cloexec);
void fd_set_cloexec(struct proc *p, u32 fd, int on);
void fd_close_on_exec(struct proc *p);
int at_dir(u32 dirfd, struct inode **out);
int user_path(char *buf, u32 va);
int lookup_at(u32 dirfd, u32 path_va, u32 at_flags, struct inode **out);

/* poll.c: wakes every process waiting in poll or select (called where
 * files become readable or writable: pipes, the tty). */
void poll_wakeup(void);

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
extern const struct file_ops blockdev_ops, fifo_ops;
extern const struct inode_ops ramfs_ops;
int ramfs_fill_super(struct super *sb);
#endif
