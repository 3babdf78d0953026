/* errno and the Linux error numbers. */
#ifndef ERRNO_H
#define ERRNO_H
extern int errno;
#include "errno_values.h"
#endif
