/* libgreet.ko: a module that only exports a function, for others. */
#include "kernel.h"
#include "module.h"

static int greetings;

int greet(const char *from) {
  greetings++;
  printk("libgreet: greeting %d, from %s\n", greetings, from);
  return greetings;
}
EXPORT_SYMBOL(greet);

MODULE_NAME("libgreet");
MODULE_DESCRIPTION("exports greet() to other modules");
MODULE_LICENSE("MIT");
