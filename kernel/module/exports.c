/* Exported symbols: the kernel's EXPORT_SYMBOL table and each loaded
 * module's __ksymtab. Looked up by name to link a module, checked before
 * a module's own table joins them, listed in /proc/kallsyms. */
#include "kernel.h"
#include "internal.h"
#include "fs.h"

extern const struct kernel_symbol __start___ksymtab[], __stop___ksymtab[];

/* A symbol's address from the kernel's exports or a loaded module's;
 * the module it came from (NULL: the kernel) goes into *from. */
int find_export(const char *name, u32 *value, struct module **from) {
  for (const struct kernel_symbol *k = __start___ksymtab; k < __stop___ksymtab; k++)
    if (strcmp(k->name, name) == 0) { *value = k->value; *from = NULL; return 0; }
  for (struct module *m = modules; m; m = m->next)
    for (u32 i = 0; i < m->nsyms; i++)
      if (strcmp(m->syms[i].name, name) == 0) { *value = m->syms[i].value; *from = m; return 0; }
  return -ENOENT;
}

/* A name may be exported once: a second export would make which one a
 * module links against depend on the order of loading. */
static int check_new(const struct module *mod, const struct kernel_symbol *table, u32 n, const char *name) {
  u32 value;
  struct module *owner;
  const char *by = NULL;
  if (find_export(name, &value, &owner) == 0) by = owner ? owner->name : "kernel";
  else if (strcmp(name, "__this_module") == 0) by = "kernel"; /* the loader gives it to each module */
  for (u32 i = 0; !by && i < n; i++)
    if (strcmp(table[i].name, name) == 0) by = mod->name;
  if (!by) return 0;
  /* Linux's words and error */
  printk("%s: exports duplicate symbol %s (owned by %s)\n", mod->name, name, by);
  return -ENOEXEC;
}

/* The module's __ksymtab, read after relocation (its pointers are final):
 * each name a string inside the module's loaded sections and not yet
 * exported, each address inside those sections. On success the table is
 * the module's, to be found once it is in the list. */
int check_exports(const struct image *im, struct module *mod) {
  int i = find_section(im, "__ksymtab");
  if (i < 0) return 0;
  const struct shdr *s = &im->sh[i];
  if (!(s->flags & SHF_ALLOC) || s->type == SHT_NOBITS || s->size % sizeof(struct kernel_symbol)) {
    printk("%s: __ksymtab is not a table of exports\n", mod->name);
    return -ENOEXEC;
  }
  const struct kernel_symbol *k = (const void *)(mod->core + im->where[i]);
  u32 n = s->size / sizeof *k;
  for (u32 e = 0; e < n; e++) {
    const char *name = string_in_sections(im, mod, (u32)k[e].name);
    if (!name || !*name) {
      printk("%s: export %u has its name at %p, outside the module\n", mod->name, e, k[e].name);
      return -ENOEXEC;
    }
    if (!in_sections(im, mod, k[e].value, 1)) {
      printk("%s: exports %s at %p, outside the module\n", mod->name, name, k[e].value);
      return -ENOEXEC;
    }
    int err = check_new(mod, k, e, name);
    if (err) return err;
  }
  mod->syms = k;
  mod->nsyms = n;
  return 0;
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
