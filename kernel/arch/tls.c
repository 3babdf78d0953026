/* Thread-local storage as Linux i386 provides it: set_thread_area puts a
 * data segment descriptor in one of three GDT slots (6-8) of the calling
 * process, and the program loads its selector into GS (glibc, musl) to
 * reach its thread's block at %gs:0. Each process has its own three
 * descriptors, copied into the GDT whenever it is switched to; the
 * selector itself is the program's, reloaded from the trap frame on every
 * return to user mode. */
#include "kernel.h"
#include "mmu.h"
#include "proc.h"

extern u64 gdt[];

/* struct user_desc (<asm/ldt.h>). */
struct user_desc {
  u32 entry_number, base_addr, limit;
  u32 seg_32bit : 1, contents : 2, read_exec_only : 1, limit_in_pages : 1, seg_not_present : 1, useable : 1;
};

/* Linux's LDT_empty and LDT_zero: a request to clear the slot. */
static int desc_empty(const struct user_desc *u) {
  int zero = !u->base_addr && !u->limit && !u->contents && !u->seg_32bit && !u->limit_in_pages && !u->useable;
  return zero && ((u->read_exec_only && u->seg_not_present) || (!u->read_exec_only && !u->seg_not_present));
}

/* The descriptor a user_desc asks for: always a DPL 3 data segment (no
 * code, no 16-bit segments: tls_desc_okay's rules), 0 to clear. */
static int make_desc(const struct user_desc *u, u64 *d) {
  if (desc_empty(u)) { *d = 0; return 0; }
  if (!u->seg_32bit || u->contents > 1) return -EINVAL;
  u32 lo = (u->base_addr << 16) | (u->limit & 0xffff);
  u32 hi = (u->base_addr & 0xff000000) | ((u->base_addr >> 16) & 0xff) | (u->limit & 0xf0000) |
           ((u32)(u->read_exec_only ^ 1) << 9) | ((u32)u->contents << 10) | ((u32)(u->seg_not_present ^ 1) << 15) |
           ((u32)u->seg_32bit << 22) | ((u32)u->limit_in_pages << 23) | ((u32)u->useable << 20) | 0x7000;
  *d = ((u64)hi << 32) | lo;
  return 0;
}

static void read_desc(u64 d, struct user_desc *u) {
  u32 lo = (u32)d, hi = (u32)(d >> 32);
  u->base_addr = (lo >> 16) | ((hi & 0xff) << 16) | (hi & 0xff000000);
  u->limit = (lo & 0xffff) | (hi & 0xf0000);
  u->seg_32bit = (hi >> 22) & 1;
  u->contents = (hi >> 10) & 3;
  u->read_exec_only = !((hi >> 9) & 1);
  u->limit_in_pages = (hi >> 23) & 1;
  u->seg_not_present = !((hi >> 15) & 1);
  u->useable = (hi >> 20) & 1;
}

/* From the scheduler and exec: p's descriptors into the GDT. */
void tls_load(struct proc *p) {
  for (int i = 0; i < NTLS; i++) gdt[GDT_TLS_MIN + i] = p->tls[i];
}

/* Whether sel names a TLS slot that holds a usable (present) descriptor,
 * so that reloading it cannot fault. */
int tls_selector_ok(u32 sel) {
  u32 slot = (sel & 0xffff) >> 3;
  if (slot < GDT_TLS_MIN || slot >= GDT_TLS_MIN + NTLS || (sel & 4)) return 0;
  return (gdt[slot] >> 47) & 1;
}

/* Sets one of p's slots from the user_desc at va; entry_number -1 takes
 * the first free slot and writes its number back. */
int tls_set(struct proc *p, u32 va) {
  struct user_desc u;
  if (copy_from_user(&u, va, sizeof u) < 0) return -EFAULT;
  u32 idx = u.entry_number;
  if (idx == (u32)-1) {
    for (idx = 0; idx < NTLS && p->tls[idx]; idx++) {}
    if (idx == NTLS) return -ESRCH;
    idx += GDT_TLS_MIN;
    u.entry_number = idx;
    if (copy_to_user_checked(va, &u, 4) < 0) return -EFAULT;
  }
  if (idx < GDT_TLS_MIN || idx >= GDT_TLS_MIN + NTLS) return -EINVAL;
  u64 d;
  if (make_desc(&u, &d) < 0) return -EINVAL;
  p->tls[idx - GDT_TLS_MIN] = d;
  if (p == curproc) tls_load(p);
  return 0;
}

int sys_set_thread_area(u32 va) { return tls_set(curproc, va); }

int sys_get_thread_area(u32 va) {
  struct user_desc u;
  if (copy_from_user(&u, va, 4) < 0) return -EFAULT;
  u32 idx = u.entry_number;
  if (idx < GDT_TLS_MIN || idx >= GDT_TLS_MIN + NTLS) return -EINVAL;
  memset(&u, 0, sizeof u);
  u.entry_number = idx;
  u64 d = curproc->tls[idx - GDT_TLS_MIN];
  if (d) read_desc(d, &u);
  else u.read_exec_only = u.seg_not_present = 1; /* as Linux reports an empty slot */
  return copy_to_user_checked(va, &u, sizeof u);
}
