/* add adc sub sbb and or xor cmp test inc dec neg not, 8/16/32-bit,
 * register forms, all flags compared (logic ops' AF, undefined in the SDM,
 * is 0 on QEMU and here). */
#include "rt/ops.h"

BINOP3(add, "add")
BINOP3(adc, "adc")
BINOP3(sub, "sub")
BINOP3(sbb, "sbb")
BINOP3(and, "and")
BINOP3(or, "or")
BINOP3(xor, "xor")
BINOP3(cmp, "cmp")
BINOP3(test, "test")
UNOP3(inc, "inc")
UNOP3(dec, "dec")
UNOP3(neg, "neg")
UNOP3(not, "not")

int main(void) {
  rnd_seed(0xa1u);
  RUN3("add", add, 0xff, 0xffff, ~0u, ARITH);
  RUN3("adc", adc, 0xff, 0xffff, ~0u, ARITH);
  RUN3("sub", sub, 0xff, 0xffff, ~0u, ARITH);
  RUN3("sbb", sbb, 0xff, 0xffff, ~0u, ARITH);
  RUN3("and", and, 0xff, 0xffff, ~0u, ARITH);
  RUN3("or", or, 0xff, 0xffff, ~0u, ARITH);
  RUN3("xor", xor, 0xff, 0xffff, ~0u, ARITH);
  RUN3("cmp", cmp, 0xff, 0xffff, ~0u, ARITH);
  RUN3("test", test, 0xff, 0xffff, ~0u, ARITH);
  RUN3("inc", inc, 0, 0, 0, ARITH);
  RUN3("dec", dec, 0, 0, 0, ARITH);
  RUN3("neg", neg, 0, 0, 0, ARITH);
  RUN3("not", not, 0, 0, 0, ARITH);
  return 0;
}
