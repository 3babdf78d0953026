/* Formatted output: %s %c %d %u %x %p %%, with an optional '0' flag, a
 * field width and the 'l' length modifier (ignored: int is long here). */
#include "kernel.h"
#include "proc.h"
#include "module.h"
#include "fs.h"

struct out {
  char *buf;
  size_t size;
  size_t len;
};

static void emit(struct out *o, char c) {
  if (o->len + 1 < o->size) o->buf[o->len] = c;
  o->len++;
}

static void emit_num(struct out *o, u32 v, unsigned base, int neg, int width, char pad) {
  char tmp[12];
  int n = 0;
  do {
    tmp[n++] = "0123456789abcdef"[v % base];
    v /= base;
  } while (v);
  if (neg) tmp[n++] = '-';
  while (width-- > n) emit(o, pad);
  while (n) emit(o, tmp[--n]);
}

int vsnprintk(char *buf, size_t size, const char *fmt, va_list ap) {
  struct out o = {buf, size, 0};
  for (; *fmt; fmt++) {
    if (*fmt != '%') {
      emit(&o, *fmt);
      continue;
    }
    fmt++;
    char pad = ' ';
    int width = 0;
    if (*fmt == '0') pad = '0', fmt++;
    while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
    while (*fmt == 'l') fmt++;
    switch (*fmt) {
    case 's': {
      const char *s = va_arg(ap, const char *);
      if (!s) s = "(null)";
      int n = (int)strlen(s);
      while (width-- > n) emit(&o, ' ');
      while (*s) emit(&o, *s++);
      break;
    }
    case 'c': emit(&o, (char)va_arg(ap, int)); break;
    case 'd': {
      int v = va_arg(ap, int);
      emit_num(&o, v < 0 ? -(u32)v : (u32)v, 10, v < 0, width, pad);
      break;
    }
    case 'u': emit_num(&o, va_arg(ap, u32), 10, 0, width, pad); break;
    case 'x': emit_num(&o, va_arg(ap, u32), 16, 0, width, pad); break;
    case 'p': emit(&o, '0'), emit(&o, 'x'); emit_num(&o, va_arg(ap, u32), 16, 0, 8, '0'); break;
    case '%': emit(&o, '%'); break;
    case 0: fmt--; break;
    default: emit(&o, '%'); emit(&o, *fmt); break;
    }
  }
  if (size) buf[o.len < size ? o.len : size - 1] = 0;
  return (int)o.len;
}

int snprintk(char *buf, size_t size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintk(buf, size, fmt, ap);
  va_end(ap);
  return n;
}

/* The kernel log: everything printk said, the last KLOG_SIZE bytes of it,
 * for dmesg through /proc/kmsg. */
#define KLOG_SIZE 16384
static char klog[KLOG_SIZE];
static u32 klog_total;

int klog_read(void *buf, u32 off, u32 n, int user) {
  u32 first = klog_total > KLOG_SIZE ? klog_total - KLOG_SIZE : 0;
  u32 len = klog_total - first;
  if (off >= len) return 0;
  if (n > len - off) n = len - off;
  for (u32 done = 0; done < n;) {
    u32 at = (first + off + done) % KLOG_SIZE;
    u32 chunk = KLOG_SIZE - at < n - done ? KLOG_SIZE - at : n - done;
    if (copy_out(user, (u8 *)buf + done, klog + at, chunk) < 0) return done ? (int)done : -EFAULT;
    done += chunk;
  }
  return (int)n;
}

int printk(const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintk(buf, sizeof buf, fmt, ap);
  va_end(ap);
  for (const char *p = buf; *p; p++) {
    console_putc(*p);
    klog[klog_total++ % KLOG_SIZE] = *p;
  }
  return n;
}

EXPORT_SYMBOL(printk);
EXPORT_SYMBOL(snprintk);
EXPORT_SYMBOL(vsnprintk);

#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_SIZE_UNREAD 9
#define SYSLOG_ACTION_SIZE_BUFFER 10

/* syslog (klogctl): the log as dmesg reads it (READ_ALL: the last len
 * bytes), its size; the other actions (console levels, clearing) change
 * nothing here and succeed for root. */
int sys_syslog(u32 type, u32 buf, u32 len) {
  u32 first = klog_total > KLOG_SIZE ? klog_total - KLOG_SIZE : 0, have = klog_total - first;
  switch (type) {
    case SYSLOG_ACTION_READ_ALL:
      if ((s32)len < 0) return -EINVAL;
      if (len > have) len = have;
      return klog_read((void *)buf, have - len, len, 1);
    case SYSLOG_ACTION_SIZE_UNREAD: case SYSLOG_ACTION_SIZE_BUFFER:
      return (int)(type == SYSLOG_ACTION_SIZE_BUFFER ? KLOG_SIZE : have);
    case 0: case 1: case 5: case 6: case 7: case 8:
      return is_root() ? 0 : -EPERM;
    default:
      return -EINVAL;
  }
}
