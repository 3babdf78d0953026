/* The initrd's files, looked up by path (until the RAM filesystem takes
 * the archive apart at boot). */
#include "kernel.h"
#include "proc.h"

static const u8 *archive;
static u32 archive_size;

void initrd_set(const u8 *data, u32 size) {
  archive = data;
  archive_size = size;
}

struct lookup { const char *name; const u8 *data; u32 size; int found; };

static void match(const char *name, u32 mode, const u8 *data, u32 size, void *arg) {
  struct lookup *l = arg;
  if ((mode & 0170000) == 0100000 && strcmp(name, l->name) == 0) {
    l->data = data;
    l->size = size;
    l->found = 1;
  }
}

/* 0 and the file's bytes, or -ENOENT. */
int initrd_find(const char *path, const u8 **data, u32 *size) {
  while (*path == '/') path++;
  struct lookup l = {path, NULL, 0, 0};
  if (!archive || cpio_each(archive, archive_size, match, &l) < 0 || !l.found) return -ENOENT;
  *data = l.data;
  *size = l.size;
  return 0;
}
