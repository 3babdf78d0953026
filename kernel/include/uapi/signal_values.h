/* Signal numbers, as Linux has them; shared by the kernel and the user
 * library. */
#ifndef SIGNAL_VALUES_H
#define SIGNAL_VALUES_H
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGPIPE 13
#define SIGTERM 15
#define SIGCHLD 17
#endif
