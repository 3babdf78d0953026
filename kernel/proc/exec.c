/* exec: an ELF32 i386 executable into a new address space, with the stack
 * laid out as the Linux i386 ABI does (argc, argv, envp, auxv). */
#include "kernel.h"
#include "proc.h"
#include "memlayout.h"
#include "elf.h"

#define PT_LOAD 1
#define PF_W 2
#define AT_NULL 0
#define AT_PAGESZ 6
#define AT_ENTRY 9


static int read_exact(struct inode *ip, void *dst, u32 off, u32 n) {
  return ip->ops->read(ip, dst, off, n, 0) == (int)n ? 0 : -ENOEXEC;
}

/* Maps a PT_LOAD segment's pages and reads its file bytes into them; the
 * rest (bss) stays zero. */
static int load_segment(u32 *pd, const struct proghdr *ph, struct inode *ip) {
  if (ph->vaddr < USER_MIN) return -EPERM; /* page 0 stays unmapped: a null pointer faults */
  if (ph->memsz < ph->filesz || ph->vaddr + ph->memsz < ph->vaddr || ph->vaddr + ph->memsz > MMAP_BASE)
    return -ENOEXEC;
  if (ph->offset > ip->size || ph->filesz > ip->size - ph->offset) return -ENOEXEC;
  for (u32 va = ph->vaddr & ~(PGSIZE - 1); va < ph->vaddr + ph->memsz; va += PGSIZE)
    if (!map_user_page(pd, va, (ph->flags & PF_W) != 0)) return -ENOMEM;
  for (u32 done = 0; done < ph->filesz;) {
    u32 va = ph->vaddr + done;
    u32 n = PGSIZE - (va & (PGSIZE - 1));
    if (n > ph->filesz - done) n = ph->filesz - done;
    if (read_exact(ip, user_addr(pd, va, 0), ph->offset + done, n) < 0) return -ENOEXEC;
    done += n;
  }
  return 0;
}

/* Copies strings onto the user stack below sp, noting where each went. */
static int push_strings(u32 *pd, u32 *sp, int n, char *const s[], u32 *where) {
  for (int i = n - 1; i >= 0; i--) {
    u32 len = strlen(s[i]) + 1;
    if (*sp - len < USTACK_TOP - PGSIZE) return -E2BIG; /* arguments get one page */
    *sp -= len;
    copy_to_space(pd, *sp, s[i], len);
    where[i] = *sp;
  }
  return 0;
}

/* Builds the initial stack as the Linux i386 ABI lays it out: the strings
 * at the top, then (growing down) the auxiliary vector, envp, argv and
 * argc. Returns the user ESP, or 0 when the arguments do not fit. */
static u32 setup_stack(u32 *pd, int argc, char *const argv[], int envc, char *const envp[], u32 entry) {
  u32 sp = USTACK_TOP;
  u32 aptr[MAXARG], eptr[MAXARG];
  if (push_strings(pd, &sp, envc, envp, eptr) < 0 || push_strings(pd, &sp, argc, argv, aptr) < 0) return 0;
  u32 words[2 * MAXARG + 10];
  u32 n = 0;
  words[n++] = (u32)argc;
  for (int i = 0; i < argc; i++) words[n++] = aptr[i];
  words[n++] = 0;
  for (int i = 0; i < envc; i++) words[n++] = eptr[i];
  words[n++] = 0;
  words[n++] = AT_PAGESZ; words[n++] = PGSIZE;
  words[n++] = AT_ENTRY; words[n++] = entry;
  words[n++] = AT_NULL; words[n++] = 0;
  sp = (sp - n * 4) & ~15u;
  copy_to_space(pd, sp, words, n * 4);
  return sp;
}

int exec_image(struct proc *p, struct inode *ip, int argc, char *const argv[], int envc, char *const envp[]) {
  if (argc < 1 || argc > MAXARG || envc < 0 || envc > MAXARG) return -E2BIG;
  struct elfhdr eh;
  struct proghdr ph[16];
  if (read_exact(ip, &eh, 0, sizeof eh) < 0 || strncmp((const char *)eh.ident, "\x7f" "ELF", 4) != 0 ||
      eh.ident[4] != 1 || eh.ident[5] != 1 || eh.type != 2 || eh.machine != 3 ||
      eh.phentsize != sizeof(struct proghdr) || eh.phnum > 16 ||
      read_exact(ip, ph, eh.phoff, eh.phnum * sizeof ph[0]) < 0)
    return -ENOEXEC;
  u32 *pd = pgdir_new();
  if (!pd) return -ENOMEM;
  u32 end = 0;
  for (u32 i = 0; i < eh.phnum; i++) {
    if (ph[i].type != PT_LOAD) continue;
    int err = load_segment(pd, &ph[i], ip);
    if (err < 0) { pgdir_free(pd); return err; }
    if (ph[i].vaddr + ph[i].memsz > end) end = ph[i].vaddr + ph[i].memsz;
  }
  for (u32 va = USTACK_TOP - USTACK_PAGES * PGSIZE; va < USTACK_TOP; va += PGSIZE)
    if (!map_user_page(pd, va, 1)) { pgdir_free(pd); return -ENOMEM; }
  u32 sp = setup_stack(pd, argc, argv, envc, envp, eh.entry);
  if (!sp) { pgdir_free(pd); return -E2BIG; }

  u32 *old = p->pgdir;
  p->pgdir = pd;
  if (p == curproc) load_pgdir(pd);
  if (old) pgdir_free(old);
  p->brk_start = p->brk = (end + PGSIZE - 1) & ~(PGSIZE - 1);
  memset(p->regions, 0, sizeof p->regions);
  fpu_reset(p);
  struct trapframe *tf = p->tf;
  memset(tf, 0, sizeof *tf);
  tf->cs = SEL_UCODE;
  tf->ds = tf->es = tf->fs = tf->gs = tf->ss = SEL_UDATA;
  tf->eflags = 0x202; /* interrupts on */
  tf->esp = sp;
  tf->eip = eh.entry;
  const char *base = argv[0];
  for (const char *c = argv[0]; *c; c++) if (*c == '/') base = c + 1;
  strncpy_safe(p->name, base, sizeof p->name);
  p->cmdline_len = 0;
  for (int i = 0; i < argc; i++) {
    u32 len = strlen(argv[i]) + 1;
    if (p->cmdline_len + len > sizeof p->cmdline) break;
    memcpy(p->cmdline + p->cmdline_len, argv[i], len);
    p->cmdline_len += len;
  }
  return 0;
}
