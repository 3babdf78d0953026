/* %f %e %g (and %F %E %G) of a double, as glibc prints them: the double's
 * exact binary value written in decimal (every double is a finite decimal
 * fraction: m * 2^-k = m * 5^k / 10^k), then rounded once to the digits
 * asked for, to nearest with ties to even. So printf("%.2f", 0.125) is
 * 0.12, printf("%.0f", 2.5) is 2 and printf("%.1f", 0.15) is 0.1 (0.15 is
 * 0.1499999999999999944... in binary). Integer arithmetic only (bignum.c):
 * no FPU rounding or precision setting can change a digit. */
#include <stdint.h>
#include "bignum.h"
#include "fmtfloat.h"

/* A double's 53-bit mantissa times 5^1074 has 767 digits; 9 at a time. */
#define MAX_DIGITS 780

/* A finite value as 0.d[0]d[1]...d[n-1] * 10^exp10, d[0] and d[n-1] not
 * '0'; n is 0 for zero. */
struct decimal {
  char d[MAX_DIGITS];
  int n, exp10;
};

static void exact(struct decimal *x, uint64_t bits) {
  int e = (int)(bits >> 52 & 0x7ff);
  uint64_t m = bits & ((1ull << 52) - 1);
  if (e) m |= 1ull << 52;
  else e = 1; /* denormal */
  e -= 1075;  /* the value is m * 2^e */
  x->n = 0;
  x->exp10 = 0;
  if (!m) return;
  struct big b;
  big_set(&b, m);
  int point = 0; /* decimal digits after the point */
  if (e >= 0) big_shl(&b, e);
  else big_mul_pow(&b, 5, point = -e);
  char rev[MAX_DIGITS + 9]; /* least significant first */
  int n = 0;
  while (b.n)
    for (uint32_t r = big_divmod(&b, 1000000000), i = 0; i < 9; i++, r /= 10) rev[n++] = (char)('0' + r % 10);
  while (rev[n - 1] == '0') n--;
  int low = 0;
  while (rev[low] == '0') low++;
  x->exp10 = n - point;
  for (int i = n - 1; i >= low; i--) x->d[x->n++] = rev[i];
}

/* Keeps the first keep digits (none when keep <= 0), rounding the rest
 * away to nearest, a tie (exactly 5 then nothing) to an even last digit. */
static void round_to(struct decimal *x, int keep) {
  if (keep >= x->n) return;
  int up;
  if (keep < 0) up = 0;
  else if (x->d[keep] != '5') up = x->d[keep] > '5';
  else up = keep + 1 < x->n || (keep > 0 && (x->d[keep - 1] & 1)); /* '1' is odd too */
  x->n = keep < 0 ? 0 : keep;
  if (up) {
    int i = x->n - 1;
    while (i >= 0 && x->d[i] == '9') i--;
    if (i < 0) {
      x->d[0] = '1'; /* 999.. + 1, or 0.5 and up rounded to 1 */
      x->n = 1;
      x->exp10++;
    } else {
      x->d[i]++;
      x->n = i + 1;
    }
  }
  while (x->n && x->d[x->n - 1] == '0') x->n--;
}

/* The digit at position i (0: the first after 0.), '0' outside them. */
static char digit(const struct decimal *x, int i) { return i >= 0 && i < x->n ? x->d[i] : '0'; }

/* Where the characters go; with no out, only counted (for the padding). */
struct sink {
  void (*out)(void *ctx, char c);
  void *ctx;
  int count;
};

static void put(struct sink *s, char c) {
  s->count++;
  if (s->out) s->out(s->ctx, c);
}

/* prec digits after the point; trim: %g's dropping of trailing zeros. */
static void fixed(struct sink *s, const struct decimal *x, int prec, int alt, int trim) {
  if (x->exp10 <= 0) put(s, '0');
  for (int i = 0; i < x->exp10; i++) put(s, digit(x, i));
  if (trim) while (prec > 0 && digit(x, x->exp10 + prec - 1) == '0') prec--;
  if (prec > 0 || alt) put(s, '.');
  for (int i = 0; i < prec; i++) put(s, digit(x, x->exp10 + i));
}

static void scientific(struct sink *s, const struct decimal *x, int prec, int alt, int trim, int upper) {
  put(s, digit(x, 0));
  if (trim) while (prec > 0 && digit(x, prec) == '0') prec--;
  if (prec > 0 || alt) put(s, '.');
  for (int i = 1; i <= prec; i++) put(s, digit(x, i));
  int e = x->n ? x->exp10 - 1 : 0;
  put(s, upper ? 'E' : 'e');
  put(s, e < 0 ? '-' : '+');
  if (e < 0) e = -e;
  if (e >= 100) put(s, (char)('0' + e / 100));
  put(s, (char)('0' + e / 10 % 10));
  put(s, (char)('0' + e % 10));
}

struct layout {
  const struct decimal *x;
  const char *word; /* inf or nan instead of digits */
  int scientific, prec, alt, trim, upper;
};

static void body(struct sink *s, const struct layout *l) {
  if (l->word) {
    for (const char *w = l->word; *w; w++) put(s, l->upper ? (char)(*w - 'a' + 'A') : *w);
  } else if (l->scientific) {
    scientific(s, l->x, l->prec, l->alt, l->trim, l->upper);
  } else {
    fixed(s, l->x, l->prec, l->alt, l->trim);
  }
}

void format_double(double v, const struct fmt_spec *spec, void (*out)(void *ctx, char c), void *ctx) {
  union { double d; uint64_t u; } bits = {v};
  char conv = spec->conv | 0x20;
  int prec = spec->prec < 0 ? 6 : spec->prec;
  struct decimal x;
  struct layout l = {&x, 0, conv == 'e', prec, spec->alt, 0, spec->conv != conv};
  if ((bits.u >> 52 & 0x7ff) == 0x7ff) {
    l.word = bits.u << 12 ? "nan" : "inf";
  } else {
    exact(&x, bits.u);
    if (conv == 'f') {
      round_to(&x, x.exp10 + prec);
    } else if (conv == 'e') {
      round_to(&x, prec + 1);
    } else {
      /* %g: %e's exponent X after rounding to P significant digits picks
       * %f with P-1-X decimals (-4 <= X < P) or %e with P-1 */
      int p = prec ? prec : 1;
      round_to(&x, p);
      int e = x.n ? x.exp10 - 1 : 0;
      l.scientific = e < -4 || e >= p;
      l.prec = l.scientific ? p - 1 : p - 1 - e;
      l.trim = !spec->alt;
    }
  }
  char sign = bits.u >> 63 ? '-' : spec->plus ? '+' : spec->space ? ' ' : 0;
  struct sink count = {0, 0, 0};
  body(&count, &l);
  int pad = spec->width - count.count - (sign != 0);
  struct sink s = {out, ctx, 0};
  int zeros = spec->zero && !spec->left && !l.word;
  if (!spec->left && !zeros) while (pad-- > 0) put(&s, ' ');
  if (sign) put(&s, sign);
  if (zeros) while (pad-- > 0) put(&s, '0');
  body(&s, &l);
  if (spec->left) while (pad-- > 0) put(&s, ' ');
}
