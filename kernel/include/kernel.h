#ifndef KERNEL_H
#define KERNEL_H
#include "types.h"

/* console.c: the early polled console on COM1 (writes only). */
void console_init(void);
void console_putc(char c);

/* printk.c */
int printk(const char *fmt, ...);
int vsnprintk(char *buf, size_t size, const char *fmt, va_list ap);

/* string.c */
size_t strlen(const char *s);
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
const char *strstr(const char *hay, const char *needle);
#endif
