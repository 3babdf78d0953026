/* Random numbers for getrandom, /dev/urandom and AT_RANDOM: ChaCha20
 * (RFC 8439's block function) keyed from the RTC and the TSC at boot, with
 * the TSC mixed into every request and the key replaced by fresh output
 * after each one, so that a key read out of memory later says nothing of
 * what was handed out before it ("fast key erasure"). Under wasm386's
 * deterministic clock the TSC is the instruction count, so the same run
 * gives the same numbers, as a test needs. */
#include "kernel.h"
#include "module.h"
#include "proc.h"
#include "x86.h"

static u32 key[8];
static u64 counter;

#define ROTL(v, n) (((v) << (n)) | ((v) >> (32 - (n))))
#define QR(a, b, c, d) \
  a += b, d ^= a, d = ROTL(d, 16), c += d, b ^= c, b = ROTL(b, 12), a += b, d ^= a, d = ROTL(d, 8), c += d, b ^= c, b = ROTL(b, 7)

/* One 64-byte block of the stream for key and the 64-bit block counter. */
static void chacha_block(u32 out[16], u64 nonce) {
  u32 s[16] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};
  for (int i = 0; i < 8; i++) s[4 + i] = key[i];
  s[12] = (u32)counter, s[13] = (u32)(counter >> 32), s[14] = (u32)nonce, s[15] = (u32)(nonce >> 32);
  u32 x[16];
  memcpy(x, s, sizeof x);
  for (int r = 0; r < 10; r++) {
    QR(x[0], x[4], x[8], x[12]); QR(x[1], x[5], x[9], x[13]); QR(x[2], x[6], x[10], x[14]); QR(x[3], x[7], x[11], x[15]);
    QR(x[0], x[5], x[10], x[15]); QR(x[1], x[6], x[11], x[12]); QR(x[2], x[7], x[8], x[13]); QR(x[3], x[4], x[9], x[14]);
  }
  for (int i = 0; i < 16; i++) out[i] = x[i] + s[i];
  counter++;
}

static u64 rdtsc(void) {
  u32 lo, hi;
  __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return ((u64)hi << 32) | lo;
}

static void mix(const u32 *words, u32 n) {
  for (u32 i = 0; i < n; i++) key[i % 8] ^= words[i] + 0x9e3779b9u * (i + 1);
}

/* After rtc_read_boot_time: every RTC register and the TSC into the key. */
void random_init(void) {
  u32 seed[16];
  for (int i = 0; i < 14; i++) {
    outb(0x70, (u8)i);
    seed[i] = inb(0x71);
  }
  u64 t = rdtsc();
  seed[14] = (u32)t, seed[15] = (u32)(t >> 32);
  mix(seed, 16);
  u32 block[16];
  chacha_block(block, 0);
  memcpy(key, block, sizeof key);
}

void random_bytes(void *buf, u32 n) {
  u64 nonce = rdtsc(); /* each request its own stream */
  u32 block[16];
  for (u8 *out = buf; n;) {
    chacha_block(block, nonce);
    u32 k = n < sizeof block ? n : sizeof block;
    memcpy(out, block, k);
    out += k, n -= k;
  }
  chacha_block(block, nonce);
  memcpy(key, block, sizeof key); /* the next key: never handed out */
  memset(block, 0, sizeof block);
}

#define GRND_NONBLOCK 1
#define GRND_RANDOM 2
#define GRND_INSECURE 4

/* getrandom(buf, len, flags): the generator is seeded from boot on, so it
 * never blocks; a request is cut to 32 MiB, as Linux does. */
int sys_getrandom(u32 buf, u32 len, u32 flags) {
  if (flags & ~(u32)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) return -EINVAL;
  if ((flags & GRND_RANDOM) && (flags & GRND_INSECURE)) return -EINVAL;
  if (len > (32u << 20)) len = 32u << 20;
  u8 chunk[256];
  for (u32 done = 0; done < len;) {
    u32 k = len - done < sizeof chunk ? len - done : sizeof chunk;
    random_bytes(chunk, k);
    if (copy_to_user_checked(buf + done, chunk, k) < 0) return done ? (int)done : -EFAULT;
    done += k;
  }
  return (int)len;
}

EXPORT_SYMBOL(random_bytes);
