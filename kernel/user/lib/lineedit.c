/* The line editor (see lineedit.h).
 *
 * The screen is kept as a model: the prompt starts at column 0, the line
 * follows it in rows of cols columns (the width the tty reports), and pos
 * is where the terminal's cursor is, in columns counted from the prompt's
 * start (row pos / cols, column pos % cols). A change rewrites the line
 * from the first byte it touched and erases what is left of the old one,
 * so model and screen agree after every key. Typing at the end of the
 * line, and Backspace there, write what the tty's own echo wrote.
 *
 * The editor ends each full row itself (CR LF) instead of leaving it to
 * the terminal's wrap, so a terminal wider than the tty says (the page's
 * is 100 columns; a host's window is what it is) shows the same rows.
 * That break waits until something follows the row (pending): a terminal
 * of exactly cols columns keeps its cursor in the last column with its
 * own wrap pending, and CR LF from there is one new row, not two. */
#include "lineedit.h"
#include "errno.h"
#include "stdio.h"
#include "string.h"
#include "termios.h"
#include "unistd.h"
#include "sys/ioctl.h"

#define OUT_FD 2 /* the prompt and the echo go where bash sends them */

enum { K_LEFT = 256, K_RIGHT, K_UP, K_DOWN, K_HOME, K_END, K_DELETE };

struct ed {
  char *buf;
  int len, cur;       /* the line's bytes; the cursor's byte offset */
  const char *prompt;
  int plen;           /* the prompt's width */
  int cols;           /* the terminal's width */
  int pos;            /* the terminal's cursor (see above) */
  int shown;          /* where what the screen shows of the line ends */
  int pending;        /* a full row is written, its break not yet (see above) */
  int overflow;       /* bytes were typed that did not fit: the line will be refused */
};

/* Output is gathered and written once per key. */
static char out[1024];
static int outn;
static const char *newline = "\r\n"; /* "\n" where the tty adds the CR (ONLCR) */

static void flush(void) {
  for (int done = 0; done < outn;) {
    ssize_t r = write(OUT_FD, out + done, (size_t)(outn - done));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break; /* the terminal is gone: there is no one to tell */
    done += (int)r;
  }
  outn = 0;
}

static void emit(const char *s, int n) {
  while (n > 0) {
    if (outn == (int)sizeof out) flush();
    int k = (int)sizeof out - outn;
    if (k > n) k = n;
    memcpy(out + outn, s, (size_t)k);
    outn += k;
    s += k;
    n -= k;
  }
}

static void emits(const char *s) { emit(s, (int)strlen(s)); }

static void csi(int n, char letter) {
  char s[16];
  emit(s, snprintf(s, sizeof s, "\x1b[%d%c", n, letter));
}

/* Columns: a UTF-8 continuation byte takes none of its own. */
static int cont(char c) { return ((unsigned char)c & 0xc0) == 0x80; }

static int width(const char *s, int n) {
  int w = 0;
  for (int i = 0; i < n; i++) w += !cont(s[i]);
  return w;
}

static int col(struct ed *e, int i) { return e->plen + width(e->buf, i); }

static int prev_char(struct ed *e, int i) {
  do i--; while (i > 0 && cont(e->buf[i]));
  return i;
}

static int next_char(struct ed *e, int i) {
  do i++; while (i < e->len && cont(e->buf[i]));
  return i;
}

/* The break after a full row, once something follows it. */
static void settle(struct ed *e) {
  if (!e->pending) return;
  emits(newline);
  e->pending = 0;
}

/* Writes text at the cursor, breaking the rows where the model does. */
static void put(struct ed *e, const char *s, int n) {
  for (int i = 0; i < n; i++) {
    if (cont(s[i])) { /* the rest of a character already counted */
      emit(s + i, 1);
      continue;
    }
    settle(e);
    emit(s + i, 1);
    e->pending = ++e->pos % e->cols == 0;
  }
}

/* Moves the terminal's cursor to column t of the model. */
static void go(struct ed *e, int t) {
  if (t == e->pos) return;
  settle(e);
  int r = e->pos / e->cols, c = e->pos % e->cols, tr = t / e->cols, tc = t % e->cols;
  if (tr < r) csi(r - tr, 'A');
  if (tr > r) csi(tr - r, 'B');
  if (tc == 0 && c > 0) emits("\r");
  else if (tc == c - 1) emits("\b");
  else if (tc < c) csi(c - tc, 'D');
  else if (tc > c) csi(tc - c, 'C');
  e->pos = t;
}

/* Writes the line from byte i on, erases what the screen still had past
 * its end, and puts the cursor back at cur. */
static void draw_from(struct ed *e, int i) {
  go(e, col(e, i));
  put(e, e->buf + i, e->len - i);
  if (e->shown > e->pos) {
    settle(e);
    emits("\x1b[J");
  }
  e->shown = e->pos;
  go(e, col(e, e->cur));
}

/* The prompt and the whole line, the cursor at column 0 to begin with. */
static void redraw(struct ed *e) {
  e->pos = e->shown = e->pending = 0;
  put(e, e->prompt, (int)strlen(e->prompt));
  e->shown = e->pos;
  draw_from(e, 0);
}

static void move(struct ed *e, int to) {
  e->cur = to;
  go(e, col(e, to));
}

static void insert(struct ed *e, const char *s, int n) {
  if (e->len + n > LE_MAX - 1) {
    if (!e->overflow) emits("\a");
    e->overflow = 1;
    return;
  }
  int at = e->cur;
  memmove(e->buf + at + n, e->buf + at, (size_t)(e->len - at));
  memcpy(e->buf + at, s, (size_t)n);
  e->len += n;
  e->cur += n;
  if (e->cur < e->len) {
    draw_from(e, at);
    return;
  }
  put(e, s, n); /* at the end: what the tty's echo would write */
  e->shown = e->pos;
}

/* Removes bytes [from, to); the cursor goes to from. */
static void erase(struct ed *e, int from, int to) {
  if (from >= to) return;
  int echo = to == e->len && e->cur == e->len && !e->pending && e->pos % e->cols != 0 &&
             width(e->buf + from, to - from) == 1;
  memmove(e->buf + from, e->buf + to, (size_t)(e->len - to));
  e->len -= to - from;
  e->cur = from;
  if (echo) { /* one character at the end, on the cursor's row: as the tty erases */
    emits("\b \b");
    e->pos = --e->shown;
    return;
  }
  draw_from(e, from);
}

static void replace(struct ed *e, const char *s) {
  int n = (int)strlen(s);
  if (n > LE_MAX - 1) n = LE_MAX - 1;
  go(e, e->plen);
  memcpy(e->buf, s, (size_t)n);
  e->len = e->cur = n;
  draw_from(e, 0);
}

static void to_end(struct ed *e) { move(e, e->len); }

/* The candidates in columns, ls's order, then the prompt and line again. */
static void list(struct ed *e, struct matches *m) {
  to_end(e);
  emits(newline);
  int w = 0;
  for (int i = 0; i < m->n; i++) {
    int k = width(m->name[i], (int)strlen(m->name[i]));
    if (k > w) w = k;
  }
  int ncol = e->cols / (w + 2);
  if (ncol < 1) ncol = 1;
  int nrow = (m->n + ncol - 1) / ncol;
  for (int r = 0; r < nrow; r++) {
    for (int c = 0; c < ncol && c * nrow + r < m->n; c++) {
      const char *name = m->name[c * nrow + r];
      emits(name);
      if ((c + 1) * nrow + r >= m->n) break;
      for (int k = width(name, (int)strlen(name)); k < w + 2; k++) emits(" ");
    }
    emits(newline);
  }
  if (m->more) {
    char s[40];
    emit(s, snprintf(s, sizeof s, "(and %d more)", m->more));
    emits(newline);
  }
  redraw(e);
}

/* Tab: the rest of a single candidate (and a blank after a file), else
 * what all candidates share; with nothing to add, the list if Tab was the
 * key before, a bell if not. */
static void tab(struct ed *e, const char *const *builtins, int again) {
  static struct matches m;
  if (complete(e->buf, e->cur, builtins, &m) < 0 || m.n + m.more == 0) {
    matches_free(&m);
    emits("\a");
    return;
  }
  char add[2 * sizeof m.common + 2];
  int n = 0;
  for (const char *p = m.common + m.typed; *p; p++) {
    if (strchr(" \t\\'\"|&;<>$#", *p)) add[n++] = '\\'; /* as sh will read it back */
    add[n++] = *p;
  }
  if (m.n + m.more == 1 && (n == 0 || add[n - 1] != '/')) add[n++] = ' ';
  if (n) insert(e, add, n);
  else if (again) list(e, &m);
  else emits("\a");
  matches_free(&m);
}

static int getbyte(void) {
  for (;;) {
    unsigned char c;
    ssize_t r = read(0, &c, 1);
    if (r == 1) return c;
    if (r < 0 && errno == EINTR) continue;
    return -1;
  }
}

static int key(int final, int param) {
  switch (final) {
    case 'A': return K_UP;
    case 'B': return K_DOWN;
    case 'C': return K_RIGHT;
    case 'D': return K_LEFT;
    case 'H': return K_HOME;
    case 'F': return K_END;
    case '~': return param == 1 || param == 7 ? K_HOME : param == 4 || param == 8 ? K_END : param == 3 ? K_DELETE : 0;
  }
  return 0;
}

/* The rest of an escape sequence, after ESC: the key for a sequence the
 * editor knows, 0 for any other (read to its end and dropped), -1 at the
 * end of input. A control character where the sequence should go on ends
 * it and is handled as typed (*next), so a stray ESC cannot eat an Enter. */
static int escape(int *next) {
  int c = getbyte();
  if (c < 0) return -1;
  if (c < 32 || c >= 127) { *next = c; return 0; }
  if (c == 'O') { /* SS3: one letter (the arrows and Home/End of some terminals) */
    c = getbyte();
    if (c < 0) return -1;
    if (c < 32 || c >= 127) { *next = c; return 0; }
    return key(c, 0);
  }
  if (c != '[') return 0; /* Alt and a key */
  int param = 0, first = 1;
  for (;;) { /* CSI: parameters and intermediates, then the final byte */
    c = getbyte();
    if (c < 0) return -1;
    if (c < 32 || c >= 127) { *next = c; return 0; }
    if (c >= '0' && c <= '9') {
      if (first && param < 1000) param = param * 10 + (c - '0');
    } else if (c == ';') {
      first = 0;
    } else if (c >= 0x40) {
      return key(c, param);
    }
  }
}

static int edit(struct ed *e, const char *const *builtins) {
  static char typing[LE_MAX]; /* the new line, while Up shows older ones */
  int hist = history_len(), again = 0, next = -1;
  for (;;) {
    flush();
    int c = next >= 0 ? next : getbyte();
    next = -1;
    if (c == 27) c = escape(&next);
    if (c < 0) { /* the terminal's end: the line as it is, as read() would give it */
      if (!e->len) return LE_EOF;
      to_end(e);
      emits(newline);
      return e->overflow ? LE_TOOLONG : e->len;
    }
    int tabbed = again;
    again = 0;
    switch (c) {
      case '\r': case '\n':
        to_end(e);
        emits(newline);
        return e->overflow ? LE_TOOLONG : e->len;
      case 3: /* Ctrl-C: the line is abandoned */
        to_end(e);
        settle(e);
        emits("^C");
        emits(newline);
        e->len = 0;
        return 0;
      case 4: /* Ctrl-D: the end on an empty line, else as Delete */
        if (!e->len) return LE_EOF;
        /* fall through */
      case K_DELETE:
        if (e->cur < e->len) erase(e, e->cur, next_char(e, e->cur));
        break;
      case 8: case 127:
        if (e->cur) erase(e, prev_char(e, e->cur), e->cur);
        break;
      case 1: case K_HOME: move(e, 0); break;
      case 5: case K_END: move(e, e->len); break;
      case 2: case K_LEFT: if (e->cur) move(e, prev_char(e, e->cur)); break;
      case 6: case K_RIGHT: if (e->cur < e->len) move(e, next_char(e, e->cur)); break;
      case 21: erase(e, 0, e->cur); break;      /* Ctrl-U */
      case 11: erase(e, e->cur, e->len); break; /* Ctrl-K */
      case 23: { /* Ctrl-W: back over blanks, then over the word */
        int i = e->cur;
        while (i && (e->buf[i - 1] == ' ' || e->buf[i - 1] == '\t')) i--;
        while (i && e->buf[i - 1] != ' ' && e->buf[i - 1] != '\t') i--;
        erase(e, i, e->cur);
        break;
      }
      case 12: /* Ctrl-L */
        emits("\x1b[H\x1b[2J");
        redraw(e);
        break;
      case 9:
        tab(e, builtins, tabbed);
        again = 1;
        break;
      case 16: case K_UP: /* Ctrl-P */
        if (!hist) break;
        if (hist == history_len()) {
          memcpy(typing, e->buf, (size_t)e->len);
          typing[e->len] = 0;
        }
        replace(e, history_at(--hist));
        break;
      case 14: case K_DOWN: /* Ctrl-N */
        if (hist == history_len()) break;
        hist++;
        replace(e, hist == history_len() ? typing : history_at(hist));
        break;
      default:
        if (c >= 32 && c != 127 && c < 256) {
          char ch = (char)c;
          insert(e, &ch, 1);
        }
    }
  }
}

static struct termios cooked; /* the terminal as the shell found it */
static int have_cooked;

int lineedit(const char *prompt, char *buf, const char *const *builtins) {
  /* Saved once: a program that dies in raw mode leaves the terminal so,
   * and the modes restored after the next line are the good ones. */
  if (!have_cooked) {
    if (tcgetattr(0, &cooked) < 0) return LE_NOTTY;
    have_cooked = 1;
  }
  struct termios raw = cooked;
  raw.c_lflag &= ~(unsigned)(ICANON | ECHO | ISIG | IEXTEN);
  raw.c_iflag &= ~(unsigned)ICRNL;
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;
  /* Before the prompt: what is typed once it shows is the editor's. */
  if (tcsetattr(0, TCSANOW, &raw) < 0) return LE_NOTTY;
  newline = (cooked.c_oflag & OPOST) && (cooked.c_oflag & ONLCR) ? "\n" : "\r\n";
  struct winsize ws;
  struct ed e = {.buf = buf, .prompt = prompt};
  e.cols = ioctl(0, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 2 ? ws.ws_col : 80;
  e.plen = width(prompt, (int)strlen(prompt));
  put(&e, prompt, (int)strlen(prompt));
  e.shown = e.pos;
  int r = edit(&e, builtins);
  flush();
  tcsetattr(0, TCSANOW, &cooked);
  buf[r >= 0 ? r : 0] = 0;
  return r;
}
