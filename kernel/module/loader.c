/* The module loader: lays a checked module file's allocated sections out
 * in one vmalloc'd block, resolves its undefined symbols against the
 * kernel's exports and those of loaded modules, applies the i386
 * relocations, checks its exports and parameters, sets the parameters
 * and runs its init. Any failure frees everything; whatever a module
 * registered and left registered goes when its init fails or it is
 * unloaded. */
#include "kernel.h"
#include "internal.h"
#include "fs.h"
#include "block.h"
#include "tty.h"

struct module *modules;

static struct module *find_module(const char *name) {
  for (struct module *m = modules; m; m = m->next)
    if (strcmp(m->name, name) == 0) return m;
  return NULL;
}

static int add_use(struct module *mod, struct module *from) {
  for (int i = 0; i < mod->nuses; i++)
    if (mod->uses[i] == from) return 0;
  if (mod->nuses == (int)(sizeof mod->uses / sizeof mod->uses[0])) return -ENOMEM;
  mod->uses[mod->nuses++] = from;
  return 0;
}

/* Each allocated section's place in the module's memory, and the total.
 * Each size is checked against what is left of MAX_LAYOUT before it is
 * added, so the total cannot wrap (an alignment, at most a page, cannot
 * carry it past MAX_LAYOUT, a multiple of pages). */
static int layout(struct image *im, u32 *total) {
  u32 size = 0;
  for (u32 i = 1; i < im->nsec; i++) {
    const struct shdr *s = &im->sh[i];
    if (!(s->flags & SHF_ALLOC)) continue;
    u32 align = s->addralign ? s->addralign : 1; /* a power of two: check_elf */
    size = (size + align - 1) & ~(align - 1);
    if (s->size > MAX_LAYOUT - size) return -ENOEXEC;
    im->where[i] = size;
    size += s->size;
  }
  *total = size;
  return 0;
}

/* Each symbol's final value, in place of st_value in a copy of the table.
 * __this_module, which a module's THIS_MODULE names, is its struct module. */
static int symbol_values(const struct image *im, struct module *mod, u32 *values) {
  for (u32 i = 1; i < im->nsyms; i++) {
    const struct elfsym *s = &im->syms[i];
    const char *name = sym_name(im, s);
    if (s->shndx == SHN_ABS) {
      values[i] = s->value;
    } else if (s->shndx != SHN_UNDEF) {
      values[i] = (u32)mod->core + im->where[s->shndx] + s->value; /* a section: check_links */
    } else if (strcmp(name, "__this_module") == 0) {
      values[i] = (u32)mod;
    } else {
      struct module *from;
      if (find_export(name, &values[i], &from) < 0) {
        printk("%s: unknown symbol %s\n", mod->name, name);
        return -ENOENT;
      }
      if (from && add_use(mod, from) < 0) return -ENOMEM;
    }
  }
  return 0;
}

/* Applies the relocations check_links accepted. */
static void relocate(const struct image *im, struct module *mod, const u32 *values) {
  for (u32 i = 1; i < im->nsec; i++) {
    const struct shdr *r = &im->sh[i];
    if (r->type != SHT_REL || !(im->sh[r->info].flags & SHF_ALLOC)) continue;
    const struct elfrel *rel = (const void *)(im->data + r->offset);
    for (u32 k = 0; k < r->size / sizeof *rel; k++) {
      u32 type = rel[k].info & 0xff, symi = rel[k].info >> 8;
      u32 *where = (u32 *)(mod->core + im->where[r->info] + rel[k].offset);
      if (type == R_386_32) *where += values[symi];
      else if (type == R_386_PC32) *where += values[symi] - (u32)where;
    }
  }
}

/* The module's __param table, read after relocation: set_params compares
 * each name and writes through each variable's address, so both must lie
 * in the module's loaded sections. */
static int check_params(const struct image *im, struct module *mod, struct kernel_param **params, u32 *n) {
  int i = find_section(im, "__param");
  *params = NULL;
  *n = 0;
  if (i < 0) return 0;
  const struct shdr *s = &im->sh[i];
  if (!(s->flags & SHF_ALLOC) || s->type == SHT_NOBITS || s->size % sizeof(struct kernel_param)) {
    printk("%s: __param is not a table of parameters\n", mod->name);
    return -ENOEXEC;
  }
  struct kernel_param *p = (void *)(mod->core + im->where[i]);
  for (u32 k = 0; k < s->size / sizeof *p; k++)
    if (!string_in_sections(im, mod, (u32)p[k].name) || p[k].type > PARAM_CHARP ||
        !in_sections(im, mod, (u32)p[k].ptr, sizeof(u32))) {
      printk("%s: parameter %u is not the module's own\n", mod->name, k);
      return -ENOEXEC;
    }
  *params = p;
  *n = s->size / sizeof *p;
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

/* The address of init_module or cleanup_module (0: the module has none),
 * which must be in the module's code: a loaded, executable section with
 * bytes from the file. */
static int entry(const struct image *im, struct module *mod, const u32 *values, const char *which, u32 *out) {
  *out = 0;
  for (u32 i = 1; i < im->nsyms; i++) {
    const struct elfsym *s = &im->syms[i];
    if (s->shndx == SHN_UNDEF || strcmp(sym_name(im, s), which) != 0) continue;
    const struct shdr *sec = s->shndx == SHN_ABS ? NULL : &im->sh[s->shndx];
    if (!sec || sec->type == SHT_NOBITS || !(sec->flags & SHF_ALLOC) || !(sec->flags & SHF_EXECINSTR) ||
        s->value >= sec->size) {
      printk("%s: %s is not in its code\n", mod->name, which);
      return -ENOEXEC;
    }
    *out = values[i];
  }
  return 0;
}

/* Everything between the copy of the sections and init. */
static int link_module(const struct image *im, struct module *mod, char *args, u32 *init) {
  u32 *values = vmalloc(im->nsyms * sizeof(u32));
  if (!values) return -ENOMEM;
  struct kernel_param *params = NULL;
  u32 nparams = 0, exit = 0;
  int err = symbol_values(im, mod, values);
  if (!err) relocate(im, mod, values);
  if (!err) err = check_exports(im, mod);
  if (!err) err = check_params(im, mod, &params, &nparams);
  if (!err) err = set_params(mod, params, nparams, args);
  if (!err) err = entry(im, mod, values, "init_module", init);
  if (!err) err = entry(im, mod, values, "cleanup_module", &exit);
  mod->exit = (void (*)(void))exit;
  vfree(values);
  return err;
}

static void free_module(struct module *mod) {
  for (int i = 0; i < mod->nuses; i++) module_put(mod->uses[i]);
  vfree(mod->core);
  kmfree(mod);
}

/* A module going (its init failed, or it was unloaded). What it left
 * registered would point into freed memory, so it goes first, through
 * each subsystem's record of owners. If something still holds the module
 * after that (a file opened or a filesystem mounted while its init
 * slept), its code may yet run: it is kept, memory, uses and all. */
static void release(struct module *mod) {
  tty_unset_driver(mod);
  unregister_disks(mod);
  devfs_remove_all(mod);
  unregister_chrdevs(mod);
  unregister_filesystems(mod);
  free_irqs(mod);
  if (mod->refs > 0) {
    printk("%s: still in use; its memory is kept\n", mod->name);
    return;
  }
  free_module(mod);
}

int load_module(const u8 *data, u32 len, const char *params) {
  struct image *im = kzalloc(sizeof *im);
  if (!im) return -ENOMEM;
  im->data = data;
  im->len = len;
  u32 size = 0, params_len = strlen(params) + 1;
  int err = check_elf(im);
  const char *name = err ? NULL : modinfo(im, "name");
  if (!err && (!name || !*name || strlen(name) >= MODULE_NAME_LEN)) err = -ENOEXEC;
  if (!err && find_module(name)) err = -EEXIST;
  if (!err) err = check_links(im, name);
  if (!err && (err = layout(im, &size)) < 0) printk("%s: sections too big to load\n", name);
  struct module *mod = err ? NULL : kzalloc(sizeof *mod);
  if (mod) {
    strncpy_safe(mod->name, name, sizeof mod->name);
    mod->core = vmalloc(size + params_len);
    mod->size = size;
  }
  if (!err && (!mod || !mod->core)) err = -ENOMEM;
  if (err) {
    kmfree(mod);
    kmfree(im);
    return err;
  }
  for (u32 i = 1; i < im->nsec; i++) {
    const struct shdr *s = &im->sh[i];
    if ((s->flags & SHF_ALLOC) && s->type != SHT_NOBITS) memcpy(mod->core + im->where[i], im->data + s->offset, s->size);
  }
  char *args = (char *)mod->core + size;
  memcpy(args, params, params_len);
  u32 init = 0;
  err = link_module(im, mod, args, &init);
  kmfree(im);
  if (err) {
    mod->nuses = 0; /* not taken yet */
    free_module(mod);
    return err;
  }
  for (int i = 0; i < mod->nuses; i++) module_get(mod->uses[i]);
  err = init ? ((int (*)(void))init)() : 0;
  if (err) {
    /* ENODEV is a driver with no device to drive, not a failure: the
     * module says why if it wants to, and modprobe tells the user (so a
     * boot without a shared folder logs nothing for hostfs) */
    if (err != -ENODEV) printk("%s: init failed with error %d\n", mod->name, err);
    release(mod);
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
  if (mod->exit) mod->exit();
  *link = mod->next;
  printk("module %s unloaded\n", mod->name);
  release(mod);
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
