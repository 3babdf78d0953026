/* ELF32 headers, as the System V ABI lays them out: for exec (executables)
 * and the module loader (relocatable objects). */
#ifndef ELF_H
#define ELF_H
#include "types.h"

struct elfhdr {
  u8 ident[16];
  u16 type, machine;
  u32 version, entry, phoff, shoff, flags;
  u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct proghdr { u32 type, offset, vaddr, paddr, filesz, memsz, flags, align; };
struct shdr { u32 name, type, flags, addr, offset, size, link, info, addralign, entsize; };
struct elfsym { u32 name, value, size; u8 info, other; u16 shndx; };
struct elfrel { u32 offset, info; };
#endif
