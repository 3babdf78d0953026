/* The module loader: checks an ELF relocatable object, lays its allocated
 * sections out in one vmalloc'd block, resolves its undefined symbols
 * against the kernel's exports and those of loaded modules, applies the
 * i386 relocations, sets its parameters and runs its init. Any failure
 * frees everything. */
#include "kernel.h"
#include "module.h"
#include "memlayout.h"
#include "elf.h"
#include "fs.h"

#define ET_REL 1
#define EM_386 3
#define SHT_SYMTAB 2
#define SHT_STRTAB 3
#define SHT_RELA 4
#define SHT_NOBITS 8
#define SHT_REL 9
#define SHF_ALLOC 2
#define SHN_UNDEF 0
#define SHN_LORESERVE 0xff00
#define SHN_ABS 0xfff1
#define R_386_NONE 0
#define R_386_32 1
#define R_386_PC32 2
#define MAX_SECTIONS 64


extern const struct kernel_symbol __start___ksymtab[], __stop___ksymtab[];

static struct module *modules;
struct module *this_module_loading;

/* What the loader works with while it checks and links one image. */
struct image {
  const u8 *data;
  u32 len;
  const struct shdr *sh;
  u32 nsec;
  const struct elfsym *syms;
  u32 nsyms;
  const char *strtab;
  u32 strtab_size;
  u32 where[MAX_SECTIONS]; /* each allocated section's address once laid out */
};

static const char *section_name(const struct image *im, u32 i) {
  const struct shdr *s = &im->sh[((const struct elfhdr *)im->data)->shstrndx];
  if (im->sh[i].name >= s->size) return "";
  return (const char *)im->data + s->offset + im->sh[i].name;
}

static int find_section(const struct image *im, const char *name) {
  for (u32 i = 1; i < im->nsec; i++)
    if (strcmp(section_name(im, i), name) == 0) return (int)i;
  return -1;
}

/* A string table must lie in the file and end with a NUL. */
static int check_strtab(const struct image *im, u32 i) {
  const struct shdr *s = &im->sh[i];
  return s->type == SHT_STRTAB && s->size > 0 && im->data[s->offset + s->size - 1] == 0 ? 0 : -ENOEXEC;
}

static int check_elf(struct image *im) {
  const struct elfhdr *eh = (const void *)im->data;
  if (im->len < sizeof *eh || strncmp((const char *)eh->ident, "\x7f" "ELF", 4) != 0) return -ENOEXEC;
  if (eh->ident[4] != 1 || eh->ident[5] != 1 || eh->type != ET_REL || eh->machine != EM_386) return -ENOEXEC;
  if (eh->shentsize != sizeof(struct shdr) || eh->shnum == 0 || eh->shnum > MAX_SECTIONS) return -ENOEXEC;
  if (eh->shoff > im->len || eh->shnum * sizeof(struct shdr) > im->len - eh->shoff) return -ENOEXEC;
  if (eh->shstrndx >= eh->shnum) return -ENOEXEC;
  im->sh = (const void *)(im->data + eh->shoff);
  im->nsec = eh->shnum;
  for (u32 i = 1; i < im->nsec; i++) {
    const struct shdr *s = &im->sh[i];
    if (s->type != SHT_NOBITS && (s->offset > im->len || s->size > im->len - s->offset)) return -ENOEXEC;
    if (s->addralign > PGSIZE) return -ENOEXEC;
  }
  if (check_strtab(im, eh->shstrndx) < 0) return -ENOEXEC;
  for (u32 i = 1; i < im->nsec; i++) {
    const struct shdr *s = &im->sh[i];
    if (s->type == SHT_RELA) return -ENOEXEC; /* i386 objects use REL */
    if (s->type != SHT_SYMTAB) continue;
    if (im->syms || s->entsize != sizeof(struct elfsym) || s->link >= im->nsec || check_strtab(im, s->link) < 0)
      return -ENOEXEC;
    im->syms = (const void *)(im->data + s->offset);
    im->nsyms = s->size / sizeof(struct elfsym);
    im->strtab = (const char *)im->data + im->sh[s->link].offset;
    im->strtab_size = im->sh[s->link].size;
  }
  return im->syms ? 0 : -ENOEXEC;
}

static const char *sym_name(const struct image *im, const struct elfsym *s) {
  return s->name < im->strtab_size ? im->strtab + s->name : "";
}

/* A .modinfo value ("name", "depends", ...) or NULL. */
static const char *modinfo(const struct image *im, const char *tag) {
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

static struct module *find_module(const char *name) {
  for (struct module *m = modules; m; m = m->next)
    if (strcmp(m->name, name) == 0) return m;
  return NULL;
}

/* A symbol's address from the kernel's exports or a loaded module's;
 * the module it came from goes into *from. */
static int resolve(const char *name, u32 *value, struct module **from) {
  for (const struct kernel_symbol *k = __start___ksymtab; k < __stop___ksymtab; k++)
    if (strcmp(k->name, name) == 0) { *value = k->value; *from = NULL; return 0; }
  for (struct module *m = modules; m; m = m->next)
    for (u32 i = 0; i < m->nsyms; i++)
      if (strcmp(m->syms[i].name, name) == 0) { *value = m->syms[i].value; *from = m; return 0; }
  return -ENOENT;
}

static int add_use(struct module *mod, struct module *from) {
  for (int i = 0; i < mod->nuses; i++)
    if (mod->uses[i] == from) return 0;
  if (mod->nuses == (int)(sizeof mod->uses / sizeof mod->uses[0])) return -ENOMEM;
  mod->uses[mod->nuses++] = from;
  return 0;
}

static u32 layout(struct image *im) {
  u32 size = 0;
  for (u32 i = 1; i < im->nsec; i++) {
    const struct shdr *s = &im->sh[i];
    if (!(s->flags & SHF_ALLOC)) continue;
    u32 align = s->addralign ? s->addralign : 1;
    size = (size + align - 1) & ~(align - 1);
    im->where[i] = size;
    size += s->size;
  }
  return size;
}

/* Each symbol's final value, in place of st_value in a copy of the table. */
static int symbol_values(struct image *im, struct module *mod, u32 *values) {
  for (u32 i = 1; i < im->nsyms; i++) {
    const struct elfsym *s = &im->syms[i];
    if (s->shndx == SHN_UNDEF) {
      const char *name = sym_name(im, s);
      if (!*name) { values[i] = 0; continue; }
      struct module *from;
      if (resolve(name, &values[i], &from) < 0) {
        printk("%s: unknown symbol %s\n", mod->name, name);
        return -ENOENT;
      }
      if (from && add_use(mod, from) < 0) return -ENOMEM;
    } else if (s->shndx == SHN_ABS) {
      values[i] = s->value;
    } else if (s->shndx >= SHN_LORESERVE) {
      printk("%s: symbol %s in an unsupported section (common?)\n", mod->name, sym_name(im, s));
      return -ENOEXEC;
    } else if (s->shndx < im->nsec) {
      values[i] = (u32)mod->core + im->where[s->shndx] + s->value;
    } else {
      return -ENOEXEC;
    }
  }
  return 0;
}

static int relocate(struct image *im, struct module *mod, const u32 *values) {
  for (u32 i = 1; i < im->nsec; i++) {
    const struct shdr *r = &im->sh[i];
    if (r->type != SHT_REL) continue;
    if (r->info >= im->nsec || r->entsize != sizeof(struct elfrel)) return -ENOEXEC;
    const struct shdr *target = &im->sh[r->info];
    if (!(target->flags & SHF_ALLOC)) continue; /* debug sections are not loaded */
    const struct elfrel *rel = (const void *)(im->data + r->offset);
    for (u32 k = 0; k < r->size / sizeof *rel; k++) {
      u32 type = rel[k].info & 0xff, symi = rel[k].info >> 8;
      if (type == R_386_NONE) continue;
      if (symi >= im->nsyms || target->size < 4 || rel[k].offset > target->size - 4) {
        printk("%s: relocation outside its section (%s + %x)\n", mod->name, section_name(im, r->info), rel[k].offset);
        return -ENOEXEC;
      }
      u32 *where = (u32 *)(mod->core + im->where[r->info] + rel[k].offset);
      if (type == R_386_32) *where += values[symi];
      else if (type == R_386_PC32) *where += values[symi] - (u32)where;
      else {
        printk("%s: relocation type %u not supported\n", mod->name, type);
        return -ENOEXEC;
      }
    }
  }
  return 0;
}

static int parse_int(const char *s, int *out) {
  int neg = *s == '-', v = 0;
  if (neg) s++;
  if (!*s) return -EINVAL;
  for (; *s; s++) {
    if (*s < '0' || *s > '9') return -EINVAL;
    v = v * 10 + (*s - '0');
  }
  *out = neg ? -v : v;
  return 0;
}

/* "name=value name2=value2": each must name a parameter of the module.
 * charp values point into the module's own copy of the string. */
static int set_params(struct module *mod, struct kernel_param *params, u32 nparams, char *args) {
  char *p = args;
  while (*p) {
    while (*p == ' ') p++;
    if (!*p) break;
    char *name = p, *value = NULL;
    while (*p && *p != ' ') {
      if (*p == '=' && !value) { *p = 0; value = p + 1; }
      p++;
    }
    if (*p) *p++ = 0;
    struct kernel_param *k = NULL;
    for (u32 i = 0; i < nparams; i++)
      if (strcmp(params[i].name, name) == 0) k = &params[i];
    if (!k) { printk("%s: unknown parameter '%s'\n", mod->name, name); return -EINVAL; }
    int err = 0;
    if (k->type == PARAM_INT) err = value ? parse_int(value, k->ptr) : -EINVAL;
    else if (k->type == PARAM_BOOL) *(int *)k->ptr = !value || strcmp(value, "0") != 0;
    else if (k->type == PARAM_CHARP) { if (value) *(const char **)k->ptr = value; else err = -EINVAL; }
    if (err) { printk("%s: bad value for parameter '%s'\n", mod->name, name); return err; }
  }
  return 0;
}

static void free_module(struct module *mod) {
  for (int i = 0; i < mod->nuses; i++) module_put(mod->uses[i]);
  vfree(mod->core);
  kmfree(mod);
}

int load_module(const u8 *data, u32 len, const char *params) {
  struct image *im = kzalloc(sizeof *im);
  if (!im) return -ENOMEM;
  im->data = data;
  im->len = len;
  int err = check_elf(im);
  const char *name = err ? NULL : modinfo(im, "name");
  if (!err && (!name || !*name || strlen(name) >= MODULE_NAME_LEN)) err = -ENOEXEC;
  if (err) { kmfree(im); return err; }
  if (find_module(name)) { kmfree(im); return -EEXIST; }

  struct module *mod = kzalloc(sizeof *mod);
  u32 size = layout(im);
  u32 params_len = strlen(params) + 1;
  u32 *values = vmalloc(im->nsyms * 4);
  if (mod) strncpy_safe(mod->name, name, sizeof mod->name);
  if (mod) mod->core = vmalloc(size + params_len);
  if (!mod || !mod->core || !values) {
    if (mod) vfree(mod->core);
    kmfree(mod);
    vfree(values);
    kmfree(im);
    return -ENOMEM;
  }
  mod->size = size;
  for (u32 i = 1; i < im->nsec; i++) {
    const struct shdr *s = &im->sh[i];
    if ((s->flags & SHF_ALLOC) && s->type != SHT_NOBITS) memcpy(mod->core + im->where[i], im->data + s->offset, s->size);
  }
  char *args = (char *)mod->core + size;
  memcpy(args, params, params_len);

  err = symbol_values(im, mod, values);
  if (!err) err = relocate(im, mod, values);
  int ksym = find_section(im, "__ksymtab"), par = find_section(im, "__param");
  if (!err) {
    if (ksym > 0 && (im->sh[ksym].flags & SHF_ALLOC)) {
      mod->syms = (const void *)(mod->core + im->where[ksym]);
      mod->nsyms = im->sh[ksym].size / sizeof(struct kernel_symbol);
    }
    if (par > 0 && (im->sh[par].flags & SHF_ALLOC))
      err = set_params(mod, (void *)(mod->core + im->where[par]), im->sh[par].size / sizeof(struct kernel_param), args);
  }
  int (*init)(void) = NULL;
  for (u32 i = 1; !err && i < im->nsyms; i++) {
    const char *n = sym_name(im, &im->syms[i]);
    if (im->syms[i].shndx == SHN_UNDEF) continue;
    if (strcmp(n, "init_module") == 0) init = (int (*)(void))values[i];
    if (strcmp(n, "cleanup_module") == 0) mod->exit = (void (*)(void))values[i];
  }
  vfree(values);
  kmfree(im);
  for (int i = 0; !err && i < mod->nuses; i++) module_get(mod->uses[i]);
  if (err) { mod->nuses = 0; free_module(mod); return err; }

  this_module_loading = mod;
  err = init ? init() : 0;
  this_module_loading = NULL;
  if (err) {
    printk("%s: init failed with error %d\n", mod->name, err);
    free_module(mod);
    return err > 0 ? -EINVAL : err;
  }
  mod->next = modules;
  modules = mod;
  printk("module %s loaded at %p (%u bytes)\n", mod->name, mod->core, mod->size);
  return 0;
}

int unload_module(const char *name) {
  struct module **link = &modules;
  while (*link && strcmp((*link)->name, name) != 0) link = &(*link)->next;
  struct module *mod = *link;
  if (!mod) return -ENOENT;
  if (mod->refs > 0) return -EBUSY;
  this_module_loading = mod;
  if (mod->exit) mod->exit();
  this_module_loading = NULL;
  *link = mod->next;
  printk("module %s unloaded\n", mod->name);
  free_module(mod);
  return 0;
}

void module_get(struct module *m) { if (m) m->refs++; }
void module_put(struct module *m) { if (m && m->refs > 0) m->refs--; }

/* /proc/modules: "name size refs users", users as "a,b," or "-". */
int modules_text(char *buf, u32 size) {
  u32 len = 0;
  for (struct module *m = modules; m && len < size; m = m->next) {
    char users[96] = "";
    u32 ul = 0;
    for (struct module *u = modules; u; u = u->next)
      for (int i = 0; i < u->nuses; i++)
        if (u->uses[i] == m && ul + strlen(u->name) + 2 < sizeof users)
          ul += (u32)snprintk(users + ul, sizeof users - ul, "%s,", u->name);
    len += (u32)snprintk(buf + len, size - len, "%s %u %d %s Live %p\n", m->name, m->size, m->refs,
                         ul ? users : "-", m->core);
  }
  return (int)(len < size ? len : size);
}

/* /proc/kallsyms: every exported symbol, the kernel's then the modules'. */
int kallsyms_read(void *buf, u32 off, u32 n, int user) {
  char line[96];
  u32 pos = 0, done = 0;
  struct module *m = NULL;
  const struct kernel_symbol *k = __start___ksymtab, *end = __stop___ksymtab;
  for (;;) {
    if (k == end) {
      m = m ? m->next : modules;
      while (m && !m->nsyms) m = m->next;
      if (!m) break;
      k = m->syms;
      end = m->syms + m->nsyms;
    }
    int len = snprintk(line, sizeof line, "%08x T %s%s%s%s\n", k->value, k->name, m ? "\t[" : "", m ? m->name : "", m ? "]" : "");
    k++;
    if (len >= (int)sizeof line) len = sizeof line - 1;
    if (pos + (u32)len <= off) { pos += (u32)len; continue; }
    u32 from = off > pos ? off - pos : 0;
    u32 take = (u32)len - from;
    if (take > n - done) take = n - done;
    if (copy_out(user, (u8 *)buf + done, line + from, take) < 0) return done ? (int)done : -EFAULT;
    done += take;
    pos += (u32)len;
    if (done == n) break;
  }
  return (int)done;
}
