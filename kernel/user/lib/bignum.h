/* Unsigned integers of up to BIG_LIMBS 32-bit limbs, for exact conversions
 * between doubles and decimal (fmtfloat.c, strtod.c). Integer arithmetic
 * only: the results cannot depend on the FPU's precision or rounding. */
#ifndef BIGNUM_H
#define BIGNUM_H
#include <stdint.h>

/* 4352 bits: strtod's largest numbers (up to 800 digits scaled by 2^1080)
 * stay below 4200 bits, printf's (a 53-bit mantissa times 5^1074) below
 * 2600. */
#define BIG_LIMBS 136

struct big {
  int n;                   /* limbs in use; 0 is the number 0 */
  uint32_t w[BIG_LIMBS];   /* least significant first */
};

void big_set(struct big *b, uint64_t v);
void big_mul(struct big *b, uint32_t m);
void big_add(struct big *b, uint32_t a);
void big_mul_pow(struct big *b, uint32_t base, int exp); /* b *= base^exp, base 5 or 10 */
void big_shl(struct big *b, int bits);
uint32_t big_divmod(struct big *b, uint32_t d);          /* b /= d; the remainder */
int big_cmp(const struct big *a, const struct big *b);
void big_sub(struct big *a, const struct big *b);        /* a -= b, a >= b */
int big_bits(const struct big *b);                       /* 0 for 0 */
#endif
