/* crashtest: writes ten files of a known pattern under /mnt/crash, syncs,
 * says "synced", then keeps changing other files without syncing (for a
 * test that stops the machine at random points after the sync). */
#include "stdio.h"
#include "string.h"
#include "unistd.h"
#include "fcntl.h"
#include "sys/stat.h"

static void pattern(unsigned char *b, unsigned n, unsigned file) {
  for (unsigned i = 0; i < n; i++) b[i] = (unsigned char)(i * 7 + file * 13);
}

int main(void) {
  static unsigned char buf[10000];
  char path[64];
  mkdir("/mnt/crash", 0755);
  for (unsigned f = 0; f < 10; f++) {
    snprintf(path, sizeof path, "/mnt/crash/f%u", f);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pattern(buf, sizeof buf, f);
    write(fd, buf, sizeof buf);
    close(fd);
  }
  sync();
  printf("synced\n");
  mkdir("/mnt/churn", 0755);
  for (unsigned round = 0; round < 300; round++) {
    snprintf(path, sizeof path, "/mnt/churn/t%u", round % 7);
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    pattern(buf, 3000 + round * 11, round);
    write(fd, buf, 3000 + round * 11);
    close(fd);
    if (round % 5 == 4) {
      char to[64];
      snprintf(to, sizeof to, "/mnt/churn/r%u", round);
      rename(path, to);
      if (round % 10 == 9) unlink(to);
    }
  }
  printf("churned\n");
  return 0;
}
