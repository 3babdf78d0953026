// GDB stub fuzzing: 10,000 random and mutated packets (monitor commands
// and target description reads among them) through the stub's own receive
// path (what the socket server feeds it; the socket itself is in
// gdb.test.ts). Seeded, so the packets repeat; the index and the packet
// are in a failure's message. Every packet must be acked or NAKed, every
// reply well formed, no handler may throw, nothing may hang, and g must
// still give the machine's registers afterwards.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { coreModule } from "../helpers/machine.js";
import { Machine } from "../../host/machine.js";
import { GdbStub } from "../../host/gdb.js";

const PACKETS = 10_000;
const CODE = 0x10000;

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

const sum = (s: string) => [...s].reduce((a, c) => (a + c.charCodeAt(0)) & 0xff, 0).toString(16).padStart(2, "0");
const frame = (body: string) => `$${body}#${sum(body)}`;

/** Valid packets of every kind the stub knows, with random arguments;
 *  addresses mostly in the guest's RAM, near its code. */
function validPacket(next: () => number): string {
  const hex = (v: number) => (v >>> 0).toString(16);
  const addr = () => hex(next() % 4 ? CODE + (next() % 0x2000) : next());
  const bytes = (n: number) => Array.from({ length: n }, () => (next() & 0xff).toString(16).padStart(2, "0")).join("");
  const len = () => 1 + (next() % (next() % 8 ? 16 : 0x1000));
  const pick = next() % 28;
  switch (pick) {
    case 0: return "g";
    case 1: return "?";
    case 2: return `p${hex(next() % 45)}`;
    case 3: return `P${hex(next() % 12)}=${bytes(4)}`;
    case 4: return `G${bytes(64)}`;
    case 5: case 6: return `m${addr()},${hex(len())}`;
    case 7: { const n = len() % 64; return `M${addr()},${hex(n)}:${bytes(n)}`; }
    case 8: {
      const n = next() % 32;
      const raw = Array.from({ length: n }, () => next() & 0xff);
      const bin = raw.map((b) => ([0x23, 0x24, 0x7d, 0x2a].includes(b) ? `}${String.fromCharCode(b ^ 0x20)}` : String.fromCharCode(b))).join("");
      return `X${addr()},${hex(n)}:${bin}`;
    }
    case 9: case 10: return `${next() & 1 ? "Z" : "z"}${next() % 5},${addr()},${hex(next() % 3 ? 1 : 1 + (next() % 8))}`;
    case 11: return next() % 4 ? "s" : `s${addr()}`;
    case 12: return next() % 8 ? "s" : "c"; // a continue costs a run slice: fewer of them
    case 13: return next() & 1 ? "Hg0" : "Hc-1";
    case 14: return "T1";
    case 15: return "qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386";
    case 16: return `qXfer:features:read:target.xml:${hex(next() % 0x1000)},${hex(1 + (next() % 0x1000))}`;
    case 17: return ["qAttached", "qC", "qfThreadInfo", "qsThreadInfo", "qOffsets", "qTStatus", "qSymbol::"][next() % 7];
    case 18: return ["vCont?", "vMustReplyEmpty", "vCont;c", "vKill;1"][next() % 4];
    case 19: return next() % 4 ? "D" : "k";
    case 20: case 21: { // gdb's monitor command: the monitor's own, with random arguments, or junk
      const cmds = ["info registers", "info tlb", "info mem", "info modules", "help", "savevm f", "quit", "info",
        `x/${next() % 40}${"xduoc"[next() % 5]}${"bhwg"[next() % 4]} 0x${addr()}`, `xp/${next() % 40}x 0x${addr()}`, `x/4x $${["esp", "eip", "cr3", "zz"][next() % 4]}+${next() % 99}`];
      const line = next() % 4 ? cmds[next() % cmds.length] : Array.from({ length: next() % 30 }, () => String.fromCharCode(next() & 0xff)).join("");
      return `qRcmd,${[...line].map((c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("")}`;
    }
    case 22: return `qXfer:features:read:${["target.xml", "other.xml", ""][next() % 3]}:${hex(next() % 0x2000)},${hex(next() % 0x5000)}`;
    default: return ["g", "m10000,2", "p8", "z0,10000,1"][next() % 4];
  }
}

const BIG = ["ffffffff", "100000000", "-1", "0".repeat(20), "fffffffffffffffff", "80000000", "", "x", "10001"];

/** A valid packet damaged one of several ways. */
function mutatedBody(body: string, next: () => number): string {
  const at = body.length ? next() % body.length : 0;
  switch (next() % 7) {
    case 0: return body.slice(0, at) + String.fromCharCode(next() & 0xff) + body.slice(at + 1); // a byte changed
    case 1: return body.slice(0, at); // cut short
    case 2: { // a field twice
      const parts = body.split(/([,:=;])/);
      const i = next() % parts.length;
      parts.splice(i, 0, parts[i], ",");
      return parts.join("");
    }
    case 3: return body.replace(/[0-9a-f]+/, BIG[next() % BIG.length]); // a number out of range
    case 4: return body.slice(0, at) + "$#}*\x03,:;="[next() % 10] + body.slice(at); // a framing or separator byte
    case 5: return body + body.slice(1); // arguments twice
    default: return body.repeat(2 + (next() % 3));
  }
}

/** The raw bytes of one test case: a packet, and sometimes damaged framing. */
function rawCase(next: () => number): string {
  const r = next() % 100;
  const body = r < 35 ? validPacket(next) : r < 85 ? mutatedBody(validPacket(next), next)
    : Array.from({ length: next() % 40 }, () => String.fromCharCode(next() & 0xff)).join(""); // noise
  const f = next() % 20;
  if (f === 0) return `$${body}#${(next() & 0xff).toString(16).padStart(2, "0")}`; // likely a bad checksum
  if (f === 1) return `$${body}#z`; // not hex
  if (f === 2) return `$${body}`; // never ended: the next "$" starts over
  if (f === 3) return frame(body) + frame("g"); // two in one read
  if (f === 4) return body; // no framing at all
  return frame(body);
}

/** Checks output is acks, NAKs and well-formed replies; returns the replies. */
function replies(out: string, what: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < out.length;) {
    if (out[i] === "+" || out[i] === "-") { i++; continue; }
    const m = /^\$([^#$]*)#([0-9a-f]{2})/.exec(out.slice(i));
    assert.ok(m, `${what}: garbled output ${JSON.stringify(out.slice(i, i + 80))}`);
    assert.is(m![2], sum(m![1]), `${what}: reply checksum`);
    found.push(m![1]);
    i += m![0].length;
  }
  return found;
}

test(`${PACKETS} random and mutated packets: each answered, none throws, g still works`, async () => {
  const m = await Machine.create({ wasm: coreModule(), memoryMiB: 2 });
  m.ram.set([0xeb, 0xfe], CODE); // jmp $: a continue runs until Ctrl-C
  m.bootFlat(CODE);
  let out = "";
  let deliver = (_: string) => {};
  const faults: unknown[] = [];
  const stub = new GdbStub(m, { send: (d) => { out += d; }, onData: (fn) => { deliver = fn; }, onClose: () => {} },
    () => {}, (e) => faults.push(e));
  // Whether a continue or step is still going; a test may look inside.
  const busy = () => (stub as unknown as { running: boolean }).running;
  const next = rng(19);
  let errors = 0, answered = 0, stopped = 0;
  const start = Date.now();
  for (let i = 0; i < PACKETS; i++) {
    const raw = rawCase(next);
    const what = `packet #${i} ${JSON.stringify(raw.slice(0, 100))}`;
    if (i % 500 === 0) { m.ram.set([0xeb, 0xfe], CODE); m.bootFlat(CODE); } // a guest that runs again, whatever the writes did
    out = "";
    deliver(raw);
    if (busy()) { deliver("\x03"); stopped++; } // Ctrl-C: the stop reply follows
    for (const deadline = Date.now() + 5000; busy();) {
      assert.ok(Date.now() < deadline, `${what}: still running 5 s after Ctrl-C`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const got = replies(out, what);
    answered += got.length;
    errors += got.filter((r) => /^E[0-9a-f]{2}$/.test(r)).length;
    assert.equal(faults, [], what);
  }
  deliver("#00"); // end whatever packet the last case left open
  out = "";
  deliver(frame("g"));
  const r = m.registers();
  const le32 = (v: number) => [0, 8, 16, 24].map((s) => ((v >>> s) & 0xff).toString(16).padStart(2, "0")).join("");
  const regs = (["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip", "eflags", "cs", "ss", "ds", "es", "fs", "gs"] as const)
    .map((n) => le32(r[n])).join("");
  assert.equal(replies(out, "the last g"), [regs]);
  assert.ok(errors > PACKETS / 4 && answered > PACKETS / 2, `${answered} replies, ${errors} errors`);
  console.log(`  gdb fuzz: ${PACKETS} packets, ${answered} replies, ${errors} error replies, ${stopped} runs stopped by Ctrl-C, ${Date.now() - start} ms`);
});

test.run();
