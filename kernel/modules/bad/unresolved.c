/* A module calling a function nobody exports: loading must fail with
 * -ENOENT and the symbol's name in the kernel log. */
#include "kernel.h"
#include "module.h"

int no_such_function(void);

static int unresolved_init(void) { return no_such_function(); }

module_init(unresolved_init);
MODULE_NAME("unresolved");
MODULE_LICENSE("MIT");
