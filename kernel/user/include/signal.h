#ifndef SIGNAL_H
#define SIGNAL_H
#include "types.h"
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGFPE 8
#define SIGKILL 9
#define SIGSEGV 11
#define SIGPIPE 13
#define SIGTERM 15
#define SIGCHLD 17
typedef void (*sighandler_t)(int);
#define SIG_DFL ((sighandler_t)0)
#define SIG_IGN ((sighandler_t)1)
int kill(pid_t pid, int sig);
sighandler_t signal(int sig, sighandler_t handler);
const char *signal_name(int sig); /* "Interrupt", "Killed", ... */
#endif
