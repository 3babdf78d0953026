/* Threads (pthread_create: clone with CLONE_VM, CLONE_THREAD, CLONE_SETTLS
 * and the rest): each with its own thread-local storage and id, one
 * process id, mutexes and condition variables (futex), joins (the
 * cleared child tid), a signal to one thread, a detached thread, and
 * exit from a thread that is not the first ending the whole process. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static __thread int local = 7;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static int ready;
static volatile sig_atomic_t usr1_tid;
static pid_t main_tid;

static void *worker(void *arg) {
  long n = (long)arg;
  local = (int)n; /* this thread's own */
  for (int i = 0; i < 20000; i++) {
    pthread_mutex_lock(&lock);
    counter++;
    pthread_mutex_unlock(&lock);
  }
  int same_pid = getpid() != (pid_t)syscall(SYS_gettid);
  return (void *)(long)(local * 100 + same_pid);
}

static void *waiter(void *arg) {
  (void)arg;
  pthread_mutex_lock(&lock);
  while (!ready) pthread_cond_wait(&cond, &lock);
  pthread_mutex_unlock(&lock);
  return (void *)42;
}

static void on_usr1(int sig) { (void)sig; usr1_tid = (sig_atomic_t)syscall(SYS_gettid); }

static void *sleeper(void *arg) {
  (void)arg;
  sigset_t none;
  sigemptyset(&none);
  pthread_sigmask(SIG_SETMASK, &none, NULL);
  while (!usr1_tid) usleep(1000);
  return (void *)(long)(usr1_tid != main_tid);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  main_tid = (pid_t)syscall(SYS_gettid);
  printf("main: tid is the pid: %s\n", main_tid == getpid() ? "yes" : "no");
  pthread_t t[4];
  for (long i = 0; i < 4; i++) pthread_create(&t[i], NULL, worker, (void *)(i + 1));
  for (int i = 0; i < 4; i++) {
    void *r;
    pthread_join(t[i], &r);
    printf("thread %d returned %ld\n", i + 1, (long)r);
  }
  printf("counter %ld (4 x 20000), main's local still %d\n", counter, local);

  pthread_t w;
  pthread_create(&w, NULL, waiter, NULL);
  usleep(20000);
  pthread_mutex_lock(&lock);
  ready = 1;
  pthread_cond_signal(&cond);
  pthread_mutex_unlock(&lock);
  void *r;
  pthread_join(w, &r);
  printf("condition variable: waiter returned %ld\n", (long)r);

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, NULL);
  sigset_t block;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &block, NULL); /* main blocks it: the process's signal goes to the other thread */
  pthread_t s;
  pthread_create(&s, NULL, sleeper, NULL);
  usleep(20000);
  kill(getpid(), SIGUSR1);
  pthread_join(s, &r);
  printf("a process-wide SIGUSR1 was handled by the thread that did not block it: %s\n", (long)r ? "yes" : "no");

  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t d;
  printf("detached thread: %s\n", pthread_create(&d, &attr, waiter, NULL) == 0 ? "created" : "failed");

  pid_t pid = fork();
  if (pid == 0) { /* a child whose second thread calls exit: the process ends with its status */
    pthread_t x;
    pthread_create(&x, NULL, (void *(*)(void *))exit, (void *)3);
    pause();
    _exit(9);
  }
  int status;
  waitpid(pid, &status, 0);
  printf("exit from a second thread: the process exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return 0;
}
