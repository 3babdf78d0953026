/* Recurses without end when loaded: the kernel stack runs into its guard
 * page, and the kernel must say so (a "kernel stack overflow" panic from
 * the double-fault task) instead of writing over its neighbours. */
#include "kernel.h"
#include "module.h"

static volatile u32 bottom = 0xffffffff; /* never reached: 4 GiB of frames */

static __attribute__((noinline)) u32 deeper(volatile u32 n) {
  volatile u32 frame[16];
  if (n == bottom) return 0;
  frame[n & 15] = n;
  return deeper(n + 1) + frame[0];
}

static int stackbomb_init(void) { return (int)deeper(0); }

module_init(stackbomb_init);
MODULE_NAME("stackbomb");
MODULE_LICENSE("MIT");
