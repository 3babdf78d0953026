#include "rt.h"
#include "x86.h"

int verbose;

void putc_serial(char c) {
  while ((inb(0x3FD) & 0x20) == 0)
    ;
  outb(0x3F8, (u8)c);
}

static void puts_raw(const char *s) {
  while (*s) putc_serial(*s++);
}

static void put_hex(u32 v, int width) {
  char buf[8];
  int n = 0;
  do {
    buf[n++] = "0123456789abcdef"[v & 15];
    v >>= 4;
  } while (v);
  while (width-- > n) putc_serial('0');
  while (n) putc_serial(buf[--n]);
}

static void put_dec(u32 v) {
  char buf[10];
  int n = 0;
  do {
    buf[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n) putc_serial(buf[--n]);
}

/* %x, %08x-style widths, %u, %s, %c. Newlines go out as CR LF. */
void printf(const char *fmt, ...) {
  __builtin_va_list ap;
  __builtin_va_start(ap, fmt);
  for (; *fmt; fmt++) {
    if (*fmt != '%') {
      if (*fmt == '\n') putc_serial('\r');
      putc_serial(*fmt);
      continue;
    }
    fmt++;
    int width = 0;
    while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
    switch (*fmt) {
    case 'x': put_hex(__builtin_va_arg(ap, u32), width); break;
    case 'u': put_dec(__builtin_va_arg(ap, u32)); break;
    case 's': puts_raw(__builtin_va_arg(ap, const char *)); break;
    case 'c': putc_serial((char)__builtin_va_arg(ap, int)); break;
    default: putc_serial(*fmt); break;
    }
  }
  __builtin_va_end(ap);
}

static u32 state = 2463534242u;

void rnd_seed(u32 seed) { state = seed ? seed : 2463534242u; }

/* xorshift32 (Marsaglia). */
u32 rnd(void) {
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

static const u32 edges[] = {
    0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000,
    0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0x0f, 0x10, 0x8000ffff,
};

u32 operand(void) {
  u32 r = rnd();
  if ((r & 3) == 0) return edges[(r >> 2) % (sizeof edges / sizeof edges[0])];
  return rnd();
}

u32 crc32(u32 crc, u32 v) {
  for (int i = 0; i < 32; i++) {
    u32 bit = (crc ^ v) & 1;
    crc >>= 1;
    v >>= 1;
    if (bit) crc ^= 0xEDB88320u;
  }
  return crc;
}

void tally_begin(struct tally *t, const char *name) {
  t->name = name;
  t->crc = 0xffffffffu;
  t->n = 0;
}

void tally_case(struct tally *t, u32 in0, u32 in1, u32 in2, u32 out0, u32 out1) {
  t->crc = crc32(crc32(crc32(crc32(crc32(t->crc, in0), in1), in2), out0), out1);
  t->n++;
  if (verbose) printf("%s %08x %08x %08x -> %08x %08x\n", t->name, in0, in1, in2, out0, out1);
}

void tally_end(struct tally *t) { printf("%s %u %08x\n", t->name, t->n, ~t->crc); }

struct mb_info {
  u32 flags, mem_lower, mem_upper, boot_device, cmdline;
};

static int has_word(const char *s, const char *w) {
  for (; *s; s++) {
    const char *a = s, *b = w;
    while (*b && *a == *b) a++, b++;
    if (!*b && (*a == 0 || *a == ' ')) return 1;
  }
  return 0;
}

const char *rt_cmdline = "";

int rt_main(u32 magic, struct mb_info *mb) {
  if (magic == 0x2BADB002 && (mb->flags & 4)) rt_cmdline = (const char *)mb->cmdline;
  verbose = has_word(rt_cmdline, "verbose");
  return main();
}
