#ifndef TIME_H
#define TIME_H
#include "types.h"
struct timespec { time_t tv_sec; long tv_nsec; };
time_t time(time_t *t);
int nanosleep(const struct timespec *req, struct timespec *rem);
#endif
