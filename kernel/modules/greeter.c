/* greeter.ko: uses libgreet's greet(), so modprobe loads libgreet first
 * and libgreet cannot be removed while greeter is loaded. */
#include "kernel.h"
#include "module.h"

int greet(const char *from);

static int greeter_init(void) {
  greet("greeter");
  return 0;
}

static void greeter_exit(void) { printk("greeter: bye\n"); }

module_init(greeter_init);
module_exit(greeter_exit);
MODULE_NAME("greeter");
MODULE_DESCRIPTION("calls a function another module exports");
MODULE_LICENSE("MIT");
MODULE_DEPENDS("libgreet");
