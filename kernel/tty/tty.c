/* The tty layer: the line discipline (canonical mode with echo, erase,
 * kill, end-of-file, Ctrl-C, Ctrl-\ and Ctrl-Z; raw mode through TCSETS,
 * with VMIN and VTIME) between processes and a serial driver, and job
 * control as POSIX has it: the terminal belongs to a session, one of
 * whose process groups is in the foreground; a background group that
 * reads from it (or, with TOSTOP, writes, or changes its settings) is
 * stopped with SIGTTIN or SIGTTOU. /dev/ttyS0, /dev/console and /dev/tty
 * are all this one terminal. Until a driver registers (serial.ko), output
 * goes to the early console and nothing can be read. */
#include "kernel.h"
#include "module.h"
#include "fs.h"
#include "proc.h"
#include "tty.h"

#define INBUF 1024

static struct {
  struct termios t;
  char buf[INBUF];
  u32 r, w, e;  /* read, end of committed input, end of the line being edited */
  int pgrp;     /* the foreground process group, which Ctrl-C signals */
  int sid;      /* the session whose controlling terminal this is (0: none) */
  u16 winsize[4]; /* rows, columns, and the pixel sizes (unused) */
  void (*putc)(char);           /* the driver's output */
  void (*unthrottle)(void);     /* the driver may send input again */
  struct module *driver;
} tty = {.putc = console_raw, .winsize = {24, 80, 0, 0}};

#define VSUSP 10
#define TOSTOP 0000400

static void out_char(char c) {
  if ((tty.t.c_oflag & OPOST) && (tty.t.c_oflag & ONLCR) && c == '\n') tty.putc('\r');
  tty.putc(c);
}

/* A serial driver takes the terminal over (putc NULL: gives it back). The
 * console is always open, so the driver's module stays in use meanwhile. */
void tty_set_driver(void (*putc)(char), void (*unthrottle)(void), struct module *owner) {
  module_put(tty.driver); /* the driver it had, if any, is no longer held */
  tty.unthrottle = putc ? unthrottle : NULL;
  tty.putc = putc ? putc : console_raw;
  tty.driver = putc ? owner : NULL;
  module_get(tty.driver);
}

/* Only a failed init can leave the driver set: the terminal holds the
 * module, so rmmod cannot reach it. */
void tty_unset_driver(struct module *owner) {
  if (tty.driver != owner) return;
  printk("%s: left the terminal's driver set; given back\n", owner->name);
  tty_set_driver(NULL, NULL, NULL);
}

static int echoed_as_caret(char c) {
  return (tty.t.c_lflag & ECHOCTL) && (u8)c < 32 && c != '\n' && c != '\t';
}

static void echo(char c) {
  if (!(tty.t.c_lflag & ECHO)) return;
  if (echoed_as_caret(c)) {
    out_char('^');
    out_char((char)(c + 64));
    return;
  }
  out_char(c);
}

/* Takes back the last character of the line and its echo: two columns
 * for a control character shown as ^X, as Linux's n_tty does. */
static void erase_one(void) {
  if (tty.e == tty.w) return;
  char c = tty.buf[--tty.e % INBUF];
  if (!(tty.t.c_lflag & ECHO)) return;
  for (int cols = echoed_as_caret(c) ? 2 : 1; cols > 0; cols--) { out_char('\b'); out_char(' '); out_char('\b'); }
}

/* How many more characters the driver may hand over now. While the buffer
 * holds input a reader can take, a full one makes the driver wait (and
 * leave the rest in the UART: input pasted in bulk is not lost); with
 * nothing to read, characters are taken and an overlong line drops them. */
int tty_room(void) {
  u32 used = tty.e - tty.r;
  u32 cap = INBUF - 1 - ((tty.t.c_lflag & ICANON) ? 1 : 0); /* canonical: the last place is the Enter's */
  if (used < cap) return (int)(cap - used);
  return tty.w == tty.r ? 1 : 0;
}

/* One received character, from the interrupt handler. */
void tty_input(char c) {
  struct termios *t = &tty.t;
  if (c == '\r' && (t->c_iflag & ICRNL)) c = '\n';
  if ((t->c_lflag & ISIG) && c && (c == t->c_cc[VINTR] || c == t->c_cc[VQUIT] || c == t->c_cc[VSUSP])) {
    echo(c);
    out_char('\n');
    tty.r = tty.w = tty.e; /* the line and unread input go */
    int sig = c == t->c_cc[VINTR] ? SIGINT : c == t->c_cc[VQUIT] ? SIGQUIT : SIGTSTP;
    if (tty.pgrp > 0) signal_group(tty.pgrp, sig);
    return;
  }
  if (t->c_lflag & ICANON) {
    if (c == t->c_cc[VERASE] || c == '\b') { erase_one(); return; }
    if (c == t->c_cc[VKILL]) { while (tty.e != tty.w) erase_one(); return; }
  }
  u32 used = tty.e - tty.r;
  if (used >= INBUF - 1) return; /* full: dropped, as a real UART would */
  /* The last place is kept for the line's end, as Linux's n_tty does: an
   * overlong line loses its tail, never its Enter (else the shell hangs). */
  if ((t->c_lflag & ICANON) && used >= INBUF - 2 && c != '\n' && c != t->c_cc[VEOF]) return;
  tty.buf[tty.e++ % INBUF] = c;
  if (c != t->c_cc[VEOF] || !(t->c_lflag & ICANON)) echo(c);
  if (!(t->c_lflag & ICANON) || c == '\n' || c == t->c_cc[VEOF]) {
    tty.w = tty.e;
    wakeup(&tty);
    poll_wakeup();
  }
}

/* A session leader ended: its terminal is no one's controlling terminal
 * any more, and its foreground group is told (SIGHUP, then SIGCONT in case
 * it was stopped), as Linux's disassociate_ctty does. */
void tty_session_ended(int sid) {
  if (sid != tty.sid) return;
  if (tty.pgrp > 0) {
    signal_group(tty.pgrp, SIGHUP);
    signal_group(tty.pgrp, SIGCONT);
  }
  tty.sid = 0;
  tty.pgrp = 0;
}

/* Makes the terminal p's session's controlling terminal, p (a session
 * leader) its foreground group. */
static void acquire(struct proc *p) {
  tty.sid = p->sid;
  tty.pgrp = p->pgid;
}

/* For /proc/PID/stat: the terminal's device number (ttyS0, 4:64) and
 * foreground group, if it is p's controlling terminal. */
int tty_nr(struct proc *p) { return p->sid == tty.sid ? (4 << 8) | 64 : 0; }
int tty_foreground(struct proc *p) { return p->sid == tty.sid ? tty.pgrp : -1; }

/* Job control: the caller may go on with what it asked of the terminal,
 * or (in a background group of its session) it is stopped with sig, or
 * gets EIO when it cannot be (sig blocked or ignored: for SIGTTIN, EIO;
 * for SIGTTOU, the write goes ahead). */
static int job_check(int sig) {
  struct proc *p = curproc;
  if (!p || p->sid != tty.sid || tty.pgrp <= 0 || p->pgid == tty.pgrp) return 0;
  if (signal_is_blocked_or_ignored(p, sig)) return sig == SIGTTIN ? -EIO : 0;
  signal_group(p->pgid, sig);
  return -ERESTARTSYS;
}

/* Raw mode's VMIN and VTIME, as far as programs use them: VMIN 0 with
 * VTIME 0 returns at once, VMIN 0 with VTIME waits that many tenths of a
 * second for a character; otherwise one character is enough. */
static int wait_input(struct file *f) {
  int canon = (tty.t.c_lflag & ICANON) != 0;
  u32 vmin = tty.t.c_cc[VMIN], vtime = tty.t.c_cc[VTIME];
  u32 deadline = ticks + vtime * (HZ / 10);
  while (tty.r == tty.w) {
    if (f->flags & O_NONBLOCK) return -EAGAIN;
    if (!canon && vmin == 0 && (vtime == 0 || (s32)(ticks - deadline) >= 0)) return 0;
    if (signal_pending()) return -ERESTARTSYS;
    if (!canon && vmin == 0) sleep_until(&tty, deadline);
    else sleep(&tty);
  }
  return 1;
}

static int tty_read(struct file *f, void *buf, u32 n, int user) {
  int err = job_check(SIGTTIN);
  if (err) return err;
  if ((err = wait_input(f)) <= 0) return err;
  char chunk[128];
  u32 done = 0, k = 0;
  int canon = (tty.t.c_lflag & ICANON) != 0;
  while (done + k < n && tty.r != tty.w) {
    char c = tty.buf[tty.r % INBUF];
    if (canon && c == tty.t.c_cc[VEOF]) {
      tty.r++; /* end of file at the start of a line; otherwise ends the line */
      break;
    }
    tty.r++;
    chunk[k++] = c;
    if (k == sizeof chunk) {
      if (copy_out(user, (u8 *)buf + done, chunk, k) < 0) return -EFAULT;
      done += k;
      k = 0;
    }
    if (canon && c == '\n') break;
  }
  if (k && copy_out(user, (u8 *)buf + done, chunk, k) < 0) return -EFAULT;
  if (tty.unthrottle) tty.unthrottle(); /* there is room again */
  return (int)(done + k);
}

static int tty_write(struct file *f, const void *buf, u32 n, int user) {
  (void)f;
  if (tty.t.c_lflag & TOSTOP) {
    int err = job_check(SIGTTOU);
    if (err) return err;
  }
  char chunk[128];
  for (u32 done = 0; done < n;) {
    u32 k = n - done < sizeof chunk ? n - done : sizeof chunk;
    if (copy_in(user, chunk, (const u8 *)buf + done, k) < 0) return done ? (int)done : -EFAULT;
    for (u32 i = 0; i < k; i++) out_char(chunk[i]);
    done += k;
  }
  return (int)n;
}

#define TCSBRK 0x5409
#define TCXONC 0x540A
#define TCFLSH 0x540B
#define TIOCOUTQ 0x5411
#define TIOCSWINSZ 0x5414
#define FIONREAD 0x541B
#define TIOCNOTTY 0x5422
#define TIOCGETD 0x5424
#define TIOCGSID 0x5429

/* Whether a process of some other session may use this terminal's job
 * control calls: not on Linux (ENOTTY), as it is not its terminal. */
static int own_terminal(void) { return curproc && curproc->sid == tty.sid; }

static int tty_ioctl(struct file *f, u32 cmd, u32 arg) {
  (void)f;
  int zero = 0, err;
  switch (cmd) {
    case TCGETS:
      return copy_to_user_checked(arg, &tty.t, sizeof tty.t);
    case TCSETS: case TCSETSW: case TCSETSF: {
      struct termios t;
      if (copy_from_user(&t, arg, sizeof t) < 0) return -EFAULT;
      if ((err = job_check(SIGTTOU))) return err;
      tty.t = t;
      if (cmd == TCSETSF) tty.r = tty.w = tty.e;
      if (!(t.c_lflag & ICANON)) tty.w = tty.e; /* what was being edited is input now */
      return 0;
    }
    case TCFLSH:
      if (arg > 2) return -EINVAL;
      if (arg != 1) tty.r = tty.w = tty.e; /* TCIFLUSH, TCIOFLUSH: the unread input goes */
      return 0;
    case TCSBRK: case TCXONC:
      return 0; /* output is never held back */
    case TIOCGPGRP:
      if (!own_terminal()) return -ENOTTY;
      return copy_to_user_checked(arg, &tty.pgrp, 4);
    case TIOCSPGRP: {
      int pgrp;
      if (!own_terminal()) return -ENOTTY;
      if (copy_from_user(&pgrp, arg, 4) < 0) return -EFAULT;
      if (pgrp < 0) return -EINVAL;
      int sid = group_session(pgrp);
      if (sid < 0) return -ESRCH;
      if (sid != tty.sid) return -EPERM;
      if ((err = job_check(SIGTTOU))) return err;
      tty.pgrp = pgrp;
      return 0;
    }
    case TIOCGSID:
      if (!own_terminal()) return -ENOTTY;
      return copy_to_user_checked(arg, &tty.sid, 4);
    case TIOCSCTTY: /* a session leader takes it, or (arg 1, root) steals it from another session */
      if (own_terminal()) return 0;
      if (curproc->pid != curproc->sid) return -EPERM;
      if (tty.sid && session_alive(tty.sid) && !(arg == 1 && is_root())) return -EPERM;
      acquire(curproc);
      return 0;
    case TIOCNOTTY:
      if (!own_terminal()) return -ENOTTY;
      if (curproc->pid == curproc->sid) tty_session_ended(curproc->sid);
      return 0;
    case TIOCGWINSZ:
      return copy_to_user_checked(arg, tty.winsize, sizeof tty.winsize);
    case TIOCSWINSZ: {
      u16 ws[4];
      if (copy_from_user(ws, arg, sizeof ws) < 0) return -EFAULT;
      int changed = memcmp(ws, tty.winsize, sizeof ws) != 0;
      memcpy(tty.winsize, ws, sizeof ws);
      if (changed && tty.pgrp > 0) signal_group(tty.pgrp, SIGWINCH);
      return 0;
    }
    case FIONREAD: {
      int n = (int)(tty.w - tty.r);
      return copy_to_user_checked(arg, &n, 4);
    }
    case TIOCOUTQ: case TIOCGETD:
      return copy_to_user_checked(arg, &zero, 4);
    default:
      return -ENOTTY;
  }
}

static u32 tty_poll(struct file *f) {
  (void)f;
  return POLLOUT | (tty.r != tty.w ? POLLIN : 0);
}

#define O_NOCTTY 0400

/* /dev/tty is the caller's controlling terminal: there is none outside the
 * terminal's session. A session leader without one that opens /dev/ttyS0
 * (not /dev/console, as on Linux) while no live session has it takes it. */
static int tty_open(struct file *f) {
  u32 dev = f->ip ? f->ip->rdev : 0;
  if (dev == MKDEV(5, 0) && !own_terminal()) return -ENXIO;
  struct proc *p = curproc;
  if (dev == MKDEV(4, 64) && p && !(f->flags & O_NOCTTY) && p->pid == p->sid && (!tty.sid || !session_alive(tty.sid)))
    acquire(p);
  return 0;
}

static const struct file_ops tty_ops = {.open = tty_open, .read = tty_read, .write = tty_write, .ioctl = tty_ioctl,
                                        .poll = tty_poll};

void tty_init(void) {
  struct termios *t = &tty.t;
  t->c_iflag = ICRNL;
  t->c_oflag = OPOST | ONLCR;
  t->c_cflag = 0277; /* 38400 baud, 8 bits, receiver on */
  t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | IEXTEN;
  t->c_cc[VINTR] = 3;
  t->c_cc[VQUIT] = 0x1c;
  t->c_cc[VERASE] = 0x7f;
  t->c_cc[VKILL] = 0x15;
  t->c_cc[VEOF] = 4;
  t->c_cc[VSUSP] = 0x1a;
  t->c_cc[VMIN] = 1;
  register_chrdev(4, &tty_ops, NULL);
  register_chrdev(5, &tty_ops, NULL);
}

EXPORT_SYMBOL(tty_input);
EXPORT_SYMBOL(tty_set_driver);
EXPORT_SYMBOL(tty_room);
