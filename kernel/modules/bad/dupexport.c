/* dupexport.ko: exports greet, as libgreet.ko does. Whichever loads
 * second must be refused with -ENOEXEC, as Linux refuses a duplicate. */
#include "kernel.h"
#include "module.h"

int greet(const char *from) {
  printk("dupexport: not the real greet, for %s\n", from);
  return 0;
}
EXPORT_SYMBOL(greet);

MODULE_NAME("dupexport");
MODULE_LICENSE("MIT");
