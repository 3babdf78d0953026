/* Formatted output, unbuffered: each call is one write(). FILE is only a
 * file descriptor, enough for stdout and stderr. */
#ifndef STDIO_H
#define STDIO_H
#include <stdarg.h>
#include <stddef.h>

typedef struct { int fd; } FILE;
extern FILE *stdin, *stdout, *stderr;
#define EOF (-1)

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int fprintf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int dprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int vdprintf(int fd, const char *fmt, va_list ap);
int puts(const char *s);
int fputs(const char *s, FILE *f);
int putchar(int c);
void perror(const char *what);
int rename(const char *from, const char *to);
#endif
