/* kmalloc: small kernel objects, carved from whole pages into power-of-two
 * blocks of 16 to 2048 bytes. Each block remembers its size class in a
 * 16-byte header, so kfree needs no size. Larger requests fail: what needs
 * more than a page (file data, page tables) is built from pages. */
#include "kernel.h"
#include "module.h"
#include "memlayout.h"

#define MIN_SHIFT 4
#define NCLASS 8 /* 16, 32, ..., 2048 */

struct block { struct block *next; };
struct header { u32 class; u32 magic; u32 pad[2]; };
#define MAGIC 0x6b6d616c

static struct block *free_blocks[NCLASS];

void *kmalloc(size_t size) {
  if (size > PGSIZE) return NULL; /* before adding the header can wrap */
  size += sizeof(struct header);
  int c = 0;
  while (c < NCLASS && (1u << (c + MIN_SHIFT)) < size) c++;
  if (c == NCLASS) return NULL;
  if (!free_blocks[c]) {
    u8 *page = kalloc();
    if (!page) return NULL;
    u32 bsize = 1u << (c + MIN_SHIFT);
    for (u32 off = 0; off + bsize <= PGSIZE; off += bsize) {
      struct block *b = (struct block *)(page + off);
      b->next = free_blocks[c];
      free_blocks[c] = b;
    }
  }
  struct block *b = free_blocks[c];
  free_blocks[c] = b->next;
  struct header *h = (struct header *)b;
  h->class = (u32)c;
  h->magic = MAGIC;
  return h + 1;
}

void *kzalloc(size_t size) {
  void *p = kmalloc(size);
  if (p) memset(p, 0, size);
  return p;
}

void kmfree(void *p) {
  if (!p) return;
  struct header *h = (struct header *)p - 1;
  if (h->magic != MAGIC || h->class >= NCLASS) panic("kmfree: bad pointer %p", p);
  u32 c = h->class; /* the free-list link goes where the class was */
  h->magic = 0;
  struct block *b = (struct block *)h;
  b->next = free_blocks[c];
  free_blocks[c] = b;
}

EXPORT_SYMBOL(kmalloc);
EXPORT_SYMBOL(kzalloc);
EXPORT_SYMBOL(kmfree);
