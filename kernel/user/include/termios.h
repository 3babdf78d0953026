/* The terminal interface: Linux's struct termios and flag values. */
#ifndef TERMIOS_H
#define TERMIOS_H
#include "termios_abi.h"
#define TCSANOW 0
int tcgetattr(int fd, struct termios *t);
int tcsetattr(int fd, int when, const struct termios *t);
#endif
