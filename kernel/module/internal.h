/* Shared by the module loader's files: the ELF facts it uses, the image
 * of one module file while it is checked and linked, and the list of
 * loaded modules. */
#ifndef MODULE_INTERNAL_H
#define MODULE_INTERNAL_H
#include "types.h"
#include "elf.h"
#include "memlayout.h"
#include "module.h"

#define ET_REL 1
#define EM_386 3
#define SHT_SYMTAB 2
#define SHT_STRTAB 3
#define SHT_RELA 4
#define SHT_NOBITS 8
#define SHT_REL 9
#define SHF_ALLOC 2
#define SHF_EXECINSTR 4
#define SHN_UNDEF 0
#define SHN_LORESERVE 0xff00
#define SHN_ABS 0xfff1
#define SHN_COMMON 0xfff2
#define STB_LOCAL 0
#define R_386_NONE 0
#define R_386_32 1
#define R_386_PC32 2
#define MAX_SECTIONS 64
/* No module outgrows the vmalloc area. Every size is checked against this
 * before it is added to another, so no sum of them can wrap. */
#define MAX_LAYOUT VMALLOC_SIZE

struct image {
  const u8 *data;
  u32 len;
  const struct shdr *sh;
  u32 nsec;
  const char *shstrtab;       /* the section names */
  u32 shstrtab_size;
  u32 symtab;                 /* the symbol table's section */
  const struct elfsym *syms;
  u32 nsyms;
  const char *strtab;         /* the symbol names */
  u32 strtab_size;
  u32 where[MAX_SECTIONS];    /* each allocated section's offset in the module's memory */
};

extern struct module *modules;

/* image.c: nothing is allocated for a file until these pass. */
int check_elf(struct image *im);
int check_links(const struct image *im, const char *name);
const char *section_name(const struct image *im, u32 i);
int find_section(const struct image *im, const char *name);
const char *sym_name(const struct image *im, const struct elfsym *s);
const char *modinfo(const struct image *im, const char *tag);
int in_sections(const struct image *im, const struct module *mod, u32 addr, u32 len);
const char *string_in_sections(const struct image *im, const struct module *mod, u32 addr);

/* exports.c */
int find_export(const char *name, u32 *value, struct module **from);
int check_exports(const struct image *im, struct module *mod);
#endif
