/* panic() and the frame-pointer backtrace it prints. */
#include "kernel.h"
#include "module.h"
#include "x86.h"
#include "memlayout.h"

/* Follows saved EBPs while they point into the kernel half. */
void backtrace(u32 ebp) {
  printk("backtrace:");
  for (int depth = 0; depth < 16 && (ebp & 3) == 0 && kernel_readable(ebp, 8); depth++) {
    u32 *frame = (u32 *)ebp;
    printk(" %x", frame[1]);
    ebp = frame[0];
  }
  printk("\n");
}

void panic(const char *fmt, ...) {
  char buf[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintk(buf, sizeof buf, fmt, ap);
  va_end(ap);
  __asm__ volatile("cli");
  printk("\npanic: %s\n", buf);
  backtrace((u32)__builtin_frame_address(0));
  halt_forever();
}

EXPORT_SYMBOL(panic);
