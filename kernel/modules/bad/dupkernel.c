/* dupkernel.ko: brings and exports its own strlen, a name the kernel
 * exports. It must be refused with -ENOEXEC, as Linux refuses it. */
#include "kernel.h"
#include "module.h"

size_t strlen(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}
EXPORT_SYMBOL(strlen);

MODULE_NAME("dupkernel");
MODULE_LICENSE("MIT");
