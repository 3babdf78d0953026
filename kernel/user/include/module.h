/* Loading and removing kernel modules. */
#ifndef USER_MODULE_H
#define USER_MODULE_H
int init_module(const void *image, unsigned long len, const char *params);
int delete_module(const char *name, unsigned flags);
/* Reads a .ko file and loads it with params ("a=1 b=x"); -1 and errno. */
int load_module_file(const char *path, const char *params);
#endif
