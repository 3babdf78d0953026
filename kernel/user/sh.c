/* sh: the shell. Reads a line (at a terminal through the line editor,
 * lib/lineedit.c: arrows, history, Tab; from a file or pipe as it comes),
 * splits it into words, and runs commands joined by '|', with '<' '>' '>>'
 * redirections, '&' for a background job and ';' between commands.
 * Builtins: cd, pwd, exit, export, jobs, help. $? is the last exit status;
 * $NAME reads the environment. */
#include "stdio.h"
#include "stdlib.h"
#include "string.h"
#include "unistd.h"
#include "fcntl.h"
#include "errno.h"
#include "signal.h"
#include "sys/wait.h"
#include "lineedit.h"

#define MAXWORDS 64
#define MAXCMDS 8
#define MAXJOBS 16
#define LINE LE_MAX /* a line's bytes with its NUL; a longer one is refused */

struct cmd {
  char *argv[MAXWORDS];
  int argc;
  char *in, *out;
  int append;
};

struct job { int id; pid_t pgid; int npids; pid_t pids[MAXCMDS]; char text[64]; };

static int last_status;

static void strncat_safe(char *d, const char *s, size_t size) {
  size_t n = strlen(d);
  while (*s && n + 1 < size) d[n++] = *s++;
  d[n] = 0;
}

/* export NAME=value: a new environment array, the old entry replaced. */
static void export_var(char *def) {
  static char *env[64];
  char *eq = strchr(def, '=');
  if (!eq) return;
  int n = 0, replaced = 0;
  for (char **e = environ; e && *e && n < 62; e++) {
    if (strncmp(*e, def, (size_t)(eq - def + 1)) == 0) { env[n++] = strdup(def); replaced = 1; }
    else env[n++] = *e;
  }
  if (!replaced) env[n++] = strdup(def);
  env[n] = 0;
  environ = env;
}
static struct job jobs[MAXJOBS];
static int interactive;
static pid_t shell_pgid;

/* Words of a line. Operators are words of their own; quotes group; $?
 * and $NAME are replaced. Returns the count, or -1 on an error. */
static int split(const char *line, char **words, char *store, size_t size, int *is_op) {
  int n = 0;
  char *w = store, *end = store + size;
  const char *p = line;
/* Room for k more bytes and a word's NUL, or the line is refused: $NAME
 * can make it longer than the store. */
#define ROOM(k) do { if (end - w < (k) + 1) goto too_long; } while (0)
  for (;;) {
    while (*p == ' ' || *p == '\t' || *p == '\n') p++;
    if (!*p || *p == '#') break;
    if (n == MAXWORDS - 1) { fprintf(stderr, "sh: too many words\n"); return -1; }
    if (strchr("|<>&;", *p)) {
      ROOM(2);
      words[n] = w;
      is_op[n++] = 1;
      *w++ = *p;
      if (*p == '>' && p[1] == '>') *w++ = *++p;
      *w++ = 0;
      p++;
      continue;
    }
    ROOM(0);
    words[n] = w;
    is_op[n++] = 0;
    char quote = 0;
    for (; *p; p++) {
      if (!quote && strchr(" \t\n|<>&;", *p)) break;
      if (!quote && (*p == '\'' || *p == '"')) { quote = *p; continue; }
      if (quote && *p == quote) { quote = 0; continue; }
      ROOM(1);
      if (*p == '\\' && quote != '\'' && p[1]) { *w++ = *++p; continue; }
      if (*p == '$' && quote != '\'' && p[1] == '?') {
        ROOM(11);
        w += snprintf(w, 12, "%d", last_status);
        p++;
        continue;
      }
      if (*p == '$' && quote != '\'' && (p[1] == '_' || (p[1] >= 'A' && p[1] <= 'Z') || (p[1] >= 'a' && p[1] <= 'z'))) {
        char name[32];
        int k = 0;
        while (k < 31 && (p[1] == '_' || (p[1] >= 'A' && p[1] <= 'Z') || (p[1] >= 'a' && p[1] <= 'z') || (p[1] >= '0' && p[1] <= '9')))
          name[k++] = *++p;
        name[k] = 0;
        const char *v = getenv(name);
        if (v) { ROOM((long)strlen(v)); strcpy(w, v); w += strlen(v); }
        continue;
      }
      *w++ = *p;
    }
    if (quote) { fprintf(stderr, "sh: unterminated quote\n"); return -1; }
    *w++ = 0;
  }
  words[n] = 0;
  return n;
too_long:
  fprintf(stderr, "sh: line too long after expansion\n");
  return -1;
#undef ROOM
}

/* Parses words into up to MAXCMDS commands joined by '|'. Returns the
 * number of commands, 0 for an empty line, -1 on a syntax error. */
static int parse(char **words, int *is_op, int n, struct cmd *cmds) {
  int nc = 0;
  struct cmd *c = &cmds[0];
  memset(c, 0, sizeof *c);
  for (int i = 0; i < n; i++) {
    if (!is_op[i]) {
      c->argv[c->argc++] = words[i];
      continue;
    }
    char op = words[i][0];
    if (op == '|') {
      if (!c->argc || nc + 1 == MAXCMDS) goto syntax;
      c = &cmds[++nc];
      memset(c, 0, sizeof *c);
      continue;
    }
    if (i + 1 == n || is_op[i + 1]) goto syntax;
    if (op == '<') c->in = words[++i];
    else { c->out = words[++i]; c->append = words[i - 1][1] == '>'; }
  }
  if (!c->argc) {
    if (nc == 0 && !c->in && !c->out) return 0;
    goto syntax;
  }
  return nc + 1;
syntax:
  fprintf(stderr, "sh: syntax error\n");
  return -1;
}

static void redirect(const char *path, int fd, int flags) {
  int f = open(path, flags, 0644);
  if (f < 0) {
    fprintf(stderr, "sh: %s: %s\n", path, strerror(errno));
    _exit(1);
  }
  if (f != fd) {
    dup2(f, fd);
    close(f);
  }
}

/* In the child: the pipes and redirections, then the program. A name
 * without '/' is looked for in each directory of $PATH. */
static void run_child(struct cmd *c, int in, int out) {
  signal(SIGINT, SIG_DFL);
  signal(SIGQUIT, SIG_DFL);
  signal(SIGTTIN, SIG_DFL);
  signal(SIGTTOU, SIG_DFL);
  /* SIGTSTP stays ignored: this shell has no fg or bg to go on with a
   * stopped job, so Ctrl-Z stops nothing it runs. */
  if (in != 0) { dup2(in, 0); close(in); }
  if (out != 1) { dup2(out, 1); close(out); }
  if (c->in) redirect(c->in, 0, O_RDONLY);
  if (c->out) redirect(c->out, 1, O_WRONLY | O_CREAT | (c->append ? O_APPEND : O_TRUNC));
  const char *name = c->argv[0];
  if (strchr(name, '/')) {
    execve(name, c->argv, environ);
  } else {
    const char *path = getenv("PATH");
    if (!path) path = "/bin";
    char full[256];
    while (*path) {
      const char *end = strchr(path, ':');
      int len = end ? (int)(end - path) : (int)strlen(path);
      snprintf(full, sizeof full, "%.*s/%s", len, path, name);
      execve(full, c->argv, environ);
      if (errno != ENOENT) break;
      path += len + (end != 0);
    }
  }
  int err = errno;
  fprintf(stderr, "sh: %s: %s\n", name, err == ENOENT ? "command not found" : strerror(err));
  _exit(err == ENOENT ? 127 : 126);
}

/* The status $? takes, with a word for a signal the user did not see
 * reported already (the kernel reports faults itself). */
static int report(int status, int quiet) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  int sig = WTERMSIG(status);
  if (!quiet && sig != SIGINT && sig != SIGPIPE && sig != SIGSEGV && sig != SIGILL && sig != SIGFPE)
    printf("%s\n", signal_name(sig));
  return 128 + sig;
}

static void wait_job(struct job *j) {
  int status = 0;
  for (int i = 0; i < j->npids; i++) {
    int s;
    while (waitpid(j->pids[i], &s, 0) < 0 && errno == EINTR) {}
    if (i == j->npids - 1) status = s;
  }
  last_status = report(status, 0);
}

/* Background jobs that have finished, reported before the next prompt. */
static void reap_jobs(void) {
  for (struct job *j = jobs; j < &jobs[MAXJOBS]; j++) {
    if (!j->id) continue;
    int done = 1, status = 0;
    for (int i = 0; i < j->npids; i++) {
      if (!j->pids[i]) continue;
      int s;
      pid_t r = waitpid(j->pids[i], &s, WNOHANG);
      if (r == j->pids[i] || (r < 0 && errno == ECHILD)) {
        j->pids[i] = 0;
        if (i == j->npids - 1) status = s;
      } else {
        done = 0;
      }
    }
    if (!done) continue;
    int code = report(status, 1);
    if (code == 0) printf("[%d] Done       %s\n", j->id, j->text);
    else if (code > 128) printf("[%d] %-10s %s\n", j->id, signal_name(code - 128), j->text);
    else printf("[%d] Exit %-5d %s\n", j->id, code, j->text);
    j->id = 0;
  }
}

static void run_pipeline(struct cmd *cmds, int n, int background, const char *text) {
  struct job job;
  memset(&job, 0, sizeof job);
  int in = 0;
  for (int i = 0; i < n; i++) {
    int fds[2] = {-1, 1};
    if (i + 1 < n && pipe(fds) < 0) { perror("sh: pipe"); break; }
    pid_t pid = fork();
    if (pid < 0) {
      perror("sh: fork");
      if (fds[0] >= 0) close(fds[0]), close(fds[1]);
      break;
    }
    if (pid == 0) {
      setpgid(0, job.pgid);
      /* The child takes the terminal for its job itself (SIGTTOU is still
       * ignored here), as the shell does after fork: a child that ran
       * first and read the terminal before the shell's tcsetpgrp was a
       * background reader, stopped by SIGTTIN, and the shell waited for
       * it for ever. */
      if (interactive && !background) tcsetpgrp(0, getpgrp());
      if (fds[0] >= 0) close(fds[0]);
      run_child(&cmds[i], in, fds[1]);
    }
    if (!job.pgid) job.pgid = pid;
    setpgid(pid, job.pgid); /* as the child does: whichever runs first */
    job.pids[job.npids++] = pid;
    if (in != 0) close(in);
    if (fds[1] != 1) close(fds[1]);
    in = fds[0] >= 0 ? fds[0] : 0;
  }
  if (in != 0) close(in);
  if (!job.npids) { last_status = 1; return; }
  if (background) {
    for (int k = 0; k < MAXJOBS; k++) {
      if (jobs[k].id) continue;
      job.id = k + 1;
      snprintf(job.text, sizeof job.text, "%s", text);
      jobs[k] = job;
      printf("[%d] %d\n", job.id, job.pids[job.npids - 1]);
      last_status = 0;
      return;
    }
    fprintf(stderr, "sh: too many jobs; waiting for this one\n");
  }
  if (interactive) tcsetpgrp(0, job.pgid);
  wait_job(&job);
  if (interactive) tcsetpgrp(0, shell_pgid);
}

static const char *help_text =
  "Commands are programs in /bin: ls cat echo wc head mkdir rmdir rm cp mv ln touch\n"
  "ps kill sleep uname dmesg mount umount sync poweroff true false id su.\n"
  "Modules: insmod FILE.ko, rmmod NAME, lsmod, modprobe NAME (from /lib/modules);\n"
  "notes (after modprobe notes) keeps notes in a kernel module.\n"
  "Users: root at boot; su USER -c COMMAND runs as another (user: uid 1000).\n"
  "What the kernel stops: attacks, segtest, fault_cli, fault_div0, fault_fpdiv0,\n"
  "fault_read_kernel, fault_write_code, efault. Tests and loads: forktest, systest,\n"
  "memtest, loadtest, renametest, deeptree, fuzz, modfuzz, fswalk, crashtest, rawtest;\n"
  "fpseries, fpstate, floatfmt: the FPU in processes, printf's %f %e %g; fill FILE KiB\n"
  "writes a checkable pattern; bench_getpid, bench_fork, bench_pages time the kernel.\n"
  "Builtins: cd [dir], pwd, exit [status], export NAME=value, jobs, help.\n"
  "Join commands with |, redirect with < > >>, end with & to run in the background,\n"
  "separate with ;. $? is the last status. Ctrl-C stops the running command.\n"
  "Editing the line: Left/Right, Home/End (Ctrl-A/E), Backspace/Delete, Ctrl-U/K/W\n"
  "erase to the start/to the end/a word, Ctrl-L clears the screen, Up/Down recall\n"
  "the last 32 lines, Tab completes commands and paths (twice: lists them).\n";

/* Builtins run in the shell itself; returns 1 if words named one. */
static int builtin(struct cmd *c) {
  const char *name = c->argv[0];
  if (strcmp(name, "cd") == 0) {
    const char *dir = c->argc > 1 ? c->argv[1] : getenv("HOME");
    if (!dir) dir = "/";
    last_status = chdir(dir) < 0 ? (fprintf(stderr, "cd: %s: %s\n", dir, strerror(errno)), 1) : 0;
  } else if (strcmp(name, "pwd") == 0) {
    char buf[256];
    last_status = getcwd(buf, sizeof buf) ? (printf("%s\n", buf), 0) : (perror("pwd"), 1);
  } else if (strcmp(name, "exit") == 0) {
    exit(c->argc > 1 ? atoi(c->argv[1]) : last_status);
  } else if (strcmp(name, "export") == 0) {
    last_status = 0;
    for (int i = 1; i < c->argc; i++) export_var(c->argv[i]);
  } else if (strcmp(name, "jobs") == 0) {
    reap_jobs(); /* what ended is reported as such (once), not as Running */
    for (struct job *j = jobs; j < &jobs[MAXJOBS]; j++)
      if (j->id) printf("[%d] Running    %s\n", j->id, j->text);
    last_status = 0;
  } else if (strcmp(name, "help") == 0) {
    fputs(help_text, stdout);
    last_status = 0;
  } else {
    return 0;
  }
  return 1;
}

/* Runs one command or pipeline of a line; words are expanded only now,
 * so that $? sees the command before. */
static void run_segment(const char *text, int background) {
  static char store[LINE * 4];
  char *words[MAXWORDS];
  int is_op[MAXWORDS];
  int n = split(text, words, store, sizeof store, is_op);
  if (n < 0) { last_status = 2; return; }
  char shown[64] = "";
  for (int i = 0; i < n; i++) {
    if (i) strncat_safe(shown, " ", sizeof shown);
    strncat_safe(shown, words[i], sizeof shown);
  }
  struct cmd cmds[MAXCMDS];
  int nc = parse(words, is_op, n, cmds);
  if (nc < 0) { last_status = 2; return; }
  if (nc == 1 && !background && !cmds[0].in && !cmds[0].out && builtin(&cmds[0])) return;
  if (nc > 0) run_pipeline(cmds, nc, background, shown);
}

/* Runs one line: commands separated by ';' or ending in '&' (outside
 * quotes), one after the other. */
static void run_line(const char *line) {
  char seg[LINE];
  const char *p = line;
  while (*p) {
    int n = 0;
    char quote = 0;
    for (; *p; p++) {
      if (!quote && (*p == ';' || *p == '&')) break;
      if (*p == '\\' && quote != '\'' && p[1]) { if (n < LINE - 2) seg[n++] = *p; p++; }
      else if (!quote && (*p == '\'' || *p == '"')) quote = *p;
      else if (quote && *p == quote) quote = 0;
      if (n < LINE - 1) seg[n++] = *p;
    }
    seg[n] = 0;
    int background = *p == '&';
    if (*p) p++;
    run_segment(seg, background);
  }
}

/* One line from standard input, without its newline, when it is not a
 * terminal: the line's length, LE_EOF at the end, or LE_TOOLONG for a line
 * that did not fit (read to its end and dropped, never cut and run). */
static int read_line(char *buf, int size) {
  int n = 0, over = 0;
  for (;;) {
    char c;
    int r = (int)read(0, &c, 1);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      if (n == 0 && !over) return LE_EOF;
      break;
    }
    if (c == '\n') break;
    if (n < size - 1) buf[n++] = c;
    else over = 1;
  }
  buf[n] = 0;
  return over ? LE_TOOLONG : n;
}

static const char *const builtins[] = {"cd", "pwd", "exit", "export", "jobs", "help", 0};

int main(int argc, char **argv) {
  if (argc > 2 && strcmp(argv[1], "-c") == 0) {
    if (strlen(argv[2]) > LINE - 1) {
      fprintf(stderr, "sh: -c: command too long (more than %d bytes)\n", LINE - 1);
      return 2;
    }
    run_line(argv[2]);
    return last_status;
  }
  if (argc > 1) {
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) { fprintf(stderr, "sh: %s: %s\n", argv[1], strerror(errno)); return 127; }
    dup2(fd, 0);
    close(fd);
  }
  interactive = argc == 1 && isatty(0);
  if (interactive) {
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    signal(SIGTSTP, SIG_IGN);
    /* Taking the terminal back after a job (tcsetpgrp from what is then
     * a background group) would stop the shell with SIGTTOU. */
    signal(SIGTTOU, SIG_IGN);
    signal(SIGTTIN, SIG_IGN);
    setpgid(0, 0);
    shell_pgid = getpgrp();
    tcsetpgrp(0, shell_pgid);
  }
  char line[LINE];
  for (;;) {
    reap_jobs();
    int n = LE_NOTTY;
    if (interactive) {
      char cwd[256], prompt[300];
      snprintf(prompt, sizeof prompt, "wasm386:%s$ ", getcwd(cwd, sizeof cwd) ? cwd : "?");
      for (char *p = prompt; *p; p++) /* a directory's name cannot steer the terminal */
        if ((unsigned char)*p < 32 || *p == 127) *p = '?';
      n = lineedit(prompt, line, builtins);
      if (n == LE_NOTTY) fputs(prompt, stdout);
    }
    if (n == LE_NOTTY) n = read_line(line, sizeof line);
    if (n == LE_EOF) break;
    if (n == LE_TOOLONG) {
      fprintf(stderr, "sh: line too long (more than %d bytes): not run\n", LINE - 1);
      last_status = 2;
      continue;
    }
    if (interactive) history_add(line);
    run_line(line);
  }
  if (interactive) printf("exit\n");
  return last_status;
}
