/* modfuzz [COUNT] [SEED]: loads COUNT damaged copies of hello.ko. The
 * damage is to what the loader must check (the ELF header, the section
 * table, the string tables, the module information, the length), not to
 * the code and relocations a module is trusted with. Each copy must load
 * (and is then removed) or be refused with an error; afterwards the free
 * memory must be what it was after the first round. */
#include "stdio.h"
#include "stdlib.h"
#include "string.h"
#include "unistd.h"
#include "meminfo.h"
#include "fcntl.h"
#include "errno.h"
#include "module.h"
#include "sys/stat.h"

static unsigned state;
static unsigned rnd(void) { state ^= state << 13; state ^= state >> 17; state ^= state << 5; return state; }

struct section { unsigned name, type, flags, addr, offset, size, link, info, align, entsize; };

/* One damaged copy of the module in out; returns its length. */
static unsigned damage(const unsigned char *ko, unsigned len, unsigned char *out) {
  memcpy(out, ko, len);
  unsigned shoff = *(const unsigned *)(ko + 0x20), shnum = *(const unsigned short *)(ko + 0x30);
  struct section *sh = (struct section *)(out + shoff);
  switch (rnd() % 5) {
    case 0: return rnd() % len;                          /* cut short */
    case 1: out[rnd() % 52] ^= (unsigned char)(1 << (rnd() % 8)); return len; /* the ELF header */
    case 2: {                                            /* a field of a section header */
      struct section *s = &sh[rnd() % shnum];
      if (s->type == 9 || s->type == 2) return len;      /* relocations and symbols: trusted */
      unsigned *field = &s->name + rnd() % 10;
      *field = rnd() % 3 ? *field ^ (1u << (rnd() % 32)) : rnd();
      return len;
    }
    case 3: {                                            /* bytes of a string table or .modinfo */
      for (unsigned i = 1; i < shnum; i++) {
        if (sh[i].type != 3 || rnd() % 2) continue;
        if (sh[i].size) out[sh[i].offset + rnd() % sh[i].size] = (unsigned char)rnd();
      }
      return len;
    }
    default: {                                           /* the section count or table offset */
      if (rnd() % 2) *(unsigned short *)(out + 0x30) = (unsigned short)(rnd() % 80);
      else *(unsigned *)(out + 0x20) = rnd() % (len + 64);
      return len;
    }
  }
}

int main(int argc, char **argv) {
  unsigned count = argc > 1 ? (unsigned)atoi(argv[1]) : 1000;
  state = argc > 2 ? (unsigned)atoi(argv[2]) : 777;
  int fd = open("/lib/modules/hello.ko", O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) < 0) { perror("modfuzz: hello.ko"); return 1; }
  unsigned len = (unsigned)st.st_size;
  unsigned char *ko = malloc(len), *copy = malloc(len + 64);
  read(fd, ko, len);
  close(fd);
  unsigned loaded = 0, refused = 0, before = 0;
  for (unsigned i = 0; i < count; i++) {
    if (i == 1) before = meminfo_free_kb(); /* after one round has warmed the kernel's caches */
    unsigned n = damage(ko, len, copy);
    if (init_module(copy, n, "") == 0) {
      loaded++;
      if (delete_module("hello", 0) < 0) { printf("modfuzz: loaded copy %u cannot be removed: %s\n", i, strerror(errno)); return 1; }
    } else {
      refused++;
    }
  }
  unsigned after = meminfo_free_kb();
  printf("modfuzz: %u damaged modules: %u loaded and removed, %u refused; free memory %u kB before, %u kB after\n",
         count, loaded, refused, before, after);
  return 0;
}
