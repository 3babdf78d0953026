/* modfuzz [COUNT] [SEED]: loads COUNT damaged copies of hello.ko and
 * libgreet.ko (which exports greet). Half the damage is blind (a bit of
 * the ELF header, a field of a section header, bytes of a string table,
 * the length, the section count or table offset): such a copy loads (and
 * is then removed) or is refused. The other half is aimed at what the
 * loader must check and is hostile by construction: sizes near 2^32,
 * section and symbol indices 0 or out of range, overlapping sections,
 * relocations past their section or symbol table or into section 0,
 * garbage export and parameter tables, duplicate exports. Each of these
 * must be refused (a duplicate export with ENOEXEC, as Linux refuses it);
 * one that loads is reported and fails the run. The relocations and the
 * code of a copy that loads are never touched: a module is trusted with
 * what its code does, so a copy that loads must still do what it did.
 * Afterwards the free memory must be what it was after a first round of
 * each kind. */
#include "stdio.h"
#include "stdlib.h"
#include "string.h"
#include "unistd.h"
#include "meminfo.h"
#include "fcntl.h"
#include "errno.h"
#include "module.h"
#include "sys/stat.h"

#define SHT_SYMTAB 2
#define SHT_STRTAB 3
#define SHT_NOBITS 8
#define SHT_REL 9
#define SHF_ALLOC 2
#define AREA 0x1000000 /* the kernel's module area: no module is bigger */
#define EHDR 52

struct section { unsigned name, type, flags, addr, offset, size, link, info, align, entsize; };
struct symbol { unsigned name, value, size; unsigned char info, other; unsigned short shndx; };
struct rel { unsigned offset, info; };

static unsigned state;
static unsigned rnd(void) { state ^= state << 13; state ^= state >> 17; state ^= state << 5; return state; }

/* A copy being damaged, and where its tables are (as the compiler made
 * them: the copy starts undamaged). */
struct ko {
  unsigned char *b;
  unsigned len, shoff, shnum;
  struct section *sh;
  struct symbol *syms;
  unsigned nsyms, symtab;
};

static void parse(struct ko *k, unsigned char *b, unsigned len) {
  k->b = b;
  k->len = len;
  k->shoff = *(unsigned *)(b + 0x20);
  k->shnum = *(unsigned short *)(b + 0x30);
  k->sh = (struct section *)(b + k->shoff);
  for (unsigned i = 1; i < k->shnum; i++)
    if (k->sh[i].type == SHT_SYMTAB) {
      k->symtab = i;
      k->syms = (struct symbol *)(b + k->sh[i].offset);
      k->nsyms = k->sh[i].size / sizeof(struct symbol);
    }
}

static struct section *named(const struct ko *k, const char *name) {
  const struct section *names = &k->sh[*(unsigned short *)(k->b + 0x32)];
  for (unsigned i = 1; i < k->shnum; i++)
    if (strcmp((const char *)k->b + names->offset + k->sh[i].name, name) == 0) return &k->sh[i];
  return 0;
}

/* A random section i >= 1 that passes test, or 0 when none does. */
static unsigned pick(const struct ko *k, int (*test)(const struct ko *, unsigned)) {
  unsigned n = 0, chosen = 0;
  for (unsigned i = 1; i < k->shnum; i++)
    if (test(k, i) && rnd() % ++n == 0) chosen = i;
  return chosen;
}

static int in_file(const struct ko *k, unsigned i) { return k->sh[i].type != SHT_NOBITS && k->sh[i].size > 0; }
static int rel(const struct ko *k, unsigned i) { return k->sh[i].type == SHT_REL; }
/* Relocations the loader applies: of a loaded section, with entries. */
static int applied(const struct ko *k, unsigned i) {
  return rel(k, i) && k->sh[i].size >= sizeof(struct rel) && (k->sh[k->sh[i].info].flags & SHF_ALLOC);
}
/* A loaded section whose type may change (.modinfo is read from the file). */
static int loaded(const struct ko *k, unsigned i) {
  return (k->sh[i].flags & SHF_ALLOC) && &k->sh[i] != named(k, ".modinfo");
}

static unsigned near_4g(void) { return 0xffffffffu - rnd() % 0x1000; }
/* Added to a pointer into a one-page module, lands outside it. */
static unsigned far(void) { return 0x2000 + rnd() % 0xffffa000u; }

/* Blind damage, as before: the loader's checks, not the code. */
static unsigned blind(struct ko *k) {
  struct section *sh = k->sh;
  switch (rnd() % 5) {
    case 0: return rnd() % k->len;                       /* cut short */
    case 1: k->b[rnd() % EHDR] ^= (unsigned char)(1 << (rnd() % 8)); return k->len;
    case 2: {                                            /* a field of a section header */
      struct section *s = &sh[rnd() % k->shnum];
      if (s->type == SHT_REL || s->type == SHT_SYMTAB) return k->len; /* relocations and symbols: trusted */
      unsigned *field = &s->name + rnd() % 10;
      *field = rnd() % 3 ? *field ^ (1u << (rnd() % 32)) : rnd();
      return k->len;
    }
    case 3: {                                            /* bytes of a string table */
      for (unsigned i = 1; i < k->shnum; i++) {
        if (sh[i].type != SHT_STRTAB || rnd() % 2) continue;
        if (sh[i].size) k->b[sh[i].offset + rnd() % sh[i].size] = (unsigned char)rnd();
      }
      return k->len;
    }
    default:                                             /* the section count or table offset */
      if (rnd() % 2) *(unsigned short *)(k->b + 0x30) = (unsigned short)(rnd() % 80);
      else *(unsigned *)(k->b + 0x20) = rnd() % (k->len + 64);
      return k->len;
  }
}

/* Sizes near 2^32 (a section's size, offset or alignment, including
 * section 0's; the table offset), a loaded section that would wrap the
 * layout's total, two that together outgrow the module area. */
static void sizes(struct ko *k) {
  switch (rnd() % 4) {
    case 0: {
      struct section *s = &k->sh[rnd() % k->shnum];
      unsigned f = rnd() % 3;
      if (f == 1 && s != k->sh && s->type == SHT_NOBITS) f = 0; /* a NOBITS offset means nothing */
      if (f == 0) s->size = near_4g();
      else if (f == 1) s->offset = near_4g();
      else s->align = near_4g();
      break;
    }
    case 1: *(unsigned *)(k->b + 0x20) = near_4g(); break;
    case 2: {
      struct section *s = &k->sh[pick(k, loaded)];
      s->type = SHT_NOBITS;
      s->size = near_4g();
      break;
    }
    default:
      for (int n = 0; n < 2;) {
        struct section *s = &k->sh[pick(k, loaded)];
        if (s->size > AREA / 2) continue;
        s->type = SHT_NOBITS;
        s->size = AREA / 2 + 1 + rnd() % 0x1000;
        n++;
      }
  }
}

static unsigned past(unsigned n) { return n + rnd() % 16; }

/* A symbol section index past the sections, reserved, or any but SHN_ABS
 * (which would make a section's symbol an absolute address: accepted). */
static unsigned short bad_shndx(const struct ko *k) {
  switch (rnd() % 3) {
    case 0: return (unsigned short)(k->shnum + rnd() % (0xff00 - k->shnum));
    case 1: return (unsigned short)(0xff00 + rnd() % 0xf1);
    default: return (unsigned short)(0xfff2 + rnd() % 14);
  }
}

/* Indices 0 and out of range: the section name table's, the symbol
 * table's string table (or a section that is not one), a relocation
 * section's symbol table and target, a symbol's section and name. */
static void indices(struct ko *k) {
  struct section *r = &k->sh[pick(k, rel)];
  switch (rnd() % 6) {
    case 0: *(unsigned short *)(k->b + 0x32) = (unsigned short)(rnd() % 3 == 0 ? 0 : rnd() % 2 ? past(k->shnum) : 0xffff); break;
    case 1: k->sh[k->symtab].link = rnd() % 3 == 0 ? 0 : rnd() % 2 ? past(k->shnum) : k->symtab; break;
    case 2: r->link = rnd() % 2 ? 0 : past(k->shnum); break;
    case 3: r->info = rnd() % 2 ? 0 : past(k->shnum); break;
    case 4: {
      struct symbol *s = &k->syms[rnd() % k->nsyms];
      if (s->shndx != 0 && rnd() % 2) s->shndx = 0; /* a section's symbol made undefined */
      else s->shndx = bad_shndx(k);
      break;
    }
    default: k->syms[rnd() % k->nsyms].name = rnd() % 2 ? past(k->sh[k->sh[k->symtab].link].size) : near_4g();
  }
}

/* A section's bytes moved onto another's, the section table or the ELF header. */
static void overlaps(struct ko *k) {
  unsigned i = pick(k, in_file), j;
  switch (rnd() % 3) {
    case 0:
      do j = pick(k, in_file); while (j == i);
      k->sh[i].offset = k->sh[j].offset + rnd() % k->sh[j].size;
      break;
    case 1: k->sh[i].offset = k->shoff + rnd() % (k->shnum * sizeof(struct section)); break;
    default: k->sh[i].offset = rnd() % EHDR;
  }
}

/* A relocation of a loaded section: past its end (offsets at the end,
 * and wrapping with the four bytes), against a symbol past the table or
 * the null one, of a type the loader lacks, or of section 0. */
static void relocations(struct ko *k) {
  struct section *r = &k->sh[pick(k, applied)];
  struct rel *e = (struct rel *)(k->b + r->offset) + rnd() % (r->size / sizeof(struct rel));
  unsigned target = k->sh[r->info].size;
  switch (rnd() % 5) {
    case 0: e->offset = target - 3 + rnd() % 8; break;
    case 1: e->offset = 0xfffffffcu + rnd() % 4; break;
    case 2: e->info = (e->info & 0xff) | (rnd() % 2 ? past(k->nsyms) : rnd() % 2 ? 0xffffff : 0) << 8; break;
    case 3: e->info = (e->info & ~0xffu) | (3 + rnd() % 253); break;
    default: r->info = 0;
  }
}

/* libgreet's export table or hello's parameter table: entries pointing
 * outside the module, random bytes, a size that is not a whole number of
 * entries, a name without its NUL or empty, the table not loaded. */
static void tables(struct ko *k) {
  struct section *t = named(k, "__ksymtab"), *names = named(k, ".rodata.kstrtab");
  unsigned entry = t ? 8 : 12;
  if (!t) t = named(k, "__param");
  unsigned *fields = (unsigned *)(k->b + t->offset) + (rnd() % (t->size / entry)) * (entry / 4);
  switch (rnd() % (names ? 7 : 5)) {
    case 0: fields[0] = far(); break;                    /* the address, or the parameter's name */
    case 1: fields[entry / 4 - 1] = far(); break;        /* the name, or the parameter's variable */
    case 2: for (unsigned i = 0; i < t->size; i++) k->b[t->offset + i] = (unsigned char)rnd(); break;
    case 3: t->size -= 1 + rnd() % (entry - 1); break;
    case 4: if (rnd() % 2) t->flags &= ~SHF_ALLOC; else t->type = SHT_NOBITS; break;
    case 5: k->b[names->offset + names->size - 1] = 'x'; break;
    default: k->b[names->offset] = 0;
  }
  if (entry == 12 && rnd() % 2) fields[1] = 3 + rnd() % 0xfffffff0u; /* no such parameter type */
}

/* libgreet's greet renamed to a name the kernel exports, or libgreet
 * renamed while the real one is loaded: either way greet is exported
 * twice. Returns whether the real one must be loaded first. */
static int duplicates(struct ko *k) {
  /* ("panic" would fit too, but tests look for that word) */
  static const char *const kernel[] = {"kfree", "sleep", "iget", "iput", "ticks", "vfree"};
  if (rnd() % 2) {
    struct section *names = named(k, ".rodata.kstrtab");
    memset(k->b + names->offset, 0, names->size);
    strcpy((char *)k->b + names->offset, kernel[rnd() % 6]);
    return 0;
  }
  struct section *info = named(k, ".modinfo");
  for (unsigned i = 0; i + 13 <= info->size; i++)
    if (memcmp(k->b + info->offset + i, "name=libgreet", 13) == 0) k->b[info->offset + i + 12] = 'Z';
  return 1;
}

enum { SIZES, INDICES, OVERLAPS, RELOCATIONS, TABLES, DUPLICATES, NKINDS };
static const char *const kinds[] = {"sizes", "indices", "overlaps", "relocations", "tables", "duplicates"};

static unsigned char *read_ko(const char *path, unsigned *len) {
  int fd = open(path, O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) < 0) { printf("modfuzz: %s: %s\n", path, strerror(errno)); exit(1); }
  *len = (unsigned)st.st_size;
  unsigned char *b = malloc(*len);
  read(fd, b, *len);
  close(fd);
  return b;
}

static void unload(const char *name, unsigned i) {
  if (delete_module(name, 0) == 0) return;
  printf("modfuzz: copy %u loaded as %s and cannot be removed: %s\n", i, name, strerror(errno));
  exit(1);
}

int main(int argc, char **argv) {
  unsigned count = argc > 1 ? (unsigned)atoi(argv[1]) : 1000;
  state = argc > 2 ? (unsigned)atoi(argv[2]) : 777;
  unsigned len[2];
  unsigned char *base[2] = {read_ko("/lib/modules/hello.ko", &len[0]), read_ko("/lib/modules/libgreet.ko", &len[1])};
  static const char *const names[] = {"hello", "libgreet"};
  unsigned char *copy = malloc((len[0] > len[1] ? len[0] : len[1]) + 64);
  unsigned loaded = 0, refused = 0, before = 0, hostile[NKINDS] = {0}, failures = 0;
  for (unsigned b = 0; b < 2; b++) /* each undamaged, once */
    if (init_module(base[b], len[b], "") < 0 || delete_module(names[b], 0) < 0) {
      printf("modfuzz: %s.ko: %s\n", names[b], strerror(errno));
      return 1;
    }
  for (unsigned i = 0; i < count; i++) {
    if (i == NKINDS * 4) before = meminfo_free_kb(); /* after four rounds of each kind warmed the kernel's caches */
    int kind = i < NKINDS * 4 ? (int)(i % NKINDS) : rnd() % 2 ? (int)(rnd() % NKINDS) : -1;
    unsigned b = kind == DUPLICATES ? 1 : kind == TABLES && i < NKINDS * 4 ? i / NKINDS % 2 : rnd() % 2;
    struct ko k;
    memcpy(copy, base[b], len[b]);
    parse(&k, copy, len[b]);
    unsigned n = len[b];
    int with_real = 0;
    switch (kind) {
      case SIZES: sizes(&k); break;
      case INDICES: indices(&k); break;
      case OVERLAPS: overlaps(&k); break;
      case RELOCATIONS: relocations(&k); break;
      case TABLES: tables(&k); break;
      case DUPLICATES: with_real = duplicates(&k); break;
      default: n = blind(&k);
    }
    if (with_real && init_module(base[1], len[1], "") < 0) { printf("modfuzz: libgreet.ko: %s\n", strerror(errno)); return 1; }
    if (init_module(copy, n, "") == 0) {
      loaded++;
      if (kind >= 0) { printf("modfuzz: copy %u (%s) loaded but must be refused\n", i, kinds[kind]); failures++; }
      unload(with_real ? "libgreeZ" : names[b], i);
    } else {
      refused++;
      if (kind >= 0) hostile[kind]++;
      if (kind == DUPLICATES && errno != ENOEXEC) { printf("modfuzz: copy %u (duplicates): %s\n", i, strerror(errno)); failures++; }
    }
    if (with_real) unload("libgreet", i);
  }
  unsigned after = meminfo_free_kb(), total = 0;
  for (int kind = 0; kind < NKINDS; kind++) total += hostile[kind];
  printf("modfuzz: %u damaged modules: %u loaded and removed, %u refused; free memory %u kB before, %u kB after\n",
         count, loaded, refused, before, after);
  printf("modfuzz: %u hostile by construction refused (", total);
  for (int kind = 0; kind < NKINDS; kind++) printf("%s%u %s", kind ? ", " : "", hostile[kind], kinds[kind]);
  printf("), %u accepted or refused wrongly\n", failures);
  return failures ? 1 : 0;
}
