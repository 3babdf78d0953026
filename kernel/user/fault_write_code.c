/* Writes to its own code, which is mapped read-only. */
int main(void) {
  *(volatile unsigned char *)(void *)main = 0xc3;
  return 0;
}
