/* Loadable modules, as Linux has them in small: a module is an ELF
 * relocatable object with a .modinfo section (name, description, license,
 * dependencies, parameters), init_module/cleanup_module entry points,
 * parameters in a __param section and exports in a __ksymtab section. */
#ifndef MODULE_H
#define MODULE_H
#include "types.h"

struct kernel_symbol { u32 value; const char *name; };

/* Makes sym visible to modules (the kernel's, or a module's to others). */
#define EXPORT_SYMBOL(sym)                                                              \
  static const char __kstrtab_##sym[] __attribute__((section(".rodata.kstrtab"))) = #sym; \
  static const struct kernel_symbol __ksymtab_##sym                                   \
      __attribute__((section("__ksymtab"), used)) = {(u32)&sym, __kstrtab_##sym}

#define MODULE_INFO(tag, value) \
  static const char __modinfo_##tag[] __attribute__((section(".modinfo"), used, aligned(1))) = #tag "=" value
#define MODULE_NAME(n) MODULE_INFO(name, n)
#define MODULE_DESCRIPTION(d) MODULE_INFO(description, d)
#define MODULE_LICENSE(l) MODULE_INFO(license, l)
#define MODULE_DEPENDS(d) MODULE_INFO(depends, d) /* "a,b": loaded first by modprobe */

#define module_init(fn) int init_module(void) __attribute__((alias(#fn)))
#define module_exit(fn) void cleanup_module(void) __attribute__((alias(#fn)))

enum param_type { PARAM_INT, PARAM_BOOL, PARAM_CHARP };
struct kernel_param { const char *name; u32 type; void *ptr; };

/* module_param(var, int|bool|charp, "description") */
#define module_param(var, type, desc)                                                     \
  static const char __param_name_##var[] = #var;                                         \
  static const struct kernel_param __param_##var                                       \
      __attribute__((section("__param"), used)) = {__param_name_##var, PARAM_##type, &var}; \
  MODULE_INFO(parm_##var, #var ":" #type ":" desc)
#define PARAM_int PARAM_INT
#define PARAM_bool PARAM_BOOL
#define PARAM_charp PARAM_CHARP

#define MODULE_NAME_LEN 32

struct module {
  char name[MODULE_NAME_LEN];
  u8 *core;                  /* the loaded sections (vmalloc) */
  u32 size;
  int refs;                  /* modules using it, open devices, mounts */
  struct module *uses[8];    /* modules it takes symbols from */
  int nuses;
  const struct kernel_symbol *syms; /* its exports, relocated */
  u32 nsyms;
  void (*exit)(void);
  struct module *next;
};

/* The owner a driver passes when it registers something (a character
 * device, a /dev node, a filesystem, an IRQ handler, a disk, the tty), so
 * that whatever the module leaves registered goes when it does. In a
 * module it is the module itself: the loader resolves __this_module to its
 * struct module. Built into the kernel it is NULL, which nothing unloads.
 * (images.js compiles modules with -DMODULE.) */
#ifdef MODULE
extern struct module __this_module;
#define THIS_MODULE (&__this_module)
#else
#define THIS_MODULE ((struct module *)0)
#endif

int load_module(const u8 *image, u32 len, const char *params);
int unload_module(const char *name);
void module_get(struct module *m);
void module_put(struct module *m);
int modules_text(char *buf, u32 size);
int kallsyms_read(void *buf, u32 off, u32 n, int user);
#endif
