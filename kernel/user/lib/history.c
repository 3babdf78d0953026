/* The shell's history: the last HISTORY_MAX distinct lines, oldest first.
 * A line typed again moves to the newest place instead of being kept
 * twice, so Up never shows the same line two times running. */
#include "lineedit.h"
#include "stdlib.h"
#include "string.h"

static char *lines[HISTORY_MAX];
static int count;

static void drop(int i) {
  memmove(&lines[i], &lines[i + 1], (size_t)(count - i - 1) * sizeof lines[0]);
  count--;
}

void history_add(const char *line) {
  if (line[strspn(line, " \t")] == 0) return; /* blank lines are not worth recalling */
  for (int i = 0; i < count; i++) {
    if (strcmp(lines[i], line) != 0) continue;
    char *same = lines[i];
    drop(i);
    lines[count++] = same;
    return;
  }
  char *copy = strdup(line);
  if (!copy) return; /* no memory: the line is simply not remembered */
  if (count == HISTORY_MAX) {
    free(lines[0]);
    drop(0);
  }
  lines[count++] = copy;
}

int history_len(void) { return count; }

const char *history_at(int i) { return i >= 0 && i < count ? lines[i] : ""; }
