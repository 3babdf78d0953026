/* The test-guest runtime: serial output, a small printf, a seeded random
 * source with a bias toward edge values, and CRC-32 for folding results. */
#ifndef RT_H
#define RT_H
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;

#define CF 0x001
#define PF 0x004
#define AF 0x010
#define ZF 0x040
#define SF 0x080
#define OF 0x800
#define ARITH (CF | PF | AF | ZF | SF | OF)

/* Set by the command line word "verbose": print every case, not just CRCs. */
extern int verbose;

int main(void);
extern const char *rt_cmdline; /* the Multiboot command line, or "" */
void putc_serial(char c);
void printf(const char *fmt, ...);
u32 rnd(void);
void rnd_seed(u32 seed);
/* A random value with edge cases (0, 1, sign boundaries, all ones) mixed in. */
u32 operand(void);
u32 crc32(u32 crc, u32 v);

/* Reports one instruction form: its case count and result CRC. */
struct tally {
  const char *name;
  u32 crc;
  u32 n;
};
void tally_begin(struct tally *t, const char *name);
/* Adds a case: all five values go into the CRC (the inputs are the same on
 * every machine, the outputs are what is compared). */
void tally_case(struct tally *t, u32 in0, u32 in1, u32 in2, u32 out0, u32 out1);
void tally_end(struct tally *t);
/* Exceptions (rt/idt.S): idt_install() routes every vector to a stub that
 * records it in caught_* and resumes at recover_eip (ring 0), or ends a
 * user_run (ring 3). */
extern volatile u32 caught_vec, caught_err, caught_eip, caught_cr2, recover_eip;
extern u32 gdt[];
extern u32 idt[];
void idt_install(void);

/* Ring 3 (rt/user.S): selectors 0x53 (code) and 0x5b (data), a TSS at 0x60.
 * user_setup() loads TR and makes gate 0x80 a DPL 3 trap gate; user_run()
 * runs code in ring 3 until it faults or exits (int $0x80 with EAX = 0) and
 * returns the vector that ended it. */
void user_setup(void);
u32 user_run(void (*eip)(void), void *esp);
#endif
