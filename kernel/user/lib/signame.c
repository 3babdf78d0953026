/* Signal descriptions, as shells print them for a killed job. */
#include "signal.h"

const char *signal_name(int sig) {
  switch (sig) {
    case SIGINT: return "Interrupt";
    case SIGQUIT: return "Quit";
    case SIGILL: return "Illegal instruction";
    case SIGFPE: return "Floating point exception";
    case SIGKILL: return "Killed";
    case SIGUSR1: return "User defined signal 1";
    case SIGSEGV: return "Segmentation fault";
    case SIGPIPE: return "Broken pipe";
    case SIGTERM: return "Terminated";
    default: return "Signal";
  }
}
