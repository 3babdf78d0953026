/* Floating point through the x87: printf's %f %e %g %a, strtod, long
 * double, and libm (sqrt, sin, exp, log, pow...), printed to fewer digits
 * than a double holds where a function's last bit may differ between
 * implementations of the transcendentals. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  double v[] = {0.0, -0.0, 1.0, 0.1, 1.0 / 3, 2.5, 3.5, 1e-300, 1.7976931348623157e308, 123456789.125, -42.75, 5e-324};
  for (unsigned i = 0; i < sizeof v / sizeof v[0]; i++)
    printf("%g | %.3f | %e | %.17g | %a\n", v[i], v[i], v[i], v[i], v[i]);
  printf("%f %f %f\n", INFINITY, -INFINITY, NAN);
  printf("%10.4f|%-10.2e|%+.0f|%#.0f\n", 3.14159265, 31415.9265, 2.5, 3.0);
  const char *s[] = {"0.1", "1e10", "-2.5e-3", "0x1.8p1", "inf", "nan", "1e400", "4.9e-324", "123abc"};
  for (unsigned i = 0; i < sizeof s / sizeof s[0]; i++) {
    char *end;
    double d = strtod(s[i], &end);
    printf("strtod(%s) = %.17g, rest [%s]\n", s[i], d, end);
  }
  long double ld = 1.0L / 3;
  printf("long double: %.20Lf %Lg\n", ld, ld * 1e100L);
  float f = 16777217.0f;
  printf("float: %.1f %.9g\n", f, (double)(1.0f / 3));
  printf("sqrt %.15g cbrt %.12g hypot %.12g fabs %g floor %g ceil %g round %g trunc %g fmod %g\n", sqrt(2.0), cbrt(27.0),
         hypot(3, 4), fabs(-2.5), floor(-2.5), ceil(-2.5), round(2.5), trunc(-2.7), fmod(7.5, 2));
  printf("sin %.12f cos %.12f tan %.12f atan2 %.12f\n", sin(1.0), cos(1.0), tan(1.0), atan2(1, -1));
  printf("exp %.12g log %.12g log10 %.12g log2 %.12g pow %.12g\n", exp(1.0), log(10.0), log10(1234.5), log2(1024.0), pow(2.0, 0.5));
  printf("asin %.12f acos %.12f sinh %.12g tanh %.12g\n", asin(0.5), acos(0.5), sinh(1.0), tanh(0.5));
  double sum = 0;
  for (int i = 1; i <= 100000; i++) sum += 1.0 / ((double)i * i);
  printf("sum of 1/n^2: %.12f (pi^2/6 %.12f)\n", sum, M_PI * M_PI / 6);
  printf("DBL_EPSILON %g DBL_MAX %g LDBL_DIG %d\n", DBL_EPSILON, DBL_MAX, LDBL_DIG);
  printf("rint %g %g, nearbyint %g, lrint %ld\n", rint(0.5), rint(1.5), nearbyint(-0.5), lrint(2.5));
  printf("isnan %d isinf %d signbit %d\n", isnan(NAN), isinf(-INFINITY), signbit(-0.0));
  return 0;
}
