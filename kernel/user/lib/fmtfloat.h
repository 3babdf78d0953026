/* printf's floating-point conversions (fmtfloat.c), called from stdio.c. */
#ifndef FMTFLOAT_H
#define FMTFLOAT_H

struct fmt_spec {
  char conv;          /* f F e E g G */
  int width, prec;    /* prec < 0: the default, 6 */
  int left, zero, plus, space, alt; /* the flags - 0 + space # */
};

void format_double(double v, const struct fmt_spec *s, void (*out)(void *ctx, char c), void *ctx);
#endif
