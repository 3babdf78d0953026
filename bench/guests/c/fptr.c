/* Calls through function pointers, as C programs make them: a table of
 * small operations dispatched by index from a pseudo-random stream,
 * objects with a table of methods (the C form of a vtable), a generic
 * qsort-style sort whose comparisons are callbacks, and a binary search
 * tree walked by visitor callbacks. */
#include "bench.h"

typedef unsigned short u16;

/* ---- an operation table ---- */

typedef u32 (*op_fn)(u32 acc, u32 x);

static u32 op_add(u32 a, u32 x) { return a + x; }
static u32 op_sub(u32 a, u32 x) { return a - (x >> 3); }
static u32 op_xor(u32 a, u32 x) { return a ^ x; }
static u32 op_rotl(u32 a, u32 x) { u32 n = x & 31; return n ? (a << n) | (a >> (32 - n)) : a; }
static u32 op_mul(u32 a, u32 x) { return a * (x | 1); }
static u32 op_min(u32 a, u32 x) { return a < x ? a : x + (a & 0xff); }
static u32 op_max(u32 a, u32 x) { return a > x ? a - (x & 0xffff) : x; }
static u32 op_avg(u32 a, u32 x) { return (a >> 1) + (x >> 1) + (a & x & 1); }
static u32 op_bits(u32 a, u32 x) {
  u32 n = 0;
  for (u32 v = x & 0xffff; v; v &= v - 1) n++;
  return a + n * 0x01000193u;
}
static u32 op_swap(u32 a, u32 x) { (void)x; return (a >> 24) | ((a >> 8) & 0xff00) | ((a << 8) & 0xff0000) | (a << 24); }
static u32 op_clamp(u32 a, u32 x) { u32 lo = x & 0xffff, hi = lo + 0x10000; return a < lo ? lo : a > hi ? hi - (a & 7) : a; }
static u32 op_mod(u32 a, u32 x) { return a + a % ((x & 0x3ff) + 3); }
static u32 op_nibble(u32 a, u32 x) { return a ^ (0x9e3779b9u >> ((x & 7) * 4)); }
static u32 op_neg(u32 a, u32 x) { return (x & 1) ? ~a : -a; }
static u32 op_shr(u32 a, u32 x) { return a + (a >> ((x & 15) + 1)); }
static u32 op_mix(u32 a, u32 x) { a ^= a >> 15; a *= 0x2c1b3c6du; return a ^ (x >> 20); }

static op_fn const ops[16] = {
  op_add, op_sub, op_xor, op_rotl, op_mul, op_min, op_max, op_avg,
  op_bits, op_swap, op_clamp, op_mod, op_nibble, op_neg, op_shr, op_mix,
};

static u32 run_ops(u32 seed, u32 n) {
  u32 acc = 0x12345678u;
  for (u32 i = 0; i < n; i++) {
    u32 r = xorshift(&seed);
    acc = ops[r >> 28](acc, r);
  }
  return acc;
}

/* ---- objects with methods ---- */

struct shape;
struct shape_ops {
  u32 (*area)(const struct shape *);
  u32 (*perimeter)(const struct shape *);
  void (*grow)(struct shape *, u32 by);
};
struct shape { const struct shape_ops *ops; u32 a, b, c; };

static u32 rect_area(const struct shape *s) { return s->a * s->b; }
static u32 rect_perimeter(const struct shape *s) { return 2 * (s->a + s->b); }
static void rect_grow(struct shape *s, u32 by) { s->a += by; s->b += by >> 1; }
static u32 square_area(const struct shape *s) { return s->a * s->a; }
static u32 square_perimeter(const struct shape *s) { return 4 * s->a; }
static void square_grow(struct shape *s, u32 by) { s->a += by; }
static u32 tri_area(const struct shape *s) { return s->a * s->b / 2; }
static u32 tri_perimeter(const struct shape *s) { return s->a + s->b + s->c; }
static void tri_grow(struct shape *s, u32 by) { s->a += by; s->b += by; s->c += by; }
static u32 ring_area(const struct shape *s) { return 3 * (s->a * s->a - s->b * s->b); }
static u32 ring_perimeter(const struct shape *s) { return 6 * (s->a + s->b); }
static void ring_grow(struct shape *s, u32 by) { s->a += by; if (s->b + 1 < s->a) s->b++; }

static const struct shape_ops rect_ops = { rect_area, rect_perimeter, rect_grow };
static const struct shape_ops square_ops = { square_area, square_perimeter, square_grow };
static const struct shape_ops tri_ops = { tri_area, tri_perimeter, tri_grow };
static const struct shape_ops ring_ops = { ring_area, ring_perimeter, ring_grow };
static const struct shape_ops *const kinds[4] = { &rect_ops, &square_ops, &tri_ops, &ring_ops };

#define SHAPES 256
static struct shape shapes[SHAPES];

static u32 run_shapes(u32 seed, u32 rounds) {
  for (u32 i = 0; i < SHAPES; i++) {
    u32 r = xorshift(&seed);
    shapes[i].ops = kinds[r & 3];
    shapes[i].a = 3 + ((r >> 4) & 63);
    shapes[i].b = 1 + ((r >> 12) & 31);
    shapes[i].c = 2 + ((r >> 20) & 15);
  }
  u32 sum = 0;
  for (u32 k = 0; k < rounds; k++) {
    for (u32 i = 0; i < SHAPES; i++) {
      struct shape *s = &shapes[i];
      u32 area = s->ops->area(s);
      sum += area ^ s->ops->perimeter(s);
      if ((area & 3) == (k & 3)) s->ops->grow(s, k & 7);
      if (s->a > 4000) { s->a = 3 + (s->a & 63); s->b &= 31; }
    }
  }
  return sum;
}

/* ---- a generic sort ---- */

typedef int (*cmp_fn)(const void *, const void *);

static void swap_items(u8 *a, u8 *b, usize size) {
  if ((size & 3) == 0) {
    u32 *x = (u32 *)a, *y = (u32 *)b;
    for (usize i = 0; i < size / 4; i++) { u32 t = x[i]; x[i] = y[i]; y[i] = t; }
  } else {
    for (usize i = 0; i < size; i++) { u8 t = a[i]; a[i] = b[i]; b[i] = t; }
  }
}

/* Quicksort on the median of three, insertion sort for eight items or fewer; the
 * smaller side recursively, the larger in the loop. */
__attribute__((noinline)) static void gsort(void *base, usize n, usize size, cmp_fn cmp) {
  u8 *lo = base;
  while (n > 8) {
    u8 *mid = lo + (n / 2) * size, *hi = lo + (n - 1) * size;
    if (cmp(mid, lo) < 0) swap_items(mid, lo, size);
    if (cmp(hi, mid) < 0) {
      swap_items(hi, mid, size);
      if (cmp(mid, lo) < 0) swap_items(mid, lo, size);
    }
    swap_items(mid, lo + size, size); /* the pivot, out of the way */
    u8 *pivot = lo + size;
    u8 *i = lo + size, *j = hi;
    for (;;) {
      do i += size; while (cmp(i, pivot) < 0);
      do j -= size; while (cmp(pivot, j) < 0);
      if (i >= j) break;
      swap_items(i, j, size);
    }
    swap_items(pivot, j, size);
    usize left = (usize)(j - lo) / size, right = n - left - 1;
    if (left < right) { gsort(lo, left, size, cmp); lo = j + size; n = right; }
    else { gsort(j + size, right, size, cmp); n = left; }
  }
  for (usize k = 1; k < n; k++)
    for (u8 *p = lo + k * size; p > lo && cmp(p, p - size) < 0; p -= size) swap_items(p, p - size, size);
}

struct rec { u32 key; u16 group; u16 id; char name[8]; };

static int by_key(const void *a, const void *b) {
  u32 x = ((const struct rec *)a)->key, y = ((const struct rec *)b)->key;
  return x < y ? -1 : x > y;
}
static int by_key_desc(const void *a, const void *b) { return by_key(b, a); }
static int by_group_id(const void *a, const void *b) {
  const struct rec *x = a, *y = b;
  if (x->group != y->group) return x->group < y->group ? -1 : 1;
  return (int)x->id - (int)y->id;
}
static int by_name(const void *a, const void *b) {
  const unsigned char *x = (const unsigned char *)((const struct rec *)a)->name;
  const unsigned char *y = (const unsigned char *)((const struct rec *)b)->name;
  while (*x && *x == *y) x++, y++;
  return (int)*x - (int)*y;
}
static int by_u16(const void *a, const void *b) { return (int)*(const u16 *)a - (int)*(const u16 *)b; }

#define RECS 3000
static struct rec recs[RECS];
static u16 shorts[RECS];
static cmp_fn const orders[4] = { by_key, by_group_id, by_name, by_key_desc };

static u32 run_sorts(u32 seed) {
  for (u32 i = 0; i < RECS; i++) {
    u32 r = xorshift(&seed);
    recs[i].key = r;
    recs[i].group = (u16)(r % 37);
    recs[i].id = (u16)i;
    u32 len = 2 + (r >> 29);
    for (u32 c = 0; c < 8; c++) recs[i].name[c] = c < len ? (char)('a' + (xorshift(&seed) >> 29)) : 0;
    shorts[i] = (u16)(r >> 7);
  }
  u32 sum = 0;
  for (u32 k = 0; k < 4; k++) {
    gsort(recs, RECS, sizeof recs[0], orders[k]);
    for (u32 i = 0; i < RECS; i++) sum = sum * 33 + recs[i].id;
  }
  gsort(shorts, RECS, sizeof shorts[0], by_u16);
  for (u32 i = 1; i < RECS; i++) if (shorts[i - 1] > shorts[i]) return 0xbad;
  return sum + shorts[RECS / 3];
}

/* ---- a tree and its visitors ---- */

struct tnode { struct tnode *left, *right; u32 key; u32 value; };
typedef void (*visit_fn)(struct tnode *, u32 depth, void *ctx);

#define TNODES 4095
static struct tnode tpool[TNODES];

static struct tnode *tree_insert(struct tnode *root, struct tnode *n) {
  if (!root) return n;
  struct tnode *p = root;
  for (;;) {
    struct tnode **next = n->key < p->key ? &p->left : &p->right;
    if (!*next) { *next = n; return root; }
    p = *next;
  }
}

static void walk_in(struct tnode *t, u32 depth, visit_fn fn, void *ctx) {
  while (t) {
    walk_in(t->left, depth + 1, fn, ctx);
    fn(t, depth, ctx);
    t = t->right;
    depth++;
  }
}

static void walk_pre(struct tnode *t, u32 depth, visit_fn fn, void *ctx) {
  if (!t) return;
  fn(t, depth, ctx);
  walk_pre(t->left, depth + 1, fn, ctx);
  walk_pre(t->right, depth + 1, fn, ctx);
}

struct stats { u32 count, sum, deepest, order_hash, last; };

static void v_count(struct tnode *n, u32 depth, void *ctx) {
  struct stats *s = ctx;
  s->count++;
  s->sum += n->key >> 8;
  if (depth > s->deepest) s->deepest = depth;
}
static void v_order(struct tnode *n, u32 depth, void *ctx) {
  struct stats *s = ctx;
  if (n->key < s->last) s->order_hash ^= 0xdead;
  s->last = n->key;
  s->order_hash = (s->order_hash ^ n->value) * 16777619u + depth;
}
static void v_update(struct tnode *n, u32 depth, void *ctx) {
  struct stats *s = ctx;
  n->value = n->value * 5 + depth + (s->count & 0xff);
  s->count++;
}

static u32 run_tree(u32 seed) {
  struct tnode *root = 0;
  for (u32 i = 0; i < TNODES; i++) {
    tpool[i].left = tpool[i].right = 0;
    tpool[i].key = xorshift(&seed);
    tpool[i].value = i;
    root = tree_insert(root, &tpool[i]);
  }
  struct stats s = { 0, 0, 0, 2166136261u, 0 };
  walk_in(root, 0, v_count, &s);
  walk_pre(root, 0, v_update, &s);
  s.last = 0;
  walk_in(root, 0, v_order, &s);
  walk_pre(root, 0, v_count, &s);
  return s.count + s.sum + s.deepest * 1000 + s.order_hash;
}

u32 bench(void) {
  u32 sum = 0;
  for (u32 round = 0; round < 8; round++) {
    u32 seed = 0x2545f491u + round * 0x9e3779b9u;
    sum = sum * 31 + run_ops(seed, 200000);
    sum = sum * 31 + run_shapes(seed ^ 0x5555, 60);
    sum = sum * 31 + run_sorts(seed ^ 0xaaaa);
    sum = sum * 31 + run_tree(seed ^ 0x1234);
  }
  return sum;
}
