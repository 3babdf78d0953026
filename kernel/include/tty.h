/* The terminal interface, with Linux's numbers (struct termios as the
 * i386 TCGETS ioctl passes it). */
#ifndef TTY_H
#define TTY_H
#include "types.h"

#include "uapi/termios_abi.h"

void tty_init(void);
void tty_input(char c);
void tty_set_driver(void (*putc)(char), void (*unthrottle)(void));
int tty_room(void);
#endif
