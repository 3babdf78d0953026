/* init_module and delete_module: the system calls insmod and rmmod make. */
#include "kernel.h"
#include "module.h"
#include "proc.h"

#define MAX_MODULE_SIZE (1024 * 1024)

/* One load or unload at a time. An init may sleep (ata.ko waits for its
 * disk's interrupts), and a second insmod meanwhile would not yet see the
 * module's name or exports, so could load the same name or symbol twice. */
static int busy;

static void lock(void) {
  while (busy) sleep(&busy);
  busy = 1;
}

static void unlock(void) {
  busy = 0;
  wakeup(&busy);
}

int sys_init_module(u32 image_va, u32 len, u32 params_va) {
  if (len == 0 || len > MAX_MODULE_SIZE) return -ENOEXEC;
  char params[256] = "";
  if (params_va) {
    int n = copy_string(params, sizeof params, params_va);
    if (n < 0) return n == -ENAMETOOLONG ? -E2BIG : n;
  }
  u8 *image = vmalloc(len);
  if (!image) return -ENOMEM;
  int err = copy_from_user(image, image_va, len);
  if (!err) {
    lock();
    err = load_module(image, len, params);
    unlock();
  }
  vfree(image);
  return err;
}

int sys_delete_module(u32 name_va, u32 flags) {
  (void)flags;
  char name[MODULE_NAME_LEN];
  int n = copy_string(name, sizeof name, name_va);
  if (n < 0) return n == -ENAMETOOLONG ? -ENOENT : n;
  lock();
  int err = unload_module(name);
  unlock();
  return err;
}
