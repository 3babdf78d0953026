/* A bytecode interpreter: a small stack machine (stack operations,
 * arithmetic and logic, locals, a word-addressed memory, branches, calls)
 * dispatched by a dense switch, the way simple interpreters are written.
 * The program is assembled in C at start: a prime sieve, a hash loop, a
 * recursive Fibonacci and Euclid's GCD, and Collatz step counts, driven
 * by a main loop that is bytecode too. */
#include "bench.h"

typedef short i16;
typedef unsigned short u16;
typedef int i32;
typedef signed char i8;

enum {
  OP_HALT, OP_PUSH, OP_PUSHB, OP_POP, OP_DUP, OP_SWAP, OP_OVER,
  OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_AND, OP_OR, OP_XOR, OP_SHL, OP_SHR,
  OP_LT, OP_EQ, OP_LOAD, OP_STORE, OP_INC, OP_GLOAD, OP_GSTORE,
  OP_JMP, OP_JZ, OP_JNZ, OP_CALL, OP_RET,
};

/* ---- the machine ---- */

#define MEM_WORDS 16384
#define STACK 256
#define FRAME 8 /* locals per call */
#define FRAMES 64
#define VM_ERROR 0x7fffbad0
#define ROUNDS_VM 25

static i32 mem[MEM_WORDS];
static u8 code[2048];

static i32 rd32(const u8 *p) { return (i32)((u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24); }
static i16 rd16(const u8 *p) { return (i16)(p[0] | p[1] << 8); }

static i32 vm_run(u16 entry) {
  i32 stack[STACK], *sp = stack;
  i32 locals[FRAMES * FRAME], *fp = locals;
  u16 returns[FRAMES];
  u16 depth = 0;
  const u8 *pc = code + entry;
  for (;;) {
    i32 a, b;
    switch (*pc++) {
    case OP_HALT:
      return sp > stack ? sp[-1] : 0;
    case OP_PUSH:
      *sp++ = rd32(pc);
      pc += 4;
      break;
    case OP_PUSHB:
      *sp++ = (i8)*pc++;
      break;
    case OP_POP:
      sp--;
      break;
    case OP_DUP:
      sp[0] = sp[-1];
      sp++;
      break;
    case OP_SWAP:
      a = sp[-1];
      sp[-1] = sp[-2];
      sp[-2] = a;
      break;
    case OP_OVER:
      sp[0] = sp[-2];
      sp++;
      break;
    case OP_ADD:
      sp--;
      sp[-1] = (i32)((u32)sp[-1] + (u32)sp[0]);
      break;
    case OP_SUB:
      sp--;
      sp[-1] = (i32)((u32)sp[-1] - (u32)sp[0]);
      break;
    case OP_MUL:
      sp--;
      sp[-1] = (i32)((u32)sp[-1] * (u32)sp[0]);
      break;
    case OP_DIV:
    case OP_MOD:
      b = *--sp;
      a = sp[-1];
      if (b == 0 || (b == -1 && a == (i32)0x80000000u)) return VM_ERROR;
      sp[-1] = pc[-1] == OP_DIV ? a / b : a % b;
      break;
    case OP_AND:
      sp--;
      sp[-1] &= sp[0];
      break;
    case OP_OR:
      sp--;
      sp[-1] |= sp[0];
      break;
    case OP_XOR:
      sp--;
      sp[-1] ^= sp[0];
      break;
    case OP_SHL:
      sp--;
      sp[-1] = (i32)((u32)sp[-1] << (sp[0] & 31));
      break;
    case OP_SHR:
      sp--;
      sp[-1] = (i32)((u32)sp[-1] >> (sp[0] & 31));
      break;
    case OP_LT:
      sp--;
      sp[-1] = sp[-1] < sp[0];
      break;
    case OP_EQ:
      sp--;
      sp[-1] = sp[-1] == sp[0];
      break;
    case OP_LOAD:
      *sp++ = fp[*pc++];
      break;
    case OP_STORE:
      fp[*pc++] = *--sp;
      break;
    case OP_INC:
      fp[pc[0]] += (i8)pc[1];
      pc += 2;
      break;
    case OP_GLOAD:
      sp[-1] = mem[(u32)sp[-1] % MEM_WORDS];
      break;
    case OP_GSTORE: /* value, address */
      sp -= 2;
      mem[(u32)sp[1] % MEM_WORDS] = sp[0];
      break;
    case OP_JMP:
      pc += 2 + rd16(pc);
      break;
    case OP_JZ:
      pc += 2 + (*--sp == 0 ? rd16(pc) : 0);
      break;
    case OP_JNZ:
      pc += 2 + (*--sp != 0 ? rd16(pc) : 0);
      break;
    case OP_CALL: { /* target, argument count: the arguments become locals 0.. */
      u16 target = (u16)rd16(pc);
      u8 nargs = pc[2];
      pc += 3;
      if (depth == FRAMES - 1) return VM_ERROR;
      returns[depth++] = (u16)(pc - code);
      fp += FRAME;
      for (u8 i = nargs; i > 0; i--) fp[i - 1] = *--sp;
      pc = code + target;
      break;
    }
    case OP_RET: /* the result stays on the stack */
      if (depth == 0) return VM_ERROR;
      pc = code + returns[--depth];
      fp -= FRAME;
      break;
    default:
      return VM_ERROR;
    }
  }
}

/* ---- an assembler with labels ---- */

static u16 here;
static u16 label_at[64];
static struct { u16 at; u8 label; u8 absolute; } fixups[128];
static u8 nfixups;

static void emit(u8 b) { code[here++] = b; }
static void op0(u8 op) { emit(op); }
static void op1(u8 op, u8 arg) { emit(op); emit(arg); }
static void push(i32 v) {
  if (v >= -128 && v <= 127) { emit(OP_PUSHB); emit((u8)v); return; }
  emit(OP_PUSH);
  for (int i = 0; i < 4; i++) emit((u8)((u32)v >> (8 * i)));
}
static void ref(u8 label, u8 absolute) {
  fixups[nfixups].at = here;
  fixups[nfixups].label = label;
  fixups[nfixups++].absolute = absolute;
  here += 2;
}
static void jump(u8 op, u8 label) { emit(op); ref(label, 0); }
static void call(u8 label, u8 nargs) { emit(OP_CALL); ref(label, 1); emit(nargs); }
static void bind(u8 label) { label_at[label] = here; }
static void link(void) {
  for (u8 i = 0; i < nfixups; i++) {
    u16 at = fixups[i].at;
    u16 v = fixups[i].absolute ? label_at[fixups[i].label] : (u16)(label_at[fixups[i].label] - (at + 2));
    code[at] = (u8)v;
    code[at + 1] = (u8)(v >> 8);
  }
}

enum {
  F_SIEVE, F_HASH, F_FIB, F_GCD, F_COLLATZ, F_MAIN,
  L_S1, L_S1E, L_S2, L_S2E, L_S2N, L_S3, L_S4, L_S4E,
  L_H1, L_H1E, L_F1, L_G1, L_C1, L_C1E, L_C2, L_C2E, L_C3, L_C4, L_M1, L_M1E,
};

/* sieve(n): the number of primes below n; memory words 0..n-1 as flags. */
static void asm_sieve(void) {
  enum { N, I, J, COUNT };
  bind(F_SIEVE);
  push(2); op1(OP_STORE, I);
  bind(L_S1); /* flags[i] = 1 for 2 <= i < n */
  op1(OP_LOAD, I); op1(OP_LOAD, N); op0(OP_LT); jump(OP_JZ, L_S1E);
  push(1); op1(OP_LOAD, I); op0(OP_GSTORE);
  op1(OP_INC, I); emit(1); jump(OP_JMP, L_S1);
  bind(L_S1E);
  push(2); op1(OP_STORE, I);
  bind(L_S2); /* while i * i < n */
  op1(OP_LOAD, I); op0(OP_DUP); op0(OP_MUL); op1(OP_LOAD, N); op0(OP_LT); jump(OP_JZ, L_S2E);
  op1(OP_LOAD, I); op0(OP_GLOAD); jump(OP_JZ, L_S2N);
  op1(OP_LOAD, I); op0(OP_DUP); op0(OP_MUL); op1(OP_STORE, J);
  bind(L_S3); /* for j = i * i; j < n; j += i: flags[j] = 0 */
  op1(OP_LOAD, J); op1(OP_LOAD, N); op0(OP_LT); jump(OP_JZ, L_S2N);
  push(0); op1(OP_LOAD, J); op0(OP_GSTORE);
  op1(OP_LOAD, J); op1(OP_LOAD, I); op0(OP_ADD); op1(OP_STORE, J);
  jump(OP_JMP, L_S3);
  bind(L_S2N);
  op1(OP_INC, I); emit(1); jump(OP_JMP, L_S2);
  bind(L_S2E); /* count the flags still set */
  push(0); op1(OP_STORE, COUNT); push(2); op1(OP_STORE, I);
  bind(L_S4);
  op1(OP_LOAD, I); op1(OP_LOAD, N); op0(OP_LT); jump(OP_JZ, L_S4E);
  op1(OP_LOAD, COUNT); op1(OP_LOAD, I); op0(OP_GLOAD); op0(OP_ADD); op1(OP_STORE, COUNT);
  op1(OP_INC, I); emit(1); jump(OP_JMP, L_S4);
  bind(L_S4E);
  op1(OP_LOAD, COUNT); op0(OP_RET);
}

/* hash(x, rounds): xorshift steps folded FNV-style with a modulus. */
static void asm_hash(void) {
  enum { X, ROUNDS, H, K };
  bind(F_HASH);
  push((i32)0x811c9dc5u); op1(OP_STORE, H); push(0); op1(OP_STORE, K);
  op1(OP_LOAD, X); jump(OP_JNZ, L_H1); push(1); op1(OP_STORE, X); /* xorshift needs x != 0 */
  bind(L_H1);
  op1(OP_LOAD, K); op1(OP_LOAD, ROUNDS); op0(OP_LT); jump(OP_JZ, L_H1E);
  op1(OP_LOAD, X); op0(OP_DUP); push(13); op0(OP_SHL); op0(OP_XOR);
  op0(OP_DUP); push(17); op0(OP_SHR); op0(OP_XOR);
  op0(OP_DUP); push(5); op0(OP_SHL); op0(OP_XOR); op1(OP_STORE, X);
  op1(OP_LOAD, H); op1(OP_LOAD, X); push(1000003); op0(OP_MOD); op0(OP_XOR);
  push(16777619); op0(OP_MUL); op1(OP_STORE, H);
  op1(OP_INC, K); emit(1); jump(OP_JMP, L_H1);
  bind(L_H1E);
  op1(OP_LOAD, H); op0(OP_RET);
}

/* fib(n), naively recursive. */
static void asm_fib(void) {
  enum { N };
  bind(F_FIB);
  op1(OP_LOAD, N); push(2); op0(OP_LT); jump(OP_JZ, L_F1);
  op1(OP_LOAD, N); op0(OP_RET);
  bind(L_F1);
  op1(OP_LOAD, N); push(1); op0(OP_SUB); call(F_FIB, 1);
  op1(OP_LOAD, N); push(2); op0(OP_SUB); call(F_FIB, 1);
  op0(OP_ADD); op0(OP_RET);
}

/* gcd(a, b) = b ? gcd(b, a % b) : a. */
static void asm_gcd(void) {
  enum { A, B };
  bind(F_GCD);
  op1(OP_LOAD, B); jump(OP_JNZ, L_G1);
  op1(OP_LOAD, A); op0(OP_RET);
  bind(L_G1);
  op1(OP_LOAD, B); op1(OP_LOAD, A); op1(OP_LOAD, B); op0(OP_MOD); call(F_GCD, 2); op0(OP_RET);
}

/* collatz(m): the total of the step counts of 1..m. */
static void asm_collatz(void) {
  enum { M, I, X, STEPS };
  bind(F_COLLATZ);
  push(0); op1(OP_STORE, STEPS); push(1); op1(OP_STORE, I);
  bind(L_C1);
  op1(OP_LOAD, M); op1(OP_LOAD, I); op0(OP_LT); jump(OP_JNZ, L_C1E);
  op1(OP_LOAD, I); op1(OP_STORE, X);
  bind(L_C2);
  op1(OP_LOAD, X); push(1); op0(OP_EQ); jump(OP_JNZ, L_C2E);
  op1(OP_INC, STEPS); emit(1);
  op1(OP_LOAD, X); push(1); op0(OP_AND); jump(OP_JNZ, L_C3);
  op1(OP_LOAD, X); push(2); op0(OP_DIV); op1(OP_STORE, X); jump(OP_JMP, L_C2);
  bind(L_C3);
  op1(OP_LOAD, X); push(3); op0(OP_MUL); push(1); op0(OP_ADD); op1(OP_STORE, X); jump(OP_JMP, L_C2);
  bind(L_C2E);
  op1(OP_INC, I); emit(1); jump(OP_JMP, L_C1);
  bind(L_C1E);
  op1(OP_LOAD, STEPS); op0(OP_RET);
  bind(L_C4);
}

/* main: rounds of all of the above, each fed by the running sum. */
static void asm_main(void) {
  enum { R, S, T };
  bind(F_MAIN);
  push(0); op1(OP_STORE, R); push(7); op1(OP_STORE, S);
  bind(L_M1);
  op1(OP_LOAD, R); push(ROUNDS_VM); op0(OP_LT); jump(OP_JZ, L_M1E);
  /* s += sieve(6000 + (s & 1023)) */
  op1(OP_LOAD, S); push(1023); op0(OP_AND); push(6000); op0(OP_ADD); call(F_SIEVE, 1);
  op1(OP_LOAD, S); op0(OP_ADD); op1(OP_STORE, S);
  /* s = hash(s, 1500) */
  op1(OP_LOAD, S); push(1500); call(F_HASH, 2); op1(OP_STORE, S);
  /* s += fib(14 + (r & 3)) */
  op1(OP_LOAD, R); push(3); op0(OP_AND); push(14); op0(OP_ADD); call(F_FIB, 1);
  op1(OP_LOAD, S); op0(OP_ADD); op1(OP_STORE, S);
  /* s ^= gcd(s & 0xffff | 1, 0x7ff8 * 3) << 8 */
  op1(OP_LOAD, S); push(0xffff); op0(OP_AND); push(1); op0(OP_OR); push(0x7ff8 * 3); call(F_GCD, 2);
  push(8); op0(OP_SHL); op1(OP_LOAD, S); op0(OP_XOR); op1(OP_STORE, S);
  /* t = collatz(200 + (s & 127)); s = s * 3 + t */
  op1(OP_LOAD, S); push(127); op0(OP_AND); push(200); op0(OP_ADD); call(F_COLLATZ, 1); op1(OP_STORE, T);
  op1(OP_LOAD, S); push(3); op0(OP_MUL); op1(OP_LOAD, T); op0(OP_ADD); op1(OP_STORE, S);
  op1(OP_INC, R); emit(1); jump(OP_JMP, L_M1);
  bind(L_M1E);
  op1(OP_LOAD, S); op0(OP_HALT);
}

u32 bench(void) {
  here = 0;
  nfixups = 0;
  asm_sieve();
  asm_hash();
  asm_fib();
  asm_gcd();
  asm_collatz();
  u16 entry = here;
  asm_main();
  link();
  return (u32)vm_run(entry);
}
