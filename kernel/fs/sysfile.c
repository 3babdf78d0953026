/* Descriptor system calls: the table of open files (with close-on-exec),
 * open and close, dup in its three forms, pipes, fcntl and ioctl. Reads
 * and writes are in rw.c, paths in syspath.c, stat in stat.c. */
#include "kernel.h"
#include "fs.h"
#include "proc.h"
#include "tty.h"
#include "memlayout.h"

/* The tables, as many as there can be processes (no kmalloc'd pages to
 * keep once used). */
static struct files tables[NPROC];

struct files *files_new(void) {
  for (struct files *t = tables; t < &tables[NPROC]; t++)
    if (!t->refs) {
      memset(t, 0, sizeof *t);
      t->refs = 1;
      return t;
    }
  return NULL;
}

/* fork: a table of its own with the same files open. */
struct files *files_copy(struct files *from) {
  struct files *t = files_new();
  if (!t) return NULL;
  for (u32 fd = 0; fd < NOFILE; fd++)
    if (from->fd[fd]) t->fd[fd] = file_dup(from->fd[fd]);
  t->cloexec = from->cloexec;
  return t;
}

/* One user fewer; the last closes every file. */
void files_put(struct files *t) {
  if (!t || --t->refs > 0) return;
  for (u32 fd = 0; fd < NOFILE; fd++)
    if (t->fd[fd]) { file_close(t->fd[fd]); t->fd[fd] = NULL; }
}

struct file *fd_file(u32 fd) { return fd < NOFILE ? curproc->files->fd[fd] : NULL; }

/* Puts f in the lowest free slot from `from` (below RLIMIT_NOFILE), with
 * close-on-exec as asked: the descriptor, or -EMFILE. */
int fd_install(struct file *f, u32 from, int cloexec) {
  u32 limit = rlimit_nofile(curproc);
  for (u32 fd = from; fd < limit; fd++)
    if (!curproc->files->fd[fd]) {
      curproc->files->fd[fd] = f;
      fd_set_cloexec(curproc, fd, cloexec);
      return (int)fd;
    }
  return -EMFILE;
}

void fd_set_cloexec(struct proc *p, u32 fd, int on) {
  if (on) p->files->cloexec |= 1ull << fd;
  else p->files->cloexec &= ~(1ull << fd);
}

/* exec: the program gets a table of its own (as Linux unshares it), less
 * the descriptors marked close-on-exec. */
void fd_close_on_exec(struct proc *p) {
  struct files *t = p->files;
  if (t->refs > 1) {
    struct files *own = files_copy(t);
    if (own) { files_put(t); p->files = t = own; }
  }
  for (u32 fd = 0; fd < NOFILE; fd++)
    if (t->fd[fd] && (t->cloexec >> fd) & 1) {
      file_close(t->fd[fd]);
      t->fd[fd] = NULL;
    }
  t->cloexec = 0;
}

/* The directory a *at call starts from: the working directory for
 * AT_FDCWD, else the one the descriptor has open. */
int at_dir(u32 dirfd, struct inode **out) {
  if ((int)dirfd == AT_FDCWD) { *out = curproc->cwd; return 0; }
  struct file *f = fd_file(dirfd);
  if (!f) return -EBADF;
  if (!f->ip || !S_ISDIR(f->ip->mode)) return -ENOTDIR;
  *out = f->ip;
  return 0;
}

int user_path(char *buf, u32 va) {
  int n = copy_string(buf, PATH_MAX, va);
  return n < 0 ? n : n == 0 ? -ENOENT : 0;
}

int sys_openat(u32 dirfd, u32 path_va, u32 flags, u32 mode) {
  char path[PATH_MAX];
  struct inode *start = NULL;
  int err = user_path(path, path_va);
  if (err < 0) return err;
  if (path[0] != '/' && (err = at_dir(dirfd, &start)) < 0) return err;
  struct file *f;
  if ((err = vfs_open_at(start, path, flags, mode, &f)) < 0) return err;
  f->flags &= ~(u32)(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC | O_NOFOLLOW);
  int fd = fd_install(f, 0, (flags & O_CLOEXEC) != 0);
  if (fd < 0) file_close(f);
  return fd;
}

int sys_open(u32 path_va, u32 flags, u32 mode) { return sys_openat((u32)AT_FDCWD, path_va, flags, mode); }

int sys_creat(u32 path_va, u32 mode) { return sys_open(path_va, O_CREAT | O_WRONLY | O_TRUNC, mode); }

int sys_close(u32 fd) {
  struct file *f = fd_file(fd);
  if (!f) return -EBADF;
  curproc->files->fd[fd] = NULL;
  fd_set_cloexec(curproc, fd, 0);
  file_close(f);
  return 0;
}

int sys_dup(u32 fd) {
  struct file *f = fd_file(fd);
  if (!f) return -EBADF;
  int nfd = fd_install(f, 0, 0);
  if (nfd >= 0) file_dup(f);
  return nfd;
}

static int dup_to(u32 fd, u32 nfd, int cloexec) {
  struct file *f = fd_file(fd);
  if (!f) return -EBADF;
  if (nfd >= rlimit_nofile(curproc)) return -EBADF;
  file_dup(f);
  if (curproc->files->fd[nfd]) file_close(curproc->files->fd[nfd]);
  curproc->files->fd[nfd] = f;
  fd_set_cloexec(curproc, nfd, cloexec);
  return (int)nfd;
}

int sys_dup2(u32 fd, u32 nfd) {
  if (fd == nfd) return fd_file(fd) ? (int)fd : -EBADF;
  return dup_to(fd, nfd, 0);
}

int sys_dup3(u32 fd, u32 nfd, u32 flags) {
  if (flags & ~(u32)O_CLOEXEC) return -EINVAL;
  if (fd == nfd) return -EINVAL;
  return dup_to(fd, nfd, (flags & O_CLOEXEC) != 0);
}

int sys_pipe2(u32 fds_va, u32 flags) {
  if (flags & ~(u32)(O_CLOEXEC | O_NONBLOCK)) return -EINVAL;
  struct file *r, *w;
  int err = pipe_new(&r, &w);
  if (err < 0) return err;
  r->flags |= flags & O_NONBLOCK;
  w->flags |= flags & O_NONBLOCK;
  int cloexec = (flags & O_CLOEXEC) != 0;
  int fds[2] = {fd_install(r, 0, cloexec), -1};
  if (fds[0] >= 0) fds[1] = fd_install(w, 0, cloexec);
  if (fds[1] < 0 || copy_to_user_checked(fds_va, fds, sizeof fds) < 0) {
    if (fds[0] >= 0) curproc->files->fd[fds[0]] = NULL;
    if (fds[1] >= 0) curproc->files->fd[fds[1]] = NULL;
    file_close(r);
    file_close(w);
    return fds[1] < 0 ? -EMFILE : -EFAULT;
  }
  return 0;
}

int sys_pipe(u32 fds_va) { return sys_pipe2(fds_va, 0); }

#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
#define F_SETOWN 8
#define F_GETOWN 9
#define F_GETLK64 12
#define F_SETLK64 13
#define F_SETLKW64 14
#define F_DUPFD_CLOEXEC 1030
#define F_GETPIPE_SZ 1032
#define FD_CLOEXEC 1
#define F_UNLCK 2

/* The flags F_SETFL may change, as Linux's SETFL_MASK (those that matter here). */
#define SETFL_MASK (O_APPEND | O_NONBLOCK)

/* Record locks: with no other machine and no threads, a process here is
 * never refused a lock, so F_SETLK succeeds and F_GETLK says no one holds
 * one. (Two processes locking the same file are not kept apart.) */
static int no_lock(u32 cmd, u32 arg) {
  if (cmd == F_SETLK || cmd == F_SETLKW || cmd == F_SETLK64 || cmd == F_SETLKW64) return 0;
  u16 type = F_UNLCK;
  return copy_to_user_checked(arg, &type, 2); /* l_type comes first in struct flock and flock64 */
}

int sys_fcntl64(u32 fd, u32 cmd, u32 arg) {
  struct file *f = fd_file(fd);
  if (!f) return -EBADF;
  switch (cmd) {
    case F_DUPFD: case F_DUPFD_CLOEXEC: {
      if (arg >= rlimit_nofile(curproc)) return -EINVAL;
      int nfd = fd_install(f, arg, cmd == F_DUPFD_CLOEXEC);
      if (nfd >= 0) file_dup(f);
      return nfd;
    }
    case F_GETFD: return (curproc->files->cloexec >> fd) & 1 ? FD_CLOEXEC : 0;
    case F_SETFD: fd_set_cloexec(curproc, fd, arg & FD_CLOEXEC); return 0;
    case F_GETFL: return (int)f->flags;
    case F_SETFL: f->flags = (f->flags & ~(u32)SETFL_MASK) | (arg & SETFL_MASK); return 0;
    case F_GETLK: case F_SETLK: case F_SETLKW: case F_GETLK64: case F_SETLK64: case F_SETLKW64: return no_lock(cmd, arg);
    case F_GETOWN: return 0;
    case F_SETOWN: return 0;
    case F_GETPIPE_SZ: return f->ip ? -EBADF : PGSIZE;
    default: return -EINVAL;
  }
}

#define FIONREAD 0x541B
#define FIONBIO 0x5421
#define FIONCLEX 0x5450
#define FIOCLEX 0x5451

/* ioctl: what every descriptor answers, then the driver's own. */
int sys_ioctl(u32 fd, u32 cmd, u32 arg) {
  struct file *f = fd_file(fd);
  if (!f) return -EBADF;
  switch (cmd) {
    case FIOCLEX: fd_set_cloexec(curproc, fd, 1); return 0;
    case FIONCLEX: fd_set_cloexec(curproc, fd, 0); return 0;
    case FIONBIO: {
      int on;
      if (copy_from_user(&on, arg, 4) < 0) return -EFAULT;
      f->flags = on ? f->flags | O_NONBLOCK : f->flags & ~(u32)O_NONBLOCK;
      return 0;
    }
    case FIONREAD:
      if (f->ip && S_ISREG(f->ip->mode)) {
        int n = f->ip->size > f->off ? (int)(f->ip->size - f->off) : 0;
        return copy_to_user_checked(arg, &n, 4);
      }
      break;
  }
  return f->ops->ioctl ? f->ops->ioctl(f, cmd, arg) : -ENOTTY;
}
