#ifndef SYS_IOCTL_H
#define SYS_IOCTL_H
#include "termios_abi.h"
struct winsize { unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel; };
int ioctl(int fd, unsigned long cmd, ...);
#endif
