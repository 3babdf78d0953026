/* The benchmark workloads are freestanding C: each defines bench(), which
 * returns a checksum. The same file runs as a Multiboot guest (cstart.S)
 * and natively (bench/native-main.c) as the physical reference; the
 * native run's checksum is the one the emulators must match. */
#ifndef BENCH_H
#define BENCH_H
typedef unsigned int u32;
typedef unsigned char u8;
typedef unsigned long usize;
u32 bench(void);

/* Copies and fills through the string instructions, on i386 and x86-64. */
static inline void copy_bytes(void *d, const void *s, usize n) {
  __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
}

static inline void fill_bytes(void *d, u8 v, usize n) {
  __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(v) : "memory");
}

static inline u32 xorshift(u32 *s) {
  u32 x = *s;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *s = x;
}
#endif
