#include "kernel.h"
#include "module.h"

size_t strlen(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

/* rep stos / rep movs: one instruction for the whole block. */
void *memset(void *d, int c, size_t n) {
  void *p = d;
  __asm__ volatile("rep stosb" : "+D"(p), "+c"(n) : "a"(c) : "memory");
  return d;
}

void *memcpy(void *d, const void *s, size_t n) {
  void *p = d;
  __asm__ volatile("rep movsb" : "+D"(p), "+S"(s), "+c"(n) : : "memory");
  return d;
}

/* Overlapping ranges: copies backwards when the destination is above. */
void *memmove(void *d, const void *s, size_t n) {
  if ((u32)d <= (u32)s || (u32)d >= (u32)s + n) return memcpy(d, s, n);
  void *p = (u8 *)d + n - 1;
  s = (const u8 *)s + n - 1;
  __asm__ volatile("std; rep movsb; cld" : "+D"(p), "+S"(s), "+c"(n) : : "memory");
  return d;
}

int memcmp(const void *a, const void *b, size_t n) {
  const u8 *x = a, *y = b;
  for (; n; n--, x++, y++)
    if (*x != *y) return *x - *y;
  return 0;
}

int strcmp(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return (u8)*a - (u8)*b;
}

int strncmp(const char *a, const char *b, size_t n) {
  for (; n; n--, a++, b++) {
    if (*a != *b) return (u8)*a - (u8)*b;
    if (!*a) return 0;
  }
  return 0;
}

const char *strstr(const char *hay, const char *needle) {
  size_t n = strlen(needle);
  for (; *hay; hay++)
    if (strncmp(hay, needle, n) == 0) return hay;
  return n == 0 ? hay : NULL;
}

/* Copies at most size - 1 bytes and always terminates. */
void strncpy_safe(char *d, const char *s, size_t size) {
  size_t i = 0;
  for (; i + 1 < size && s[i]; i++) d[i] = s[i];
  if (size) d[i] = 0;
}

EXPORT_SYMBOL(strlen);
EXPORT_SYMBOL(memset);
EXPORT_SYMBOL(memcpy);
EXPORT_SYMBOL(strcmp);
EXPORT_SYMBOL(strncmp);
EXPORT_SYMBOL(strstr);
EXPORT_SYMBOL(strncpy_safe);
