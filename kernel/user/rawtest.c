/* Raw terminal mode through TCSETS: three keys are read one by one as
 * they are typed, with no Enter and no echo; then the mode is restored. */
#include "stdio.h"
#include "unistd.h"
#include "termios.h"
#include "sys/ioctl.h"

int main(void) {
  struct termios saved, raw;
  struct winsize ws;
  if (tcgetattr(0, &saved) < 0) { perror("rawtest: tcgetattr"); return 1; }
  if (ioctl(0, TIOCGWINSZ, &ws) == 0) printf("window %ux%u\n", ws.ws_col, ws.ws_row);
  raw = saved;
  raw.c_lflag &= ~(unsigned)(ICANON | ECHO);
  raw.c_cc[VMIN] = 1;
  tcsetattr(0, TCSANOW, &raw);
  printf("raw mode: type three keys\n");
  for (int i = 0; i < 3; i++) {
    unsigned char c;
    if (read(0, &c, 1) != 1) break;
    printf("key %d\n", c);
  }
  tcsetattr(0, TCSANOW, &saved);
  printf("canonical mode again\n");
  return 0;
}
