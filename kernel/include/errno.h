/* Linux errno values, as system calls return them (negated). */
#ifndef ERRNO_H
#define ERRNO_H
#include "uapi/errno_values.h"
#endif
