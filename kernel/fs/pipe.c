/* Pipes: a one-page ring between a reading and a writing end. Readers
 * sleep while it is empty and writers remain; writers sleep while it is
 * full and readers remain. Writing with no reader left raises SIGPIPE.
 * Writes of at most a page are atomic, as POSIX has it for PIPE_BUF.
 * A FIFO (mkfifo) is a pipe reached through its inode: the first open
 * makes it, the last close frees it. */
#include "kernel.h"
#include "fs.h"
#include "proc.h"
#include "memlayout.h"

struct pipe {
  u8 *buf;
  u32 nread, nwritten; /* running totals; the ring holds the difference */
  int readers, writers;
  struct inode *fifo;  /* the FIFO it is, if it is one */
  u32 ropens, wopens;  /* a FIFO's opens so far by readers and writers: what open waits for */
};

static int pipe_read(struct file *f, void *buf, u32 n, int user) {
  struct pipe *p = f->priv;
  while (p->nread == p->nwritten) {
    if (!p->writers) return 0;
    if (f->flags & O_NONBLOCK) return -EAGAIN;
    if (signal_pending()) return -ERESTARTSYS;
    sleep(p);
  }
  u32 done = 0;
  while (done < n && p->nread != p->nwritten) {
    u32 at = p->nread % PGSIZE;
    u32 chunk = p->nwritten - p->nread;
    if (chunk > PGSIZE - at) chunk = PGSIZE - at;
    if (chunk > n - done) chunk = n - done;
    if (copy_out(user, (u8 *)buf + done, p->buf + at, chunk) < 0) return done ? (int)done : -EFAULT;
    p->nread += chunk;
    done += chunk;
  }
  wakeup(p);
  poll_wakeup();
  return (int)done;
}

static int pipe_write(struct file *f, const void *buf, u32 n, int user) {
  struct pipe *p = f->priv;
  u32 done = 0;
  while (done < n) {
    if (!p->readers) {
      send_signal(curproc, SIGPIPE);
      return done ? (int)done : -EPIPE;
    }
    /* Up to a page (PIPE_BUF) goes in at once or not at all, so that
     * writers sharing a pipe never interleave within such a write. */
    u32 room = PGSIZE - (p->nwritten - p->nread);
    if (room == 0 || (n <= PGSIZE && room < n - done)) {
      wakeup(p);
      if (f->flags & O_NONBLOCK) return done ? (int)done : -EAGAIN;
      if (signal_pending()) return done ? (int)done : -ERESTARTSYS;
      sleep(p);
      continue;
    }
    u32 at = p->nwritten % PGSIZE;
    u32 chunk = PGSIZE - (p->nwritten - p->nread);
    if (chunk > PGSIZE - at) chunk = PGSIZE - at;
    if (chunk > n - done) chunk = n - done;
    if (copy_in(user, p->buf + at, (const u8 *)buf + done, chunk) < 0) return done ? (int)done : -EFAULT;
    p->nwritten += chunk;
    done += chunk;
  }
  wakeup(p);
  poll_wakeup();
  return (int)done;
}

static void pipe_close(struct file *f) {
  struct pipe *p = f->priv;
  u32 mode = f->flags & O_ACCMODE; /* a FIFO open O_RDWR is both */
  if (mode != O_WRONLY) p->readers--;
  if (mode != O_RDONLY) p->writers--;
  wakeup(p);
  poll_wakeup();
  if (p->readers == 0 && p->writers == 0) {
    if (p->fifo) p->fifo->fifo = NULL;
    kfree(p->buf);
    kmfree(p);
  }
}

/* Readable: something in it, or no writer left (end of file, POLLHUP);
 * writable: some room, or no reader left (POLLERR). */
static u32 pipe_poll(struct file *f) {
  struct pipe *p = f->priv;
  u32 used = p->nwritten - p->nread, mode = f->flags & O_ACCMODE, r = 0;
  if (mode != O_WRONLY) r |= (used ? POLLIN : 0) | (p->writers ? 0 : POLLHUP);
  if (mode != O_RDONLY) r |= p->readers ? (used < PGSIZE ? POLLOUT : 0) : POLLERR;
  return r;
}

#define FIONREAD 0x541B

static int pipe_ioctl(struct file *f, u32 cmd, u32 arg) {
  struct pipe *p = f->priv;
  if (cmd != FIONREAD) return -ENOTTY;
  int n = (int)(p->nwritten - p->nread);
  return copy_to_user_checked(arg, &n, 4);
}

static const struct file_ops pipe_ops = {.read = pipe_read, .write = pipe_write, .close = pipe_close, .poll = pipe_poll,
                                         .ioctl = pipe_ioctl};

int pipe_new(struct file **rf, struct file **wf) {
  struct pipe *p = kzalloc(sizeof *p);
  struct file *r = file_alloc(), *w = file_alloc();
  if (p) p->buf = kalloc();
  if (!p || !p->buf || !r || !w) {
    if (p && p->buf) kfree(p->buf);
    kmfree(p);
    kmfree(r);
    kmfree(w);
    return -ENOMEM;
  }
  p->readers = p->writers = 1;
  r->flags = O_RDONLY;
  w->flags = O_WRONLY;
  r->ops = w->ops = &pipe_ops;
  r->priv = w->priv = p;
  *rf = r;
  *wf = w;
  return 0;
}

/* Opening a FIFO: a reader waits for a writer and a writer for a reader
 * (as POSIX has it), unless O_NONBLOCK: then a reader goes on and a writer
 * with no reader fails with ENXIO. O_RDWR never waits. */
static int fifo_open(struct file *f) {
  struct inode *ip = f->ip;
  struct pipe *p = ip->fifo;
  if (!p) {
    p = kzalloc(sizeof *p);
    if (p && !(p->buf = kalloc())) { kmfree(p); p = NULL; }
    if (!p) return -ENOMEM;
    p->fifo = ip;
    ip->fifo = p;
  }
  u32 mode = f->flags & O_ACCMODE;
  if (mode == O_WRONLY && (f->flags & O_NONBLOCK) && !p->readers) {
    if (!p->writers && !p->readers) { ip->fifo = NULL; kfree(p->buf); kmfree(p); }
    return -ENXIO;
  }
  f->priv = p;
  f->ops = &pipe_ops;
  if (mode != O_WRONLY) p->readers++, p->ropens++;
  if (mode != O_RDONLY) p->writers++, p->wopens++;
  wakeup(p);
  poll_wakeup();
  if (mode == O_RDWR || (f->flags & O_NONBLOCK)) return 0;
  /* Until the other side has opened since (it may have closed again). */
  u32 *other = mode == O_RDONLY ? &p->wopens : &p->ropens;
  u32 seen = *other;
  int present = mode == O_RDONLY ? p->writers : p->readers;
  while (!present && *other == seen) {
    if (signal_pending()) {
      pipe_close(f); /* as if it had never opened */
      return -ERESTARTSYS;
    }
    sleep(p);
  }
  return 0;
}

const struct file_ops fifo_ops = {.open = fifo_open};
