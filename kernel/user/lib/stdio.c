/* Formatted output: %d %i %u %x %X %o %s %c %p %%, and %f %e %g %F %E %G
 * for doubles (fmtfloat.c); the flags '-' and '0', '+' and ' ' for signed
 * conversions, '#' for the floating-point ones; a field width and a
 * precision for strings and doubles (either may be '*'), and the l/ll/h
 * length modifiers. Each printf is one write(). */
#include "stdio.h"
#include "string.h"
#include "errno.h"
#include "unistd.h"
#include "fmtfloat.h"

static FILE files[3] = {{0}, {1}, {2}};
FILE *stdin = &files[0], *stdout = &files[1], *stderr = &files[2];

struct out { char *buf; size_t size, len; };

static void emit(struct out *o, char c) {
  if (o->len + 1 < o->size) o->buf[o->len] = c;
  o->len++;
}

static void pad(struct out *o, int n, char c) {
  while (n-- > 0) emit(o, c);
}

static void emit_to(void *o, char c) { emit(o, c); }

/* sign: '-', '+', ' ' or 0 for none. */
static void number(struct out *o, unsigned long long v, unsigned base, char sign, int width, int left, char fill, int upper) {
  char tmp[24];
  int n = 0;
  const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  do { tmp[n++] = digits[v % base]; v /= base; } while (v);
  int len = n + (sign != 0);
  if (!left && fill == ' ') pad(o, width - len, ' ');
  if (sign) emit(o, sign);
  if (!left && fill == '0') pad(o, width - len, '0');
  while (n) emit(o, tmp[--n]);
  if (left) pad(o, width - len, ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) {
  struct out o = {buf, size, 0};
  for (; *fmt; fmt++) {
    if (*fmt != '%') { emit(&o, *fmt); continue; }
    fmt++;
    int left = 0, width = 0, prec = -1, longs = 0, plus = 0, space = 0, alt = 0;
    char fill = ' ';
    for (;; fmt++) {
      if (*fmt == '-') left = 1;
      else if (*fmt == '0') fill = '0';
      else if (*fmt == '+') plus = 1;
      else if (*fmt == ' ') space = 1;
      else if (*fmt == '#') alt = 1;
      else break;
    }
    if (*fmt == '*') {
      width = va_arg(ap, int);
      if (width < 0) left = 1, width = -width;
      fmt++;
    }
    while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
    if (*fmt == '.') {
      prec = 0;
      fmt++;
      if (*fmt == '*') { prec = va_arg(ap, int); fmt++; }
      while (*fmt >= '0' && *fmt <= '9') prec = prec * 10 + (*fmt++ - '0');
    }
    while (*fmt == 'l' || *fmt == 'h') longs += *fmt++ == 'l';
    switch (*fmt) {
      case 'd': case 'i': {
        long long v = longs > 1 ? va_arg(ap, long long) : va_arg(ap, int);
        char sign = v < 0 ? '-' : plus ? '+' : space ? ' ' : 0;
        number(&o, v < 0 ? -(unsigned long long)v : (unsigned long long)v, 10, sign, width, left, fill, 0);
        break;
      }
      case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': {
        struct fmt_spec s = {*fmt, width, prec, left, fill == '0', plus, space, alt};
        format_double(va_arg(ap, double), &s, emit_to, &o);
        break;
      }
      case 'u': case 'x': case 'X': case 'o': {
        unsigned long long v = longs > 1 ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);
        number(&o, v, *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16, 0, width, left, fill, *fmt == 'X');
        break;
      }
      case 'p':
        emit(&o, '0'), emit(&o, 'x');
        number(&o, (unsigned)va_arg(ap, void *), 16, 0, 0, 0, ' ', 0);
        break;
      case 's': {
        const char *s = va_arg(ap, const char *);
        if (!s) s = "(null)";
        int n = (int)strlen(s);
        if (prec >= 0 && n > prec) n = prec;
        if (!left) pad(&o, width - n, ' ');
        for (int i = 0; i < n; i++) emit(&o, s[i]);
        if (left) pad(&o, width - n, ' ');
        break;
      }
      case 'c':
        if (!left) pad(&o, width - 1, ' ');
        emit(&o, (char)va_arg(ap, int));
        if (left) pad(&o, width - 1, ' ');
        break;
      case '%': emit(&o, '%'); break;
      case 0: fmt--; break;
      default: emit(&o, '%'); emit(&o, *fmt); break;
    }
  }
  if (size) buf[o.len < size ? o.len : size - 1] = 0;
  return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, size, fmt, ap);
  va_end(ap);
  return n;
}

/* Formats into a stack buffer; longer output is written in pieces by a
 * second pass into a bigger one only when needed. */
int vdprintf(int fd, const char *fmt, va_list ap) {
  char buf[1024];
  va_list again;
  va_copy(again, ap);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  if (n < (int)sizeof buf) {
    va_end(again);
    return write(fd, buf, (size_t)n) < 0 ? -1 : n;
  }
  char big[8192];
  n = vsnprintf(big, sizeof big, fmt, again);
  va_end(again);
  if (n >= (int)sizeof big) n = sizeof big - 1;
  return write(fd, big, (size_t)n) < 0 ? -1 : n;
}

int dprintf(int fd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vdprintf(fd, fmt, ap);
  va_end(ap);
  return n;
}

int printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vdprintf(1, fmt, ap);
  va_end(ap);
  return n;
}

int fprintf(FILE *f, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vdprintf(f->fd, fmt, ap);
  va_end(ap);
  return n;
}

int fputs(const char *s, FILE *f) { return write(f->fd, s, strlen(s)) < 0 ? EOF : 0; }
int puts(const char *s) { return printf("%s\n", s) < 0 ? EOF : 0; }

int putchar(int c) {
  char ch = (char)c;
  return write(1, &ch, 1) == 1 ? c : EOF;
}

void perror(const char *what) {
  if (what && *what) dprintf(2, "%s: %s\n", what, strerror(errno));
  else dprintf(2, "%s\n", strerror(errno));
}
