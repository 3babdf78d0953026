/* stdlib.h: a first-fit malloc over sbrk, number parsing, the
 * environment, qsort, exit. */
#include "stdlib.h"
#include "string.h"
#include "unistd.h"

/* Each block has a header; free blocks are found by walking all of them
 * (the heap of a small tool is small). Neighbouring free blocks merge. */
struct block { size_t size; int free; struct block *next; };
static struct block *heap;

void *malloc(size_t n) {
  n = (n + 15) & ~(size_t)15;
  struct block *last = 0;
  for (struct block *b = heap; b; last = b, b = b->next) {
    if (!b->free || b->size < n) continue;
    if (b->size >= n + sizeof *b + 16) { /* split */
      struct block *rest = (struct block *)((char *)(b + 1) + n);
      rest->size = b->size - n - sizeof *b;
      rest->free = 1;
      rest->next = b->next;
      b->next = rest;
      b->size = n;
    }
    b->free = 0;
    return b + 1;
  }
  struct block *b = sbrk((int)(sizeof *b + n));
  if (b == (void *)-1) return 0;
  b->size = n;
  b->free = 0;
  b->next = 0;
  if (last) last->next = b;
  else heap = b;
  return b + 1;
}

void free(void *p) {
  if (!p) return;
  struct block *b = (struct block *)p - 1;
  b->free = 1;
  for (b = heap; b; b = b->next)
    while (b->free && b->next && b->next->free && (char *)(b + 1) + b->size == (char *)b->next) {
      b->size += sizeof *b + b->next->size;
      b->next = b->next->next;
    }
}

void *calloc(size_t n, size_t size) {
  if (size && n > (size_t)-1 / size) return 0;
  void *p = malloc(n * size);
  if (p) memset(p, 0, n * size);
  return p;
}

void *realloc(void *p, size_t n) {
  if (!p) return malloc(n);
  struct block *b = (struct block *)p - 1;
  if (b->size >= n) return p;
  void *q = malloc(n);
  if (q) {
    memcpy(q, p, b->size);
    free(p);
  }
  return q;
}

long strtol(const char *s, char **end, int base) {
  while (*s == ' ' || *s == '\t') s++;
  int neg = *s == '-';
  if (*s == '-' || *s == '+') s++;
  if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s += 2, base = 16;
  if (base == 0) base = *s == '0' ? 8 : 10;
  long v = 0;
  for (;; s++) {
    int d = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'z' ? *s - 'a' + 10 : *s >= 'A' && *s <= 'Z' ? *s - 'A' + 10 : 99;
    if (d >= base) break;
    v = v * base + d;
  }
  if (end) *end = (char *)s;
  return neg ? -v : v;
}

int atoi(const char *s) { return (int)strtol(s, 0, 10); }

char *getenv(const char *name) {
  size_t n = strlen(name);
  for (char **e = environ; e && *e; e++)
    if (strncmp(*e, name, n) == 0 && (*e)[n] == '=') return *e + n + 1;
  return 0;
}

/* Insertion sort: the lists sorted here (directory entries) are short. */
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *)) {
  char *a = base;
  char tmp[256];
  if (size > sizeof tmp) return;
  for (size_t i = 1; i < n; i++) {
    memcpy(tmp, a + i * size, size);
    size_t j = i;
    for (; j > 0 && cmp(a + (j - 1) * size, tmp) > 0; j--) memcpy(a + j * size, a + (j - 1) * size, size);
    memcpy(a + j * size, tmp, size);
  }
}

void exit(int status) { _exit(status); }
