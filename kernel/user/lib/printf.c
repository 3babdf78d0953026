/* A small printf for user programs: %d %u %x %s %c, written with one
 * write() per call. */
#include "sys.h"

typedef __builtin_va_list va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, type) __builtin_va_arg(ap, type)
#define va_end(ap) __builtin_va_end(ap)

int printf(const char *fmt, ...) {
  char buf[512];
  u32 n = 0;
  va_list ap;
  va_start(ap, fmt);
  for (const char *f = fmt; *f && n < sizeof buf - 12; f++) {
    if (*f != '%') { buf[n++] = *f; continue; }
    char c = *++f;
    if (c == 's') {
      const char *s = va_arg(ap, const char *);
      while (*s && n < sizeof buf - 12) buf[n++] = *s++;
    } else if (c == 'c') {
      buf[n++] = (char)va_arg(ap, int);
    } else if (c == 'd' || c == 'u' || c == 'x') {
      u32 v = va_arg(ap, u32);
      if (c == 'd' && (int)v < 0) { buf[n++] = '-'; v = -v; }
      char tmp[12];
      int k = 0;
      u32 base = c == 'x' ? 16 : 10;
      do { tmp[k++] = "0123456789abcdef"[v % base]; v /= base; } while (v);
      while (k) buf[n++] = tmp[--k];
    } else if (c) {
      buf[n++] = c;
    } else {
      break;
    }
  }
  va_end(ap);
  return write(1, buf, n);
}
