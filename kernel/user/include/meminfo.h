/* The kernel's free memory, from /proc/meminfo (for the tests that check
 * nothing leaks). */
#ifndef MEMINFO_H
#define MEMINFO_H
/* MemFree in kB, or 0 when /proc is not mounted. */
unsigned meminfo_free_kb(void);
#endif
