/* Runs a privileged instruction in user mode: the kernel must kill it. */
int main(void) {
  __asm__ volatile("cli");
  return 0;
}
