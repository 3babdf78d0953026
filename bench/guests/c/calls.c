/* Function calls and recursion: naive Fibonacci and Ackermann. */
#include "bench.h"

__attribute__((noinline)) static u32 fib(u32 n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

__attribute__((noinline)) static u32 ack(u32 m, u32 n) {
  if (m == 0) return n + 1;
  if (n == 0) return ack(m - 1, 1);
  return ack(m - 1, ack(m, n - 1));
}

u32 bench(void) { return fib(27) * 31 + ack(2, 2000) + ack(3, 5); }
