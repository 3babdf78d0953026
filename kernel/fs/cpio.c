/* The initrd: a "newc" cpio archive (the format Linux's initramfs uses).
 * Each member is a 110-byte ASCII header ("070701" and 13 8-digit hex
 * fields), the name, then the data, each padded to 4 bytes. */
#include "kernel.h"

static u32 hex8(const char *p) {
  u32 v = 0;
  for (int i = 0; i < 8; i++) {
    char c = p[i];
    v = v * 16 + (u32)(c >= 'a' ? c - 'a' + 10 : c >= 'A' ? c - 'A' + 10 : c - '0');
  }
  return v;
}

/* Calls visit(name, mode, data, size, arg) for each member; stops at the
 * trailer or at anything malformed. Returns the number of members seen,
 * or -1 if the archive is malformed. */
int cpio_each(const u8 *archive, u32 len, cpio_visit visit, void *arg) {
  u32 at = 0;
  int n = 0;
  while (at + 110 <= len) {
    const char *h = (const char *)archive + at;
    if (strncmp(h, "070701", 6) != 0) return -1;
    u32 mode = hex8(h + 14), size = hex8(h + 54), namesize = hex8(h + 94);
    u32 name_at = at + 110;
    if (namesize == 0 || name_at + namesize > len) return -1;
    const char *name = (const char *)archive + name_at;
    if (name[namesize - 1] != 0) return -1;
    u32 data_at = (name_at + namesize + 3) & ~3u;
    if (strcmp(name, "TRAILER!!!") == 0) return n;
    if (data_at + size > len || data_at + size < data_at) return -1;
    visit(name, mode, archive + data_at, size, arg);
    n++;
    at = (data_at + size + 3) & ~3u;
  }
  return -1;
}
