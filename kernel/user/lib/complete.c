/* Tab completion for the shell's line: which word the cursor ends, whether
 * a command name goes there (the builtins and the programs on $PATH) or a
 * path, and the names that could finish it. The word is read as sh splits
 * words (blanks and | ; & < > end one, a backslash escapes), except that
 * quotes are not followed. */
#include "lineedit.h"
#include "dirent.h"
#include "stdlib.h"
#include "string.h"
#include "sys/stat.h"

#define WORD_MAX 1024

/* Where the word ending at cur starts; *cmd says whether it is a
 * command's first word (after the start, '|', ';' or '&', and not the
 * target of a redirection). */
static int word_start(const char *line, int cur, int *cmd) {
  int start = -1, first = 1, redir = 0;
  for (int i = 0; i < cur; i++) {
    char c = line[i];
    int blank = c == ' ' || c == '\t', op = c && strchr("|;&<>", c);
    if (!blank && !op) {
      if (start < 0) { start = i; *cmd = first && !redir; }
      if (c == '\\' && i + 1 < cur) i++;
      continue;
    }
    if (start >= 0) {
      if (redir) redir = 0;
      else first = 0;
      start = -1;
    }
    if (c == '<' || c == '>') redir = 1;
    else if (op) first = 1, redir = 0;
  }
  if (start < 0) { start = cur; *cmd = first && !redir; }
  return start;
}

/* A name is kept if it begins with what was typed; names with control
 * characters are left out, as they cannot be typed back into the line. */
static void offer(struct matches *m, const char *typed, const char *name, int dir) {
  size_t t = (size_t)m->typed, len = strlen(name);
  if (strncmp(name, typed, t) != 0 || len + 2 > sizeof m->common) return;
  for (const char *p = name; *p; p++)
    if ((unsigned char)*p < 32 || *p == 127) return;
  char full[sizeof m->common];
  memcpy(full, name, len);
  if (dir) full[len++] = '/';
  full[len] = 0;
  if (m->n + m->more == 0) {
    memcpy(m->common, full, len + 1);
  } else {
    size_t k = 0;
    while (m->common[k] && m->common[k] == full[k]) k++;
    m->common[k] = 0;
  }
  char *copy = m->n < MATCHES_MAX ? strdup(full) : 0;
  if (copy) m->name[m->n++] = copy;
  else m->more++;
}

static int is_dir(const char *dir, const char *name, int type) {
  if (type == DT_DIR) return 1;
  if (type == DT_REG) return 0;
  char path[WORD_MAX + 260];
  struct stat st;
  size_t d = strlen(dir);
  if (d + strlen(name) + 2 > sizeof path) return 0;
  memcpy(path, dir, d);
  path[d] = '/';
  strcpy(path + d + 1, name);
  return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR;
}

/* Every entry of dir; with only_programs, directories are left out. Hidden
 * names (and . and ..) only when what was typed begins with a dot. */
static void offer_dir(struct matches *m, const char *dir, const char *typed, int only_programs) {
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.' && typed[0] != '.') continue;
    if (strncmp(e->d_name, typed, (size_t)m->typed) != 0) continue; /* before the stat below */
    int isdir = is_dir(dir, e->d_name, e->d_type);
    if (only_programs && isdir) continue;
    offer(m, typed, e->d_name, isdir);
  }
  closedir(d);
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int complete(const char *line, int cur, const char *const *builtins, struct matches *m) {
  memset(m, 0, sizeof *m);
  int cmd = 0, start = word_start(line, cur, &cmd);
  char word[WORD_MAX];
  int n = 0;
  for (int i = start; i < cur; i++) {
    if (line[i] == '\\' && i + 1 < cur) i++;
    if (n == WORD_MAX - 1) return -1;
    word[n++] = line[i];
  }
  word[n] = 0;
  char *slash = strrchr(word, '/');
  if (cmd && !slash) {
    m->typed = n;
    for (const char *const *b = builtins; b && *b; b++) offer(m, word, *b, 0);
    const char *path = getenv("PATH");
    if (!path) path = "/bin";
    char dir[WORD_MAX];
    while (*path) {
      const char *end = strchr(path, ':');
      size_t len = end ? (size_t)(end - path) : strlen(path);
      if (len && len < sizeof dir) {
        memcpy(dir, path, len);
        dir[len] = 0;
        offer_dir(m, dir, word, 1);
      }
      path += len + (end != 0);
    }
  } else {
    const char *base = slash ? slash + 1 : word;
    m->typed = (int)strlen(base);
    if (slash == word) offer_dir(m, "/", base, 0);
    else if (slash) { *slash = 0; offer_dir(m, word, base, 0); }
    else offer_dir(m, ".", base, 0);
  }
  qsort(m->name, (size_t)m->n, sizeof m->name[0], by_name);
  int k = 0; /* a name on $PATH twice, or a builtin that is also a program, once */
  for (int i = 0; i < m->n; i++) {
    if (k && strcmp(m->name[k - 1], m->name[i]) == 0) free(m->name[i]);
    else m->name[k++] = m->name[i];
  }
  m->n = k;
  return 0;
}

void matches_free(struct matches *m) {
  for (int i = 0; i < m->n; i++) free(m->name[i]);
  m->n = 0;
}
