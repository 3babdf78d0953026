/* Embedded-style mix over 8- and 16-bit data, as small firmware keeps it:
 * a linked list of 16-bit records (find, move to front, reverse, merge
 * sort), an int16 matrix multiply with 32-bit accumulators, a state
 * machine that classifies number-like tokens in a byte string, and a
 * bitwise CRC-16 (CCITT polynomial, no table) over every result. Each
 * round's data comes from the previous round's CRC. */
#include "bench.h"

typedef unsigned short u16;
typedef short i16;
typedef int i32;

#define ROUNDS 1600

/* ---- CRC-16/CCITT, one bit at a time ---- */

static u16 crc16_byte(u8 b, u16 crc) {
  crc ^= (u16)((u16)b << 8);
  for (u8 k = 0; k < 8; k++) crc = (crc & 0x8000) ? (u16)((u16)(crc << 1) ^ 0x1021) : (u16)(crc << 1);
  return crc;
}

static u16 crc16_word(u16 w, u16 crc) { return crc16_byte((u8)(w >> 8), crc16_byte((u8)w, crc)); }

/* ---- linked list of records ---- */

struct record { u16 value; i16 tag; u8 flags; u8 hits; };
struct node { struct node *next; struct record *rec; };

#define NODES 40
static struct node nodes[NODES];
static struct record records[NODES];

static struct node *list_init(void) {
  struct node *head = 0;
  for (int i = NODES - 1; i >= 0; i--) {
    records[i].value = (u16)(i * 0x2f1b + 0x55);
    records[i].tag = (i16)(i - NODES / 2);
    records[i].flags = (u8)(i & 3);
    records[i].hits = 0;
    nodes[i].rec = &records[i];
    nodes[i].next = head;
    head = &nodes[i];
  }
  return head;
}

static struct node *list_find_value(struct node *l, u16 value) {
  while (l && l->rec->value != value) l = l->next;
  return l;
}

static struct node *list_find_tag(struct node *l, i16 tag) {
  while (l && l->rec->tag != tag) l = l->next;
  return l;
}

/* Unlinks target (a node of the list) and puts it first. */
static struct node *list_to_front(struct node *head, struct node *target) {
  if (head == target) return head;
  struct node *p = head;
  while (p->next != target) p = p->next;
  p->next = target->next;
  target->next = head;
  return target;
}

static struct node *list_reverse(struct node *l) {
  struct node *prev = 0;
  while (l) {
    struct node *next = l->next;
    l->next = prev;
    prev = l;
    l = next;
  }
  return prev;
}

static int before(const struct record *a, const struct record *b, u8 by_value) {
  if (by_value) {
    if (a->value != b->value) return a->value < b->value;
    return a->tag < b->tag;
  }
  return a->tag < b->tag;
}

/* Bottom-up merge sort of a singly linked list: runs of width 1, 2, 4...
 * merged pairwise until one run is left. */
static struct node *list_sort(struct node *list, u8 by_value) {
  if (!list) return list;
  for (u16 width = 1;; width = (u16)(width << 1)) {
    struct node *p = list, *tail = 0;
    list = 0;
    u16 merges = 0;
    while (p) {
      merges++;
      struct node *q = p;
      u16 psize = 0;
      while (psize < width && q) { psize++; q = q->next; }
      u16 qsize = width;
      while (psize > 0 || (qsize > 0 && q)) {
        struct node *e;
        if (psize == 0) { e = q; q = q->next; qsize--; }
        else if (qsize == 0 || !q || !before(q->rec, p->rec, by_value)) { e = p; p = p->next; psize--; }
        else { e = q; q = q->next; qsize--; }
        if (tail) tail->next = e; else list = e;
        tail = e;
      }
      p = q;
    }
    tail->next = 0;
    if (merges <= 1) return list;
  }
}

static u16 list_digest(struct node *l, u16 crc) {
  u16 pos = 0;
  for (; l; l = l->next, pos++) {
    crc = crc16_word((u16)(l->rec->value ^ pos), crc);
    crc = crc16_byte((u8)(l->rec->tag + l->rec->hits), crc);
  }
  return crc;
}

static u16 list_round(struct node **headp, u16 seed) {
  struct node *head = *headp;
  u16 crc = seed;
  /* Lookups by value: a few hits (existing values), a few misses. */
  for (u8 k = 0; k < 6; k++) {
    u16 want = (u16)((u16)((seed >> k) % NODES) * 0x2f1b + 0x55);
    if (k & 1) want ^= 0x0100;
    struct node *n = list_find_value(head, want);
    if (n) {
      n->rec->hits++;
      n->rec->flags |= 0x80;
      head = list_to_front(head, n);
    } else {
      crc = crc16_byte(k, crc);
    }
  }
  /* Lookups by tag: update the record's value in place. */
  for (u8 k = 0; k < 4; k++) {
    i16 tag = (i16)((i16)(seed % NODES) - NODES / 2 + k);
    if (tag >= NODES / 2) tag = (i16)(tag - NODES);
    struct node *n = list_find_tag(head, tag);
    if (n) n->rec->value = (u16)(n->rec->value + (u16)(seed & 0x0707) + (u16)n->rec->flags);
  }
  head = list_reverse(head);
  crc = list_digest(head, crc);
  head = list_sort(head, 1);
  crc = list_digest(head, crc);
  head = list_sort(head, 0);
  /* Values back into the set list_find_value looks for, flags cleared. */
  for (struct node *n = head; n; n = n->next) {
    n->rec->value = (u16)((u16)(n->rec->tag + NODES / 2) * 0x2f1b + 0x55);
    n->rec->flags &= 0x7f;
  }
  *headp = head;
  return crc;
}

/* ---- int16 matrices ---- */

#define MN 10
static i16 ma[MN * MN], mb[MN * MN], mv[MN];
static i32 mc[MN * MN], mw[MN];

static void mat_fill(u16 seed) {
  u16 s = seed | 1;
  for (u8 i = 0; i < MN * MN; i++) {
    s = (u16)(s * 25173u + 13849u);
    ma[i] = (i16)((i16)(s >> 4) - 0x0800);
    mb[i] = (i16)((s & 0x0fff) ^ 0x05a5) - 0x0400;
  }
  for (u8 i = 0; i < MN; i++) mv[i] = (i16)(ma[i * MN + i] >> 2);
}

static void mat_add_const(i16 *m, i16 k) {
  for (u8 i = 0; i < MN * MN; i++) m[i] = (i16)(m[i] + k);
}

static void mat_times_const(i32 *out, const i16 *m, i16 k) {
  for (u8 i = 0; i < MN * MN; i++) out[i] = (i32)m[i] * (i32)k;
}

static void mat_times_vec(i32 *out, const i16 *m, const i16 *v) {
  for (u8 i = 0; i < MN; i++) {
    i32 acc = 0;
    for (u8 j = 0; j < MN; j++) acc += (i32)m[i * MN + j] * (i32)v[j];
    out[i] = acc;
  }
}

static void mat_times_mat(i32 *out, const i16 *a, const i16 *b) {
  for (u8 i = 0; i < MN; i++)
    for (u8 j = 0; j < MN; j++) {
      i32 acc = 0;
      for (u8 k = 0; k < MN; k++) acc += (i32)a[i * MN + k] * (i32)b[k * MN + j];
      out[i * MN + j] = acc;
    }
}

/* Fields of the products folded into 16 bits: a sign-dependent bit field
 * and a saturating sum, as fixed-point code does. */
static u16 mat_digest(const i32 *m, u8 n, u16 crc) {
  i16 sat = 0;
  u16 fields = 0;
  for (u8 i = 0; i < n; i++) {
    i32 x = m[i];
    u8 field = (u8)((x >> (x < 0 ? 3 : 5)) & 0x1f);
    fields = (u16)(fields + (field > 20 ? field << 2 : field));
    i32 t = (i32)sat + (i32)(i16)(x >> 12);
    sat = t > 32767 ? 32767 : t < -32768 ? -32768 : (i16)t;
  }
  return crc16_word((u16)sat, crc16_word(fields, crc));
}

static u16 mat_round(u16 seed) {
  mat_fill(seed);
  u16 crc = 0;
  i16 k = (i16)((i16)(seed & 0x00ff) - 0x40);
  mat_add_const(ma, k);
  mat_times_const(mc, ma, (i16)(k | 1));
  crc = mat_digest(mc, MN * MN, crc);
  mat_times_vec(mw, ma, mv);
  crc = mat_digest(mw, MN, crc);
  mat_times_mat(mc, ma, mb);
  crc = mat_digest(mc, MN * MN, crc);
  mat_add_const(ma, (i16)-k);
  return crc;
}

/* ---- a number-token state machine ---- */

enum { S_START, S_SIGN, S_INT, S_POINT, S_FRAC, S_E, S_ESIGN, S_EXP, S_BAD, S_COUNT };

static u8 next_state(u8 st, u8 c) {
  u8 digit = (u8)(c - '0') < 10;
  switch (st) {
  case S_START:
    if (digit) return S_INT;
    if (c == '+' || c == '-') return S_SIGN;
    if (c == '.') return S_POINT;
    return S_BAD;
  case S_SIGN:
    if (digit) return S_INT;
    if (c == '.') return S_POINT;
    return S_BAD;
  case S_INT:
    if (digit) return S_INT;
    if (c == '.') return S_FRAC;
    if (c == 'e' || c == 'E') return S_E;
    return S_BAD;
  case S_POINT:
    return digit ? S_FRAC : S_BAD;
  case S_FRAC:
    if (digit) return S_FRAC;
    if (c == 'e' || c == 'E') return S_E;
    return S_BAD;
  case S_E:
    if (digit) return S_EXP;
    if (c == '+' || c == '-') return S_ESIGN;
    return S_BAD;
  case S_ESIGN:
  case S_EXP:
    return digit ? S_EXP : S_BAD;
  default:
    return S_BAD;
  }
}

#define TEXT 240
static u8 text[TEXT];
static u16 text_len;

/* Tokens like "-12.5e+3", "7", ".25", "3e", separated by commas. */
static void text_fill(u16 seed) {
  u16 s = (u16)(seed ^ 0x3c5a);
  u16 n = 0;
  while (n < TEXT - 14) {
    s = (u16)((s >> 1) ^ (-(s & 1) & 0xb400u));
    u8 shape = (u8)(s & 0x1f);
    if (shape & 1) text[n++] = (shape & 2) ? '-' : '+';
    u8 digits = (u8)(1 + ((s >> 5) & 3));
    for (u8 d = 0; d < digits; d++) text[n++] = (u8)('0' + (u8)((s >> (d * 3)) % 10));
    if (shape & 4) {
      text[n++] = '.';
      text[n++] = (u8)('0' + (u8)((s >> 7) % 10));
    }
    if ((shape & 0x18) == 0x18) {
      text[n++] = (s & 0x100) ? 'e' : 'E';
      if (s & 0x200) text[n++] = '-';
      if (!(s & 0x400)) text[n++] = (u8)('1' + (u8)((s >> 11) & 7));
    }
    text[n++] = ',';
  }
  text_len = n;
}

static u16 scan(u16 crc) {
  u16 finals[S_COUNT], moves[S_COUNT];
  for (u8 i = 0; i < S_COUNT; i++) finals[i] = moves[i] = 0;
  u16 i = 0;
  while (i < text_len) {
    u8 st = S_START;
    for (; i < text_len && text[i] != ','; i++) {
      u8 nx = next_state(st, text[i]);
      if (nx != st) moves[nx]++;
      st = nx;
    }
    finals[st]++;
    i++;
  }
  for (u8 k = 0; k < S_COUNT; k++) crc = crc16_word((u16)(finals[k] ^ (moves[k] << 4)), crc);
  return crc;
}

static u16 text_round(u16 seed) {
  text_fill(seed);
  u16 crc = scan(seed);
  /* Corrupt every seventh byte, scan again, and put the bytes back. */
  u8 mask = (u8)(seed | 1);
  for (u16 i = (u16)(seed & 7); i < text_len; i = (u16)(i + 7)) text[i] ^= mask;
  crc = scan(crc);
  for (u16 i = (u16)(seed & 7); i < text_len; i = (u16)(i + 7)) text[i] ^= mask;
  return crc;
}

u32 bench(void) {
  struct node *head = list_init();
  u16 crc = 0xffff;
  u32 sum = 0;
  for (u32 round = 0; round < ROUNDS; round++) {
    u16 seed = (u16)(crc ^ (u16)round);
    u16 a = list_round(&head, seed);
    u16 b = mat_round((u16)(seed + a));
    u16 c = text_round((u16)(seed ^ b));
    crc = crc16_word(a, crc16_word(b, crc16_word(c, crc)));
    sum = sum * 31 + crc;
  }
  return sum ^ (u32)list_digest(head, crc) << 16;
}
