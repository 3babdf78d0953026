/* The terminal interface, with Linux's numbers (struct termios as the
 * i386 TCGETS ioctl passes it). */
#ifndef TTY_H
#define TTY_H
#include "types.h"

#include "uapi/termios_abi.h"

void tty_init(void);
void tty_input(char c);
struct module;
void tty_set_driver(void (*putc)(char), void (*unthrottle)(void), struct module *owner);
void tty_unset_driver(struct module *owner); /* for the module loader */
int tty_room(void);
struct proc;
void tty_session_ended(int sid);
int tty_nr(struct proc *p);
int tty_foreground(struct proc *p);
#endif
