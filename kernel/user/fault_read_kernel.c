/* Reads kernel memory from user mode: a page fault, the process is killed. */
int main(void) { return *(volatile int *)0xC0100000; }
