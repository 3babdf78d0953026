/* printf's %f %e %g and strtod on a table of doubles: zeros, halfway
 * cases, the extremes, denormals, infinities and NaNs. Plain C with only
 * standard calls, so that the host's compiler and C library print the
 * lines test/kernel/fpu.test.ts expects:
 *   gcc -o /tmp/floatfmt kernel/user/floatfmt.c && /tmp/floatfmt */
#include <stdio.h>
#include <stdlib.h>

#define V(x) {x, #x}
static const struct { double v; const char *text; } values[] = {
  V(0.0), V(-0.0), V(1.0), V(-1.5), V(0.1), V(0.125), V(0.375), V(2.5), V(3.5), V(-2.5), V(0.5), V(9.5),
  V(1.005), V(0.15), V(123456.789), V(99999.95), V(0.0001), V(0.00001), V(9.9999e-5), V(999999.5),
  V(1e15), V(1e16), V(1e21), V(123456789012345678.0), V(3.141592653589793), V(-1e-7),
  V(1e300), V(1e-300), V(1.7976931348623157e308), V(2.2250738585072014e-308), V(2.2250738585072009e-308),
  V(4.9406564584124654e-324), V(1.5e-323), V(2.220446049250313e-16),
  {__builtin_inf(), "inf"}, {-__builtin_inf(), "-inf"}, {__builtin_nan(""), "nan"}, {-__builtin_nan(""), "-nan"},
};

static const char *const formats[] = {
  "%f", "%e", "%g", "%.0f", "%.1f", "%.2f", "%.3e", "%.0e", "%.10g", "%.17g", "%.1g", "%.20f", "%.30e",
  "%#.0f", "%#.0e", "%#g", "%#.3g", "%+.4e", "% .3f", "%+g", "%12.4g", "%-12.3e|", "%012.2f", "%-+10.1f|",
  "%010.3e", "%F", "%E", "%G", "%8.0f",
};

static const char *const numbers[] = {
  "0", "-0", "1.5", "0.1", "  +12.5e+2xyz", ".5", "5.", "1e", "1e+", "abc", "-", "1e400", "-1e400",
  "1e-400", "4.9e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "2.2250738585072011e-308",
  "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "123456789012345678901234567890",
  "9007199254740993", "9007199254740993.0000000000000000000000001", "0.1000000000000000055511151231257827",
  "0.1000000000000000055511151231257828", "inf", "-Infinity", "infinit", "nan", "NaN()",
  "000000000000000000000000000000000000000000001e-20",
  "1.00000000000000011102230246251565404236316680908203125",  /* halfway between 1 and the next double */
  "1.000000000000000111022302462515654042363166809082031251",
};

static unsigned long long bits(double d) {
  union { double d; unsigned long long u; } v = {d};
  return v.u;
}

int main(void) {
  char buf[1200];
  for (unsigned i = 0; i < sizeof values / sizeof values[0]; i++)
    for (unsigned j = 0; j < sizeof formats / sizeof formats[0]; j++) {
      snprintf(buf, sizeof buf, formats[j], values[i].v);
      printf("%s %s [%s]\n", values[i].text, formats[j], buf);
    }
  for (unsigned i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
    char *end;
    double d = strtod(numbers[i], &end);
    printf("strtod(\"%s\") = %016llx, %d read\n", numbers[i], bits(d), (int)(end - numbers[i]));
  }
  /* the same halfway case, then 900 zeros and a 1: past what strtod keeps */
  char *p = buf + snprintf(buf, sizeof buf, "%s", "1.00000000000000011102230246251565404236316680908203125");
  for (int i = 0; i < 900; i++) *p++ = '0';
  p[0] = '1', p[1] = 0;
  double d = strtod(buf, &p);
  printf("strtod(halfway, 900 zeros, 1) = %016llx, %d read\n", bits(d), (int)(p - buf));
  printf("atof(\"2.5e-3\") = %016llx\n", bits(atof("2.5e-3")));
  printf("%s|%5s|%-5s|%d|%+d|% d|%05d|%-5d|%x\n", "s", "ab", "ab", -3, 3, 3, -42, 7, 255);
  return 0;
}
