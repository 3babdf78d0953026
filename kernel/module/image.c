/* Checking a module file before anything is allocated for it: the ELF
 * header, the section table, the string tables, the symbol table and
 * every relocation the loader will apply. A section gets exactly sh_size
 * bytes of the module's memory, so what is checked here against a
 * section's size is checked against what the loader allocates for it.
 * Everything is refused with -ENOEXEC; past the ELF header, with the
 * reason in the kernel log. */
#include "kernel.h"
#include "internal.h"

static int refuse(const char *who, const char *fmt, ...) {
  char why[128];
  va_list ap;
  va_start(ap, fmt);
  vsnprintk(why, sizeof why, fmt, ap);
  va_end(ap);
  printk("%s: %s\n", who, why);
  return -ENOEXEC;
}

/* Section 0 stands for "no section"; the ELF ABI makes it all zeros. */
static int null_section(const struct shdr *s) {
  return !s->name && !s->type && !s->flags && !s->addr && !s->offset && !s->size && !s->link && !s->info &&
         !s->addralign && !s->entsize;
}

/* The bytes a section takes in the file ([0, 0) when none). */
static u32 file_size(const struct shdr *s) { return s->type == SHT_NOBITS ? 0 : s->size; }

static int overlap(u32 a, u32 alen, u32 b, u32 blen) {
  return alen && blen && a < b + blen && b < a + alen; /* no wrap: both lie in the file */
}

/* Every section lies in the file (or, NOBITS, is not too big to lay
 * out), is aligned to a power of two no more than a page, and shares no
 * byte with another section or the headers. */
static int check_sections(const struct image *im) {
  const struct elfhdr *eh = (const void *)im->data;
  u32 table = im->nsec * sizeof(struct shdr);
  if (!null_section(&im->sh[0])) return refuse("module", "section 0 is not the null section");
  for (u32 i = 1; i < im->nsec; i++) {
    const struct shdr *s = &im->sh[i];
    if (s->addralign > PGSIZE || (s->addralign & (s->addralign - 1)))
      return refuse("module", "section %u: alignment %x", i, s->addralign);
    if (s->type == SHT_NOBITS) {
      if (s->size > MAX_LAYOUT) return refuse("module", "section %u: %x bytes", i, s->size);
      continue;
    }
    if (s->offset > im->len || s->size > im->len - s->offset) return refuse("module", "section %u lies outside the file", i);
    if (overlap(s->offset, s->size, 0, sizeof *eh) || overlap(s->offset, s->size, eh->shoff, table))
      return refuse("module", "section %u overlaps the headers", i);
    for (u32 j = 1; j < i; j++)
      if (overlap(s->offset, s->size, im->sh[j].offset, file_size(&im->sh[j])))
        return refuse("module", "sections %u and %u overlap", j, i);
  }
  return 0;
}

/* A string table: in the file (as check_sections made every section but
 * NOBITS), not section 0, and ending with a NUL, so that a string at any
 * offset inside it ends inside it. */
static int strtab_ok(const struct image *im, u32 i) {
  if (i == SHN_UNDEF || i >= im->nsec) return 0;
  const struct shdr *s = &im->sh[i];
  return s->type == SHT_STRTAB && s->size > 0 && im->data[s->offset + s->size - 1] == 0;
}

int check_elf(struct image *im) {
  const struct elfhdr *eh = (const void *)im->data;
  if (im->len < sizeof *eh || strncmp((const char *)eh->ident, "\x7f" "ELF", 4) != 0) return -ENOEXEC;
  if (eh->ident[4] != 1 || eh->ident[5] != 1 || eh->type != ET_REL || eh->machine != EM_386) return -ENOEXEC;
  if (eh->shentsize != sizeof(struct shdr) || eh->shnum == 0 || eh->shnum > MAX_SECTIONS) return -ENOEXEC;
  if (eh->shoff > im->len || eh->shnum * sizeof(struct shdr) > im->len - eh->shoff) return -ENOEXEC;
  im->sh = (const void *)(im->data + eh->shoff);
  im->nsec = eh->shnum;
  int err = check_sections(im);
  if (err) return err;
  if (!strtab_ok(im, eh->shstrndx)) return refuse("module", "section names in section %u, not a string table", eh->shstrndx);
  im->shstrtab = (const char *)im->data + im->sh[eh->shstrndx].offset;
  im->shstrtab_size = im->sh[eh->shstrndx].size;
  for (u32 i = 1; i < im->nsec; i++) {
    const struct shdr *s = &im->sh[i];
    if (s->name >= im->shstrtab_size) return refuse("module", "section %u: name outside the section names", i);
    if (s->type == SHT_RELA) return refuse("module", "section %u: RELA relocations (i386 uses REL)", i);
    if (s->type != SHT_SYMTAB) continue;
    if (im->syms) return refuse("module", "two symbol tables");
    if (s->entsize != sizeof(struct elfsym) || s->size % sizeof(struct elfsym) || s->size == 0)
      return refuse("module", "section %u: not a table of symbols", i);
    if (!strtab_ok(im, s->link)) return refuse("module", "symbol names in section %u, not a string table", s->link);
    im->symtab = i;
    im->syms = (const void *)(im->data + s->offset);
    im->nsyms = s->size / sizeof(struct elfsym);
    im->strtab = (const char *)im->data + im->sh[s->link].offset;
    im->strtab_size = im->sh[s->link].size;
  }
  return im->syms ? 0 : refuse("module", "no symbol table");
}

const char *section_name(const struct image *im, u32 i) { return im->shstrtab + im->sh[i].name; }

int find_section(const struct image *im, const char *name) {
  for (u32 i = 1; i < im->nsec; i++)
    if (strcmp(section_name(im, i), name) == 0) return (int)i;
  return -1;
}

const char *sym_name(const struct image *im, const struct elfsym *s) { return im->strtab + s->name; }

/* A .modinfo value ("name", "depends", ...) or NULL. */
const char *modinfo(const struct image *im, const char *tag) {
  int i = find_section(im, ".modinfo");
  if (i < 0 || im->sh[i].type == SHT_NOBITS) return NULL;
  const char *p = (const char *)im->data + im->sh[i].offset, *end = p + im->sh[i].size;
  u32 n = strlen(tag);
  while (p < end) {
    const char *e = p;
    while (e < end && *e) e++;
    if (e == end) return NULL; /* not NUL-terminated */
    if ((u32)(e - p) > n && strncmp(p, tag, n) == 0 && p[n] == '=') return p + n + 1;
    p = e + 1;
    while (p < end && !*p) p++; /* padding between entries */
  }
  return NULL;
}

/* Symbol 0 is the null symbol; a name lies in the string table; a defined
 * symbol lies in its section (at most at its end); an undefined one is
 * global and named, for it is looked up by name. Common symbols are not
 * supported (modules are built with -fno-common). */
static int check_symbols(const struct image *im, const char *name) {
  const struct elfsym *z = &im->syms[0];
  if (z->name || z->value || z->size || z->info || z->other || z->shndx)
    return refuse(name, "symbol 0 is not the null symbol");
  for (u32 i = 1; i < im->nsyms; i++) {
    const struct elfsym *s = &im->syms[i];
    if (s->name >= im->strtab_size) return refuse(name, "symbol %u: name outside the symbol names", i);
    const char *n = sym_name(im, s);
    if (s->shndx == SHN_UNDEF) {
      if (!*n || (s->info >> 4) == STB_LOCAL) return refuse(name, "symbol %u: undefined and %s", i, *n ? "local" : "unnamed");
    } else if (strcmp(n, "__this_module") == 0) {
      /* the loader's to give: a module defining it would own nothing */
      return refuse(name, "defines __this_module");
    } else if (s->shndx == SHN_ABS) {
      continue;
    } else if (s->shndx == SHN_COMMON) {
      return refuse(name, "symbol %s in an unsupported section (common?)", n);
    } else if (s->shndx >= im->nsec) {
      return refuse(name, "symbol %s in section %u, past the %u sections", n, s->shndx, im->nsec);
    } else if (s->value > im->sh[s->shndx].size) {
      return refuse(name, "symbol %s lies outside its section", n);
    }
  }
  return 0;
}

/* A relocation section names the symbol table and a section to patch;
 * when that section is loaded each entry must patch four bytes inside it
 * with a supported type, against a symbol (not the null one) whose value
 * is loaded too. Relocations of sections that are not loaded (debugging
 * information) are not applied, so not checked. */
static int check_rel(const struct image *im, const char *name, u32 i) {
  const struct shdr *r = &im->sh[i];
  const char *rname = section_name(im, i);
  if (r->entsize != sizeof(struct elfrel) || r->size % sizeof(struct elfrel)) return refuse(name, "%s: not a table of relocations", rname);
  if (r->link != im->symtab) return refuse(name, "%s: symbols from section %u, not the symbol table", rname, r->link);
  if (r->info == SHN_UNDEF || r->info >= im->nsec) return refuse(name, "%s: relocates section %u", rname, r->info);
  const struct shdr *target = &im->sh[r->info];
  if (!(target->flags & SHF_ALLOC)) return 0;
  const struct elfrel *rel = (const void *)(im->data + r->offset);
  for (u32 k = 0; k < r->size / sizeof *rel; k++) {
    u32 type = rel[k].info & 0xff, symi = rel[k].info >> 8;
    if (type == R_386_NONE) continue;
    if (type != R_386_32 && type != R_386_PC32) return refuse(name, "relocation type %u not supported", type);
    if (target->size < 4 || rel[k].offset > target->size - 4)
      return refuse(name, "relocation outside its section (%s + %x)", section_name(im, r->info), rel[k].offset);
    if (symi == 0 || symi >= im->nsyms) return refuse(name, "relocation against symbol %u of %u", symi, im->nsyms);
    u32 shndx = im->syms[symi].shndx;
    if (shndx != SHN_UNDEF && shndx < im->nsec && !(im->sh[shndx].flags & SHF_ALLOC))
      return refuse(name, "relocation against %s in %s, which is not loaded", sym_name(im, &im->syms[symi]), section_name(im, shndx));
  }
  return 0;
}

int check_links(const struct image *im, const char *name) {
  int err = check_symbols(im, name);
  for (u32 i = 1; !err && i < im->nsec; i++)
    if (im->sh[i].type == SHT_REL) err = check_rel(im, name, i);
  return err;
}

/* Whether [addr, addr + len) lies inside one of the module's loaded
 * sections (not in the padding between them). */
int in_sections(const struct image *im, const struct module *mod, u32 addr, u32 len) {
  for (u32 i = 1; i < im->nsec; i++) {
    const struct shdr *s = &im->sh[i];
    u32 base = (u32)mod->core + im->where[i];
    if ((s->flags & SHF_ALLOC) && addr >= base && addr - base < s->size && len <= s->size - (addr - base)) return 1;
  }
  return 0;
}

/* The string at addr if it starts in a loaded section and ends in it. */
const char *string_in_sections(const struct image *im, const struct module *mod, u32 addr) {
  for (u32 i = 1; i < im->nsec; i++) {
    const struct shdr *s = &im->sh[i];
    u32 base = (u32)mod->core + im->where[i];
    if (!(s->flags & SHF_ALLOC) || addr < base || addr - base >= s->size) continue;
    for (const char *p = (const char *)addr; p < (const char *)base + s->size; p++)
      if (!*p) return (const char *)addr;
    return NULL;
  }
  return NULL;
}
