/* 64-bit division for a 32-bit target: the compiler calls these for
 * unsigned long long / and % (what libgcc would provide). */
typedef unsigned long long u64;

static u64 divmod(u64 n, u64 d, u64 *rem) {
  if ((n >> 32) == 0 && (d >> 32) == 0) {
    *rem = (unsigned)n % (unsigned)d;
    return (unsigned)n / (unsigned)d;
  }
  u64 q = 0, r = 0;
  for (int i = 63; i >= 0; i--) {
    r = (r << 1) | ((n >> i) & 1);
    if (r >= d) { r -= d; q |= 1ull << i; }
  }
  *rem = r;
  return q;
}

u64 __udivdi3(u64 n, u64 d) {
  u64 r;
  return divmod(n, d, &r);
}

u64 __umoddi3(u64 n, u64 d) {
  u64 r;
  divmod(n, d, &r);
  return r;
}
