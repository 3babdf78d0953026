/* Directory reading over getdents64. */
#ifndef DIRENT_H
#define DIRENT_H
struct dirent {
  unsigned long long d_ino;
  long long d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[256];
} __attribute__((packed));
#define DT_DIR 4
#define DT_REG 8
typedef struct DIR DIR;
DIR *opendir(const char *path);
struct dirent *readdir(DIR *d);
int closedir(DIR *d);
int getdents64(int fd, void *buf, unsigned size);
#endif
