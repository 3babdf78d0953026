/* Double-precision floating point through the x87: an n-body simulation
 * (sqrt, divides), a dense matrix product, a Mandelbrot escape count and
 * int/double conversions. The precision control is set to 53 bits, so
 * every x87 result is the double that SSE2 gives natively and the native
 * run's checksum is the one to match. */
#include "bench.h"

typedef unsigned long long u64;

static void double_precision(void) {
#if defined(__i386__)
  unsigned short cw = 0x027f; /* all exceptions masked, 53-bit precision, nearest */
  __asm__ volatile("fldcw %0" : : "m"(cw));
#endif
}

static double sqrt_(double x) {
#if defined(__i386__)
  __asm__("fsqrt" : "+t"(x));
  return x;
#else
  __asm__("sqrtsd %1, %0" : "=x"(x) : "x"(x));
  return x;
#endif
}

static u32 fold(u32 h, double d) {
  union { double d; u64 u; } v = { d };
  h = (h ^ (u32)v.u) * 16777619u;
  return (h ^ (u32)(v.u >> 32)) * 16777619u;
}

/* Five bodies, as in the benchmarks game's n-body (made-up masses). */
struct body { double x, y, z, vx, vy, vz, m; };

static struct body b[5] = {
  { 0, 0, 0, 0, 0, 0, 39.47 },
  { 4.84, -1.16, -0.10, 0.606, 2.81, -0.025, 0.037 },
  { 8.34, 4.12, -0.40, -1.01, 1.82, 0.008, 0.011 },
  { 12.89, -15.11, -0.22, 1.08, 0.868, -0.010, 0.0017 },
  { 15.37, -25.91, 0.179, 0.979, 0.594, -0.034, 0.0020 },
};

static u32 nbody(int steps) {
  const double dt = 0.01;
  for (int s = 0; s < steps; s++) {
    for (int i = 0; i < 5; i++)
      for (int j = i + 1; j < 5; j++) {
        double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
        double d2 = dx * dx + dy * dy + dz * dz;
        double mag = dt / (d2 * sqrt_(d2));
        b[i].vx -= dx * b[j].m * mag; b[i].vy -= dy * b[j].m * mag; b[i].vz -= dz * b[j].m * mag;
        b[j].vx += dx * b[i].m * mag; b[j].vy += dy * b[i].m * mag; b[j].vz += dz * b[i].m * mag;
      }
    for (int i = 0; i < 5; i++) { b[i].x += dt * b[i].vx; b[i].y += dt * b[i].vy; b[i].z += dt * b[i].vz; }
  }
  u32 h = 2166136261u;
  for (int i = 0; i < 5; i++) h = fold(fold(fold(h, b[i].x), b[i].y), b[i].vz);
  return h;
}

#define N 48
static double A[N][N], B[N][N], C[N][N];

static u32 matrix(int rounds) {
  u32 seed = 12345, h = 2166136261u;
  for (int r = 0; r < rounds; r++) {
    for (int i = 0; i < N; i++)
      for (int j = 0; j < N; j++) {
        A[i][j] = (double)(int)(xorshift(&seed) % 2001 - 1000) / 256.0;
        B[i][j] = (double)(int)(xorshift(&seed) % 2001 - 1000) / 1024.0;
      }
    for (int i = 0; i < N; i++)
      for (int j = 0; j < N; j++) {
        double s = 0;
        for (int k = 0; k < N; k++) s += A[i][k] * B[k][j];
        C[i][j] = s;
      }
    for (int i = 0; i < N; i++) h = fold(h, C[i][(i * 7) % N]);
  }
  return h;
}

static u32 mandel(int size, int iters) {
  u32 total = 0;
  for (int py = 0; py < size; py++)
    for (int px = 0; px < size; px++) {
      double cr = -2.0 + 2.5 * px / size, ci = -1.25 + 2.5 * py / size, zr = 0, zi = 0;
      int n = 0;
      while (n < iters && zr * zr + zi * zi < 4.0) {
        double t = zr * zr - zi * zi + cr;
        zi = 2.0 * zr * zi + ci;
        zr = t;
        n++;
      }
      total = total * 31 + (u32)n;
    }
  return total;
}

/* int <-> double both ways, as in code that mixes counters and averages. */
static u32 convert(int n) {
  u32 seed = 777, h = 0;
  double acc = 0;
  for (int i = 0; i < n; i++) {
    int v = (int)(xorshift(&seed) & 0xffff) - 0x8000;
    acc = acc * 0.999 + v;
    h = h * 33 + (u32)(int)(acc / 16.0);
  }
  return h;
}

u32 bench(void) {
  double_precision();
  return nbody(15000) ^ matrix(3) * 3 ^ mandel(80, 200) * 5 ^ convert(100000) * 7;
}
