/* hello.ko: the first module to load. Its parameters are set by insmod
 * ("insmod hello.ko who=world times=3"); init and exit say what they do. */
#include "kernel.h"
#include "module.h"

static const char *who = "world";
static int times = 1;
module_param(who, charp, "whom to greet");
module_param(times, int, "how many times");

static int hello_init(void) {
  if (times < 0 || times > 10) return -EINVAL;
  for (int i = 0; i < times; i++) printk("hello: hello, %s\n", who);
  return 0;
}

static void hello_exit(void) { printk("hello: goodbye, %s\n", who); }

module_init(hello_init);
module_exit(hello_exit);
MODULE_NAME("hello");
MODULE_DESCRIPTION("says hello with its parameters");
MODULE_LICENSE("MIT");
