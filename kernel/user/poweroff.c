/* poweroff: syncs and powers the machine off (through the debug-exit port,
 * so an emulator exits cleanly). */
#include "stdio.h"
#include "unistd.h"
#include "sys/reboot.h"

int main(void) {
  sync();
  reboot(RB_POWER_OFF);
  perror("poweroff");
  return 1;
}
