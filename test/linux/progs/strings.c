/* strings: <string.h>, <ctype.h>, number conversions, qsort and bsearch,
 * strtok and friends. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <errno.h>
#include <limits.h>

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
static int icmp(const void *a, const void *b) { int x = *(const int *)a, y = *(const int *)b; return (x > y) - (x < y); }

int main(void) {
  char s[128] = "The quick brown fox jumps over the lazy dog";
  printf("strlen %zu, strchr %s, strrchr %s\n", strlen(s), strchr(s, 'q'), strrchr(s, 'o'));
  printf("strstr [%s] strspn %zu strcspn %zu\n", strstr(s, "fox"), strspn(s, "The "), strcspn(s, "xyz"));
  printf("cmp %d %d %d ncmp %d casecmp %d\n", strcmp("a", "b") < 0, strcmp("b", "a") > 0, strcmp("x", "x"), strncmp("abcd", "abce", 3),
         strcasecmp("HeLLo", "hello"));
  char copy[128];
  strcpy(copy, s);
  strcat(copy, "!");
  printf("%s\n", copy);
  memmove(copy + 4, copy, 10);
  printf("memmove: %.20s\n", copy);
  char *words[16];
  int n = 0;
  char *save;
  for (char *t = strtok_r(s, " ", &save); t; t = strtok_r(NULL, " ", &save)) words[n++] = t;
  qsort(words, n, sizeof words[0], cmp);
  for (int i = 0; i < n; i++) printf("%s%c", words[i], i + 1 < n ? ' ' : '\n');
  int nums[] = {42, -7, 13, 0, 99, 5, -100, 77};
  qsort(nums, 8, sizeof nums[0], icmp);
  int key = 13;
  int *hit = bsearch(&key, nums, 8, sizeof nums[0], icmp);
  printf("sorted: %d..%d, 13 at %d\n", nums[0], nums[7], hit ? (int)(hit - nums) : -1);
  printf("strtol: %ld %ld %ld %lu\n", strtol("  -123xyz", NULL, 10), strtol("0x7f", NULL, 16), strtol("0777", NULL, 0), strtoul("4294967295", NULL, 10));
  errno = 0;
  long big = strtol("99999999999999999999", NULL, 10);
  printf("overflow: %ld %s\n", big, errno == ERANGE ? "ERANGE" : "no error");
  printf("atoi %d atol %ld atoll %lld\n", atoi("  56"), atol("-9"), atoll("123456789012"));
  int counts[4] = {0};
  for (int c = 0; c < 128; c++) counts[0] += isalpha(c) != 0, counts[1] += isdigit(c) != 0, counts[2] += isspace(c) != 0, counts[3] += ispunct(c) != 0;
  printf("ctype: alpha %d digit %d space %d punct %d; %c%c\n", counts[0], counts[1], counts[2], counts[3], toupper('a'), tolower('Z'));
  char *d = strdup("duplicate");
  printf("strdup %s, strndup %s\n", d, strndup("abcdef", 3));
  free(d);
  printf("strerror: %s / %s\n", strerror(ENOENT), strerror(EACCES));
  char hex[32];
  snprintf(hex, sizeof hex, "%08x", 0xdeadbeef);
  printf("%s %d\n", hex, (int)strtoul(hex, NULL, 16) == (int)0xdeadbeef);
  printf("INT_MAX %d LLONG_MIN %lld\n", INT_MAX, LLONG_MIN);
  return 0;
}
