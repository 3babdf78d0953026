/* Line editing for an interactive shell, done in user space as readline
 * does: the terminal is put in raw mode while a line is read, the keys are
 * interpreted here, and the terminal's own modes are back before the line
 * is returned (so the commands the shell runs see a canonical tty). */
#ifndef LINEEDIT_H
#define LINEEDIT_H

#define LE_MAX 4096      /* a line's bytes, its terminating NUL included */
#define LE_EOF (-1)      /* end of input: Ctrl-D on an empty line */
#define LE_TOOLONG (-2)  /* more than LE_MAX - 1 bytes were typed: the line is dropped */
#define LE_NOTTY (-3)    /* fd 0 is not a terminal: nothing was read */

/* Writes prompt, then reads one line from fd 0 into buf (LE_MAX bytes),
 * without its Enter. Returns the line's length or one of LE_* above.
 * builtins (NULL-terminated, may be NULL) are offered by Tab with the
 * programs on $PATH. The editor's output goes to fd 2, as bash's does. */
int lineedit(const char *prompt, char *buf, const char *const *builtins);

/* The last HISTORY_MAX distinct lines given to history_add, for Up and
 * Down; history_at(0) is the oldest. */
#define HISTORY_MAX 32
void history_add(const char *line);
int history_len(void);
const char *history_at(int i);

/* Tab completion: the names that could finish the word ending at cur in
 * line. A name of a directory ends in '/'. Each name begins with the
 * typed part of the word (its first `typed` bytes); common is the longest
 * prefix all of them share, counting those past MATCHES_MAX (more). */
#define MATCHES_MAX 512
struct matches {
  int n, more, typed;
  char *name[MATCHES_MAX];
  char common[256];
};
/* Returns 0, or -1 if the word is too long to complete. */
int complete(const char *line, int cur, const char *const *builtins, struct matches *m);
void matches_free(struct matches *m);

#endif
