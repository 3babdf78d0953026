/* exec: an ELF32 i386 executable (or a "#!" script, through its
 * interpreter) into a new address space, with the initial stack laid out
 * as Linux i386 lays it out: argc, argv, envp, the auxiliary vector, and
 * above them the strings, 16 random bytes (AT_RANDOM) and the platform
 * name; the file name (AT_EXECFN) at the very top. */
#include "kernel.h"
#include "proc.h"
#include "mm.h"
#include "memlayout.h"
#include "elf.h"

#define PT_LOAD 1
#define PT_INTERP 3
#define PT_PHDR 6
#define PF_X 1
#define PF_W 2
#define PF_R 4
#define MAXPH 16

/* The auxiliary vector's keys (<elf.h>). */
enum {
  AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7, AT_FLAGS = 8, AT_ENTRY = 9,
  AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15, AT_HWCAP = 16, AT_CLKTCK = 17,
  AT_SECURE = 23, AT_RANDOM = 25, AT_EXECFN = 31,
};

#define PAGE_UP(a) (((a) + PGSIZE - 1) & ~(PGSIZE - 1))
#define PAGE_DOWN(a) ((a) & ~(PGSIZE - 1))

static int read_exact(struct inode *ip, void *dst, u32 off, u32 n) {
  return ip->ops->read(ip, dst, off, n, 0) == (int)n ? 0 : -ENOEXEC;
}

/* An ELF header and its program headers, checked. */
struct image {
  struct elfhdr eh;
  struct proghdr ph[MAXPH];
  u32 phdr_va; /* where the program headers are in memory (AT_PHDR) */
};

static int read_headers(struct inode *ip, struct image *im) {
  struct elfhdr *eh = &im->eh;
  if (read_exact(ip, eh, 0, sizeof *eh) < 0 || strncmp((const char *)eh->ident, "\x7f" "ELF", 4) != 0 ||
      eh->ident[4] != 1 || eh->ident[5] != 1 || eh->type != 2 || eh->machine != 3 ||
      eh->phentsize != sizeof(struct proghdr) || eh->phnum > MAXPH ||
      read_exact(ip, im->ph, eh->phoff, eh->phnum * sizeof im->ph[0]) < 0)
    return -ENOEXEC;
  im->phdr_va = 0;
  for (u32 i = 0; i < eh->phnum; i++) {
    const struct proghdr *ph = &im->ph[i];
    if (ph->type == PT_INTERP) return -ENOENT; /* a dynamic program: there is no ld.so here */
    if (ph->type == PT_PHDR) im->phdr_va = ph->vaddr;
    if (ph->type == PT_LOAD && !im->phdr_va && eh->phoff >= ph->offset && eh->phoff - ph->offset < ph->filesz)
      im->phdr_va = ph->vaddr + (eh->phoff - ph->offset);
  }
  return 0;
}

static u32 prot_of(u32 pflags) {
  return (pflags & PF_R ? PROT_READ : 0) | (pflags & PF_W ? PROT_WRITE : 0) | (pflags & PF_X ? PROT_EXEC : 0);
}

/* The area of a PT_LOAD segment. A page shared with the segment before it
 * gets both protections. */
static int map_segment(struct mm *mm, const struct proghdr *ph, u32 *prev_end, u32 *prev_prot) {
  if (ph->vaddr < USER_MIN) return -EPERM; /* page 0 stays unmapped: a null pointer faults */
  if (ph->memsz < ph->filesz || ph->vaddr + ph->memsz < ph->vaddr || ph->vaddr + ph->memsz > MMAP_BASE)
    return -ENOEXEC;
  u32 start = PAGE_DOWN(ph->vaddr), end = PAGE_UP(ph->vaddr + ph->memsz), prot = prot_of(ph->flags);
  if (start < *prev_end) {
    if (start + PGSIZE < *prev_end) return -ENOEXEC; /* overlapping segments */
    int err = mm_map(mm, start, start + PGSIZE, prot | *prev_prot);
    if (err) return err;
    start += PGSIZE;
  }
  *prev_end = end;
  *prev_prot = prot;
  return start < end ? mm_map(mm, start, end, prot) : 0;
}

/* Maps a segment's pages (its bss too: a small program then never faults
 * on its own data) and reads its file bytes into them; the rest stays zero. */
static int load_segment(struct mm *mm, const struct proghdr *ph, struct inode *ip) {
  if (ph->offset > ip->size || ph->filesz > ip->size - ph->offset) return -ENOEXEC;
  for (u32 va = PAGE_DOWN(ph->vaddr); va < ph->vaddr + ph->memsz; va += PGSIZE)
    if (mm_fault(mm, va, 0) < 0) return -ENOMEM;
  for (u32 done = 0; done < ph->filesz;) {
    u32 va = ph->vaddr + done;
    u32 n = PGSIZE - (va & (PGSIZE - 1));
    if (n > ph->filesz - done) n = ph->filesz - done;
    if (mm_fault(mm, va, 0) < 0) return -ENOMEM;
    if (read_exact(ip, user_addr(mm->pgdir, va, 0), ph->offset + done, n) < 0) return -ENOEXEC;
    done += n;
  }
  return 0;
}

/* CPUID leaf 1's feature flags: what the i386 ABI passes as AT_HWCAP. */
static u32 hwcap(void) {
  u32 a = 1, b, c, d;
  __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
  return d;
}

/* Builds the initial stack at the top of mm's stack area; returns the
 * user ESP (pointing at argc), or 0 when the strings do not fit. */
static u32 setup_stack(struct proc *p, struct mm *mm, const struct image *im, const char *path, const char *strings,
                       u32 len, int argc, int envc) {
  u32 sp = USTACK_TOP - 4; /* a NUL word at the very top, as Linux leaves */
  u32 plen = strlen(path) + 1;
  sp -= plen;
  u32 execfn = sp;
  if (copy_to_space(mm, execfn, path, plen) < 0) return 0;
  sp -= len;
  u32 strs = sp;
  if (copy_to_space(mm, strs, strings, len) < 0) return 0;
  sp &= ~15u;
  sp -= 5;
  u32 platform = sp;
  if (copy_to_space(mm, platform, "i686", 5) < 0) return 0;
  u8 rnd[16];
  random_bytes(rnd, sizeof rnd);
  sp = (sp - 16) & ~15u;
  u32 random = sp;
  if (copy_to_space(mm, random, rnd, sizeof rnd) < 0) return 0;

  u32 aux[] = {
    AT_HWCAP, hwcap(), AT_PAGESZ, PGSIZE, AT_CLKTCK, HZ, AT_PHDR, im->phdr_va, AT_PHENT, sizeof(struct proghdr),
    AT_PHNUM, im->eh.phnum, AT_BASE, 0, AT_FLAGS, 0, AT_ENTRY, im->eh.entry, AT_UID, p->uid, AT_EUID, p->euid,
    AT_GID, p->gid, AT_EGID, p->egid, AT_SECURE, p->uid != p->euid || p->gid != p->egid, AT_RANDOM, random,
    AT_EXECFN, execfn, AT_PLATFORM, platform, AT_NULL, 0,
  };
  u32 words = 1 + (u32)argc + 1 + (u32)envc + 1 + sizeof aux / 4;
  sp = (sp - words * 4) & ~15u;
  if (sp < USTACK_TOP - STACK_MAX / 4) return 0; /* as Linux: arguments take at most a quarter of the stack */
  u32 at = sp;
  u32 v = (u32)argc;
  if (copy_to_space(mm, at, &v, 4) < 0) return 0;
  at += 4;
  for (int i = 0; i < argc + 1 + envc + 1; i++, at += 4) {
    if (i == argc || i == argc + 1 + envc) v = 0;
    else {
      v = strs;
      strs += strlen(strings) + 1;
      strings += strlen(strings) + 1;
    }
    if (copy_to_space(mm, at, &v, 4) < 0) return 0;
  }
  if (copy_to_space(mm, at, aux, sizeof aux) < 0) return 0;
  return sp;
}

/* The process's name (the file's, as Linux's comm) and /proc cmdline. */
static void set_names(struct proc *p, const char *path, const char *strings, u32 len, int argc) {
  const char *base = path;
  for (const char *c = path; *c; c++) if (*c == '/') base = c + 1;
  strncpy_safe(p->name, base, sizeof p->name);
  u32 n = 0;
  for (int i = 0; i < argc; i++) n += strlen(strings + n) + 1;
  if (n > len) n = len;
  p->cmdline_len = n < sizeof p->cmdline ? n : sizeof p->cmdline;
  memcpy(p->cmdline, strings, p->cmdline_len);
}

/* A set-user-id (set-group-id) program runs with its file's owner (group)
 * as the effective and saved id (the aux vector's AT_SECURE shows it). */
static void set_ids(struct proc *p, struct inode *ip) {
  p->suid = p->euid;
  p->sgid = p->egid;
  if (ip->mode & S_ISUID) p->euid = p->suid = ip->uid;
  if ((ip->mode & S_ISGID) && (ip->mode & 010)) p->egid = p->sgid = ip->gid;
}

/* What a new program starts with: its registers, no thread area, the FPU
 * as fninit leaves it. */
static void reset_thread(struct proc *p, u32 entry, u32 sp) {
  memset(p->tls, 0, sizeof p->tls);
  p->clear_child_tid = 0;
  p->robust_list = p->robust_len = 0;
  if (p == curproc) tls_load(p);
  fpu_reset(p);
  struct trapframe *tf = p->tf;
  memset(tf, 0, sizeof *tf);
  tf->cs = SEL_UCODE;
  tf->ds = tf->es = tf->fs = tf->gs = tf->ss = SEL_UDATA;
  tf->eflags = 0x202; /* interrupts on */
  tf->esp = sp;
  tf->eip = entry;
}

int exec_image(struct proc *p, struct inode *ip, const char *path, const char *strings, u32 len, int argc, int envc) {
  if (argc < 1) return -EINVAL;
  struct image *im = kmalloc(sizeof *im);
  if (!im) return -ENOMEM;
  int err = read_headers(ip, im);
  struct mm *mm = err ? NULL : mm_new();
  if (!err && !mm) err = -ENOMEM;
  u32 end = 0, prev_end = 0, prev_prot = 0;
  for (u32 i = 0; !err && i < im->eh.phnum; i++) {
    const struct proghdr *ph = &im->ph[i];
    if (ph->type != PT_LOAD) continue;
    if ((err = map_segment(mm, ph, &prev_end, &prev_prot)) < 0) break;
    if (ph->vaddr + ph->memsz > end) end = ph->vaddr + ph->memsz;
  }
  for (u32 i = 0; !err && i < im->eh.phnum; i++)
    if (im->ph[i].type == PT_LOAD) err = load_segment(mm, &im->ph[i], ip);
  if (!err) err = mm_map(mm, USTACK_TOP - STACK_MAX, USTACK_TOP, PROT_READ | PROT_WRITE);
  for (u32 va = USTACK_TOP - USTACK_PAGES * PGSIZE; !err && va < USTACK_TOP; va += PGSIZE)
    if (mm_fault(mm, va, 1) < 0) err = -ENOMEM; /* the first pages now, the rest of the area when touched */
  u32 sp = 0, ids[4] = {p->euid, p->suid, p->egid, p->sgid};
  if (!err) set_ids(p, ip);
  if (!err && !(sp = setup_stack(p, mm, im, path, strings, len, argc, envc))) err = -E2BIG;
  u32 entry = im->eh.entry;
  kmfree(im);
  if (err) {
    p->euid = ids[0], p->suid = ids[1], p->egid = ids[2], p->sgid = ids[3];
    mm_put(mm);
    return err;
  }

  struct mm *old = p->mm;
  p->mm = mm;
  mm->brk_start = mm->brk = PAGE_UP(end);
  if (p == curproc) load_pgdir(mm->pgdir);
  mm_put(old);
  vfork_release(p);
  reset_thread(p, entry, sp);
  set_names(p, path, strings, len, argc);
  fd_close_on_exec(p);
  signals_exec(p);
  iput(p->exe);
  p->exe = iget(ip);
  return 0;
}

/* Gathers the argv and envp strings of execve into buf (ARG_MAX bytes):
 * the length used, or an error. */
static int gather(char *buf, u32 *used, u32 vec, int *count) {
  *count = 0;
  for (; vec; (*count)++) {
    u32 ptr;
    if (copy_from_user(&ptr, vec + 4 * (u32)*count, 4) < 0) return -EFAULT;
    if (!ptr) break;
    int n = copy_string(buf + *used, ARG_MAX - *used, ptr);
    if (n < 0) return n == -ENAMETOOLONG ? -E2BIG : n;
    *used += (u32)n + 1;
  }
  return 0;
}

/* A "#!" line: the interpreter and its optional argument go in front of
 * the arguments, the script's path replaces argv[0], and path becomes the
 * interpreter's. 1 when it was a script, 0 when not, or an error. */
static int script(struct inode *ip, char *path, char *buf, u32 *len, int *argc) {
  char line[128];
  int n = ip->ops->read(ip, line, 0, sizeof line - 1, 0);
  if (n < 2 || line[0] != '#' || line[1] != '!') return 0;
  line[n] = 0;
  char *s = line + 2, *e;
  while (*s == ' ' || *s == '\t') s++;
  for (e = s; *e && *e != '\n'; e++) {}
  if (!*e && n == sizeof line - 1) return -ENOEXEC; /* no end to the line within 127 bytes */
  *e = 0;
  while (e > s && (e[-1] == ' ' || e[-1] == '\t')) *--e = 0;
  char *arg = s;
  while (*arg && *arg != ' ' && *arg != '\t') arg++;
  if (*arg) { *arg++ = 0; while (*arg == ' ' || *arg == '\t') arg++; }
  if (!*s) return -ENOEXEC;
  const char *parts[3] = {s, arg, path};
  u32 first = strlen(buf) + 1, front = 0;
  for (int i = 0; i < 3; i++) front += *parts[i] ? strlen(parts[i]) + 1 : 0;
  if (*len - first + front > ARG_MAX) return -E2BIG;
  memmove(buf + front, buf + first, *len - first);
  u32 at = 0;
  for (int i = 0; i < 3; i++) {
    if (!*parts[i]) continue;
    u32 k = strlen(parts[i]) + 1;
    memmove(buf + at, parts[i], k);
    at += k;
    (*argc)++;
  }
  (*argc)--; /* the old argv[0] went */
  *len = *len - first + front;
  strncpy_safe(path, s, PATH_MAX);
  return 1;
}

/* Finds path's program, following up to four "#!" interpreters. */
static int find_program(char *path, char *buf, u32 *len, int *argc, struct inode **out) {
  for (int depth = 0;; depth++) {
    struct inode *ip;
    int err = namei(path, &ip);
    if (err < 0) return err;
    if (!S_ISREG(ip->mode)) err = -EACCES; /* directories and devices are not programs */
    if (!err) err = permission(ip, MAY_EXEC);
    if (!err && depth < 5) err = script(ip, path, buf, len, argc);
    else if (!err) err = -ELOOP;
    if (err == 0) { *out = ip; return 0; }
    iput(ip);
    if (err < 0) return err;
  }
}

/* exec in a process of several threads: the others end first, and a
 * thread that was not the first takes the process's id over (its first
 * thread's, a zombie now), as Linux's de_thread does. */
static void become_single_threaded(void) {
  struct proc *p = curproc;
  kill_other_threads();
  if (p->tgid == p->pid) return;
  struct proc *l = group_leader(p);
  if (l != p) {
    p->parent = l->parent;
    p->pgid = l->pgid, p->sid = l->sid;
    l->tgid = -1; /* no longer this process's */
    l->reap = 1;
    l->parent = NULL;
    proc_release_zombie(l);
  }
  p->pid = p->tgid;
}

/* execve(path, argv, envp): the strings are gathered in kernel memory
 * before the old image goes. */
int sys_execve(u32 path_va, u32 argv_va, u32 envp_va) {
  char *buf = vmalloc(ARG_MAX);
  char *path = kmalloc(2 * PATH_MAX), *prog = path + PATH_MAX;
  if (!buf || !path) { vfree(buf); kmfree(path); return -ENOMEM; }
  u32 len = 0;
  int argc = 0, envc = 0;
  int err = copy_string(path, PATH_MAX, path_va);
  if (err == 0) err = -ENOENT;
  if (err > 0) err = gather(buf, &len, argv_va, &argc);
  if (err >= 0 && argc == 0) { buf[0] = 0; len = 1; argc = 1; } /* as Linux: an empty argv[0] */
  if (err >= 0) err = gather(buf, &len, envp_va, &envc);
  struct inode *ip = NULL;
  if (err >= 0) {
    memcpy(prog, path, PATH_MAX);
    err = find_program(prog, buf, &len, &argc, &ip);
  }
  if (err >= 0) become_single_threaded();
  if (err >= 0) err = exec_image(curproc, ip, path, buf, len, argc, envc);
  if (ip) iput(ip);
  vfree(buf);
  kmfree(path);
  return err < 0 ? err : 0;
}
