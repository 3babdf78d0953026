/* The tty layer: the line discipline (canonical mode with echo, erase,
 * kill, end-of-file and Ctrl-C; raw mode through TCSETS) between processes
 * and a serial driver. /dev/ttyS0, /dev/console and /dev/tty are all this
 * one terminal. Until a driver registers (serial.ko), output goes to the
 * early console and nothing can be read. */
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
  void (*putc)(char);           /* the driver's output */
  void (*unthrottle)(void);     /* the driver may send input again */
  struct module *driver;
} tty = {.putc = console_raw};

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
  if ((t->c_lflag & ISIG) && (c == t->c_cc[VINTR] || c == t->c_cc[VQUIT])) {
    echo(c);
    out_char('\n');
    tty.r = tty.w = tty.e; /* the line and unread input go */
    if (tty.pgrp > 0) signal_group(tty.pgrp, c == t->c_cc[VINTR] ? SIGINT : SIGQUIT);
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
  }
}

static int tty_read(struct file *f, void *buf, u32 n, int user) {
  while (tty.r == tty.w) {
    if (f->flags & O_NONBLOCK) return -EAGAIN;
    if (signal_pending()) return -EINTR;
    sleep(&tty);
  }
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
  char chunk[128];
  for (u32 done = 0; done < n;) {
    u32 k = n - done < sizeof chunk ? n - done : sizeof chunk;
    if (copy_in(user, chunk, (const u8 *)buf + done, k) < 0) return done ? (int)done : -EFAULT;
    for (u32 i = 0; i < k; i++) out_char(chunk[i]);
    done += k;
  }
  return (int)n;
}

static int tty_ioctl(struct file *f, u32 cmd, u32 arg) {
  (void)f;
  switch (cmd) {
    case TCGETS:
      return copy_to_user_checked(arg, &tty.t, sizeof tty.t);
    case TCSETS: case TCSETSW: case TCSETSF: {
      struct termios t;
      if (copy_from_user(&t, arg, sizeof t) < 0) return -EFAULT;
      tty.t = t;
      if (cmd == TCSETSF) tty.r = tty.w = tty.e;
      if (!(t.c_lflag & ICANON)) tty.w = tty.e; /* what was being edited is input now */
      return 0;
    }
    case TIOCGPGRP:
      return copy_to_user_checked(arg, &tty.pgrp, 4);
    case TIOCSPGRP: {
      int pgrp;
      if (copy_from_user(&pgrp, arg, 4) < 0) return -EFAULT;
      if (pgrp <= 0) return -EINVAL;
      tty.pgrp = pgrp;
      return 0;
    }
    case TIOCGWINSZ: {
      u16 ws[4] = {24, 80, 0, 0};
      return copy_to_user_checked(arg, ws, sizeof ws);
    }
    default:
      return -ENOTTY;
  }
}

static const struct file_ops tty_ops = {.read = tty_read, .write = tty_write, .ioctl = tty_ioctl};

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
  t->c_cc[VMIN] = 1;
  register_chrdev(4, &tty_ops, NULL);
  register_chrdev(5, &tty_ops, NULL);
}

EXPORT_SYMBOL(tty_input);
EXPORT_SYMBOL(tty_set_driver);
EXPORT_SYMBOL(tty_room);
