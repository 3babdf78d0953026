/* time: the wall clock against the monotonic one, sleeping (nanosleep,
 * clock_nanosleep, usleep) for at least as long as asked, CPU time, and
 * broken-down time (gmtime, mktime, strftime) of fixed dates. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/time.h>
#include <sys/times.h>
#include <unistd.h>

static double now(clockid_t c) {
  struct timespec t;
  clock_gettime(c, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

int main(void) {
  time_t t = time(NULL);
  struct timeval tv;
  gettimeofday(&tv, NULL);
  printf("time and gettimeofday agree: %s\n", tv.tv_sec - t <= 1 && tv.tv_sec >= t ? "yes" : "no");
  printf("after 2020: %s\n", t > 1577836800 ? "yes" : "no");
  double m0 = now(CLOCK_MONOTONIC);
  struct timespec req = {0, 50 * 1000 * 1000};
  nanosleep(&req, NULL);
  double m1 = now(CLOCK_MONOTONIC);
  printf("nanosleep 50 ms: at least 50 ms: %s\n", m1 - m0 >= 0.049 ? "yes" : "no");
  clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL);
  usleep(20000);
  double m2 = now(CLOCK_MONOTONIC);
  printf("clock_nanosleep and usleep: at least 70 ms more: %s\n", m2 - m1 >= 0.069 ? "yes" : "no");
  struct timespec abs;
  clock_gettime(CLOCK_MONOTONIC, &abs);
  abs.tv_nsec += 30 * 1000 * 1000;
  if (abs.tv_nsec >= 1000000000) abs.tv_sec++, abs.tv_nsec -= 1000000000;
  clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);
  printf("absolute sleep reached its time: %s\n", now(CLOCK_MONOTONIC) >= abs.tv_sec + abs.tv_nsec / 1e9 - 1e-9 ? "yes" : "no");
  volatile unsigned long x = 0;
  for (unsigned long i = 0; i < 3000000; i++) x += i;
  struct tms tm;
  clock_t ticks = times(&tm);
  printf("times: ticks %s, CPU time counted: %s\n", ticks != (clock_t)-1 ? "ok" : "failed", tm.tms_utime + tm.tms_stime >= 0 ? "yes" : "no");
  printf("clock() not negative: %s\n", clock() >= 0 ? "yes" : "no");
  struct timespec res;
  printf("clock_getres: %s\n", clock_getres(CLOCK_REALTIME, &res) == 0 && res.tv_nsec > 0 ? "ok" : "failed");

  setenv("TZ", "UTC0", 1);
  tzset();
  time_t fixed[] = {0, 951782400, 1234567890, 2147483647, 1735689600};
  for (unsigned i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
    struct tm *g = gmtime(&fixed[i]);
    char buf[96];
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %a %b %j %U %Z", g);
    time_t back = mktime(g);
    printf("%ld: %s, mktime %ld\n", (long)fixed[i], buf, (long)back);
  }
  struct tm leap = {.tm_year = 124, .tm_mon = 1, .tm_mday = 29, .tm_hour = 12};
  printf("2024-02-29 + 1 day: ");
  leap.tm_mday++;
  mktime(&leap);
  printf("%04d-%02d-%02d wday %d\n", leap.tm_year + 1900, leap.tm_mon + 1, leap.tm_mday, leap.tm_wday);
  char when[64];
  struct tm *lt = localtime(&fixed[2]);
  strftime(when, sizeof when, "%c", lt);
  printf("%%c: %s; asctime: %s", when, asctime(lt));
  return 0;
}
