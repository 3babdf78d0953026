/* modprobe NAME [param=value ...]: loads a module from /lib/modules after
 * the modules it depends on (from /lib/modules/modules.dep).
 * modprobe -r NAME: removes it, then the dependencies nothing else uses. */
#include "stdio.h"
#include "stdlib.h"
#include "string.h"
#include "unistd.h"
#include "fcntl.h"
#include "errno.h"
#include "module.h"

#define DIR "/lib/modules"
static char deps[4096];

/* The line of modules.dep for name: "name.ko: a.ko b.ko", after the colon. */
static const char *deps_of(const char *name, char *out, size_t size) {
  char key[80];
  snprintf(key, sizeof key, "%s.ko:", name);
  for (char *line = deps; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : 0) {
    if (strncmp(line, key, strlen(key)) != 0) continue;
    const char *s = line + strlen(key);
    size_t n = 0;
    while (s[n] && s[n] != '\n' && n + 1 < size) { out[n] = s[n]; n++; }
    out[n] = 0;
    return out;
  }
  return 0;
}

/* The words of a space-separated list, one per call (0: go on). */
static char *next_word(char *s) {
  static char *next;
  if (s) next = s;
  while (next && *next == ' ') next++;
  if (!next || !*next) return 0;
  char *word = next;
  while (*next && *next != ' ') next++;
  if (*next) *next++ = 0;
  return word;
}

static char *ko_suffix(char *s) {
  char *dot = strrchr(s, '.');
  return dot && strcmp(dot, ".ko") == 0 ? dot : 0;
}

static int load(const char *name, const char *params, int depth) {
  char list[256];
  if (depth > 8) { fprintf(stderr, "modprobe: %s: dependency loop\n", name); return 1; }
  if (!deps_of(name, list, sizeof list)) { fprintf(stderr, "modprobe: module %s not found in %s\n", name, DIR); return 1; }
  for (char *d = next_word(list); d; d = next_word(0)) {
    char *dot = ko_suffix(d);
    if (dot) *dot = 0;
    if (load(d, "", depth + 1)) return 1;
  }
  char path[128];
  snprintf(path, sizeof path, "%s/%s.ko", DIR, name);
  if (load_module_file(path, params) < 0 && errno != EEXIST) {
    fprintf(stderr, "modprobe: %s: %s\n", name, strerror(errno));
    return 1;
  }
  return 0;
}

static int unload(const char *name, int top) {
  char list[256];
  if (delete_module(name, O_NONBLOCK) < 0) {
    if (top) { fprintf(stderr, "modprobe: cannot remove %s: %s\n", name, strerror(errno)); return 1; }
    return 0; /* a dependency still in use stays */
  }
  if (deps_of(name, list, sizeof list))
    for (char *d = next_word(list); d; d = next_word(0)) {
      char *dot = ko_suffix(d);
      if (dot) *dot = 0;
      unload(d, 0);
    }
  return 0;
}

int main(int argc, char **argv) {
  int remove = argc > 1 && strcmp(argv[1], "-r") == 0;
  int first = 1 + remove;
  if (first >= argc) { fprintf(stderr, "usage: modprobe [-r] NAME [param=value ...]\n"); return 2; }
  int fd = open(DIR "/modules.dep", O_RDONLY);
  if (fd < 0) { perror("modprobe: " DIR "/modules.dep"); return 1; }
  int n = (int)read(fd, deps, sizeof deps - 1);
  close(fd);
  deps[n > 0 ? n : 0] = 0;
  if (remove) return unload(argv[first], 1);
  char params[256] = "";
  for (int i = first + 1; i < argc; i++) {
    if (strlen(params) + strlen(argv[i]) + 2 > sizeof params) break;
    if (i > first + 1) strcat(params, " ");
    strcat(params, argv[i]);
  }
  return load(argv[first], params, 0);
}
