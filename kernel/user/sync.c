/* sync: writes what filesystems hold in memory out to their devices. */
#include "unistd.h"

int main(void) {
  sync();
  return 0;
}
