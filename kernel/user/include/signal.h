#ifndef SIGNAL_H
#define SIGNAL_H
#include "types.h"
#include "signal_values.h"
typedef void (*sighandler_t)(int);
#define SIG_DFL ((sighandler_t)0)
#define SIG_IGN ((sighandler_t)1)
int kill(pid_t pid, int sig);
sighandler_t signal(int sig, sighandler_t handler);
const char *signal_name(int sig); /* "Interrupt", "Killed", ... */
#endif
