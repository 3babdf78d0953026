/* badexport.ko: an export table of garbage, its one entry's name and
 * address far from the module. Loaded, /proc/kallsyms would read the
 * name; the loader must refuse it. */
#include "kernel.h"
#include "module.h"

static const struct kernel_symbol bogus __attribute__((section("__ksymtab"), used)) = {0xdead0000, (const char *)0xdead0010};

MODULE_NAME("badexport");
MODULE_LICENSE("MIT");
