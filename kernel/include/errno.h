/* Linux errno values, as system calls return them (negated). */
#ifndef ERRNO_H
#define ERRNO_H
#include "uapi/errno_values.h"

/* Kernel-internal, as Linux's: a call cut short by a signal, to be
 * restarted when no handler runs (or one with SA_RESTART does), else
 * EINTR. Never seen by a program. */
#define ERESTARTSYS 512
#define ERESTARTNOINTR 513
#define ERESTARTNOHAND 514
#endif
