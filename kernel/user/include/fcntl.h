#ifndef FCNTL_H
#define FCNTL_H
#include "types.h"
#include "file_abi.h"
int open(const char *path, int flags, ...);
int creat(const char *path, mode_t mode);
#endif
