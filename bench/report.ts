// The bench's output: what each column measures, the table of times, the
// table of ratios with the targets marked, start-up and boot, and
// bench/results.json.
import { writeFileSync } from "node:fs";
import { root, MEM_MIB, type Timing } from "./common.js";
import { chart } from "./chart.js";

export interface Row {
  name: string; what: string; kernel: boolean;
  cli?: Timing; api?: Timing; interpreter?: Timing; browser?: Timing;
  /** The API in a new process: spawn to exit, and its own time (before compiling the core to the end). */
  api1?: Timing; api1Run?: Timing;
  /** API1's Node start to compiling the core (process.uptime()). */
  api1Start?: Timing;
  /** Instructions the API run counted; the page's worker's count and run time (median). */
  instructions?: number; browserInstructions?: number; browserRun?: number;
  native?: number; qemu?: number; v86?: number;
  /** v86 in a new process, spawn to exit (bench/v86-process.mjs). */
  v86p?: number;
}
export interface Startup { cli?: number; api?: number; api1?: number; api1Run?: number; api1Start?: number; browser?: number; qemu?: number }
export interface Boot { cli?: number; api?: number; interpreter?: number; qemu?: number; linuxCli?: number; linuxQemu?: number }
export interface Report { runs: number; jit: string; columns: string[]; rows: Row[]; startup: Startup; boot: Boot; notes: string[] }

/** The targets (benchmark results, not assertions). */
export const TARGET = { cliOverApi: 1.05, cliOverApi1: 1.05, browserOverCli: 1.15 };

export function describe(runs: number, jit: string, columns: string[]): string {
  const on = (c: string, s: string) => (columns.includes(c) ? [`  ${s}`] : []);
  return [
    `wasm386 bench: one warm-up, then ${runs} runs: median (min..max) seconds; ${MEM_MIB} MiB guests; JIT ${jit}; Node ${process.version}`,
    ...on("cli", "CLI      node dist/wasm386.js IMAGE [--initrd --append --no-disk] --mem: a new process, spawn to exit, start-up included (realtime clock, the CLI's default)"),
    ...on("api", "API      in this process: Machine.create + runUntilDone, from before create to the end (the API's default deterministic clock);\n" +
      "         WARM: the core is compiled once and V8 has tiered it up and compiled the guest JIT's code in earlier runs"),
    ...on("api1", "API1     the API in a new process (bench/api-process.ts bundled, node api-process.mjs): read the core, WebAssembly.compile,\n" +
      "         Machine.create + runUntilDone, as a program running ONE machine; spawn to exit, and its own time (API1 in: compile to end)"),
    ...on("interp", "interp   as API with blockCache: false (the plain interpreter); CLI, API, API1 and interp runs alternate in every iteration"),
    ...on("browser", "browser  the page in Chromium (playwright-core), a new page per run: navigation to the worker's report (pageMs); realtime clock, default JIT"),
    ...on("native", "native   the C workloads built with clang -O2, their own timer"),
    ...on("v86", "v86      in this process, from creating the emulator to the checksum line (bare images only), after a warm-up: warm, as the API"),
    ...on("v86p", "v86p     v86 in a new process (node bench/v86-process.mjs IMAGE), spawn to exit, as the CLI and QEMU are timed"),
    ...on("qemu", "QEMU     qemu-system-i386 (TCG), spawn to exit, start-up included"),
    "  every column's checksum is verified; start-up = the same column running a null guest (exits at its first instruction)",
  ].join("\n");
}

const fmt = (x: number | undefined, d = 3) => (x === undefined || !Number.isFinite(x) ? "-" : x.toFixed(d));
const span = (t: Timing | undefined) => (t ? `${fmt(t.seconds)} (${fmt(t.min)}..${fmt(t.max)})` : "-");
const div = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : a / b);
const mips = (n: number | undefined, s: number | undefined) => (n === undefined || s === undefined ? undefined : n / s / 1e6);
const mark = (x: string, missed: boolean) => (missed ? `${x}*` : `${x} `);
export const geo = (xs: (number | undefined)[]) => {
  const ok = xs.filter((x): x is number => x !== undefined && x > 0);
  return ok.length ? Math.exp(ok.reduce((a, x) => a + Math.log(x), 0) / ok.length) : undefined;
};

/** Our time for the peers' ratios: the CLI's when it ran, else the API's. */
export const ours = (r: Row) => r.cli?.seconds ?? r.api?.seconds;

function ratios(r: Row, startup: Startup) {
  const cli = r.cli?.seconds, api = r.api?.seconds, a1 = r.api1?.seconds, a1run = r.api1Run?.seconds, a1start = r.api1Start?.seconds, br = r.browser?.seconds, o = ours(r);
  const cliApi = div(cli, api), cliApi1 = div(cli, a1), brCli = div(br, cli);
  const ms = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : (a - b) * 1000);
  const cliMissed = cli !== undefined && api !== undefined &&
    ((!r.kernel && cliApi! > TARGET.cliOverApi) || (startup.cli !== undefined && cli > api + startup.cli));
  return {
    cliApi, cliMissed, extraMs: ms(cli, api),
    // CLI - API = start (a new process) + warm-up (V8's first-run compiles) + exit (its teardown) + the CLI's own cost.
    startMs: ms(a1start, 0), warmupMs: ms(a1run, api), exitMs: a1start === undefined || a1run === undefined ? undefined : ms(a1, a1start + a1run), cliOwnMs: ms(cli, a1),
    cliApi1, cli1Missed: !r.kernel && cliApi1 !== undefined && cliApi1 > TARGET.cliOverApi1,
    brCli, brMissed: brCli !== undefined && brCli > TARGET.browserOverCli,
    interp: div(r.interpreter?.seconds, api), native: div(r.native, o), v86: div(r.v86, o), qemu: div(r.qemu, o),
    // Like with like: the CLI process against v86's process, the warm API against v86 warm in this process.
    v86p: div(r.v86p, cli), apiV86: div(r.v86, api),
  };
}

export function print(rep: Report): void {
  const { rows, startup, boot } = rep;
  console.log("");
  console.log("workload   CLI s (min..max)       API s (min..max)       API1 s (min..max)      API1 in s  interp s  browser s (min..max)   page run s  native s   v86 s  v86p s  QEMU s  MIPS API  MIPS page");
  for (const r of rows) {
    console.log(`${r.name.padEnd(10)} ${span(r.cli).padEnd(22)} ${span(r.api).padEnd(22)} ${span(r.api1).padEnd(22)} ${fmt(r.api1Run?.seconds).padStart(9)}  ` +
      `${fmt(r.interpreter?.seconds).padStart(8)}  ${span(r.browser).padEnd(22)} ` +
      `${fmt(r.browserRun).padStart(10)}  ${fmt(r.native, 4).padStart(8)}  ${fmt(r.v86).padStart(6)}  ${fmt(r.v86p).padStart(6)}  ${fmt(r.qemu).padStart(6)}  ` +
      `${fmt(mips(r.instructions, r.api?.seconds), 0).padStart(8)}  ${fmt(mips(r.browserInstructions, r.browserRun), 0).padStart(9)}`);
  }
  const who = rows.some((r) => r.cli) ? "CLI" : "API";
  console.log("");
  console.log(`targets, * where missed (benchmark results, not assertions):
  CLI/API  <= ${TARGET.cliOverApi} on the compute (bare-image) workloads, and CLI <= API + CLI start-up on all: the CLI process, spawn to exit,
           against the WARM API in this process (so Node's start-up and V8's first-run compile count against the CLI)
  CLI/API1 <= ${TARGET.cliOverApi1} on the compute workloads: the CLI process against an embedding program's process (API1), both spawn to exit:
           the CLI's own cost over a program that runs one machine
  browser/CLI <= ${TARGET.browserOverCli}: the page in Chromium (navigation to report) against the CLI process
where CLI - API goes (from API1's times): start = Node's start to compiling the core (Node start-up, loading the script, reading files);
  warm-up = API1 in - API (the first run in a process: V8 compiles the core, tiers it up and compiles the guest JIT's code);
  exit = API1 spawn-to-exit - start - API1 in (Node's teardown, which waits for V8 compiles still running); CLI own = CLI - API1
speed ratios vs peers: peer time / ${who} time; above 1 = wasm386 faster. vs v86 = v86 in this process (warm) / ${who};
  vs v86p = v86 in a new process / CLI (both processes, spawn to exit); API vs v86 = v86 in this process / the warm API`);
  console.log("");
  console.log("workload   CLI/API  CLI-API ms = start ms + warm-up ms + exit ms + CLI own ms  CLI/API1  browser/CLI  interp/API  vs native  vs v86  vs v86p  API vs v86  vs QEMU");
  const all = rows.map((r) => ratios(r, startup));
  rows.forEach((r, i) => {
    const x = all[i];
    console.log(`${r.name.padEnd(10)} ${mark(fmt(x.cliApi, 2), x.cliMissed).padStart(7)}  ${fmt(x.extraMs, 0).padStart(10)} = ` +
      `${fmt(x.startMs, 0).padStart(8)} + ${fmt(x.warmupMs, 0).padStart(10)} + ${fmt(x.exitMs, 0).padStart(7)} + ${fmt(x.cliOwnMs, 0).padStart(10)}  ${mark(fmt(x.cliApi1, 2), x.cli1Missed).padStart(8)}  ` +
      `${mark(fmt(x.brCli, 2), x.brMissed).padStart(11)}  ${fmt(x.interp, 2).padStart(10)}  ${fmt(x.native, 4).padStart(9)}  ${fmt(x.v86, 2).padStart(6)}  ${fmt(x.v86p, 2).padStart(7)}  ${fmt(x.apiV86, 2).padStart(10)}  ${fmt(x.qemu, 2).padStart(7)}`);
  });
  const g = geomeans(rows, startup);
  console.log(`${"geomean".padEnd(10)} ${mark(fmt(g.cliApi, 2), (g.cliApi ?? 0) > TARGET.cliOverApi).padStart(7)}  ${"".padStart(57)}  ` +
    `${mark(fmt(g.cliApi1, 2), (g.cliApi1 ?? 0) > TARGET.cliOverApi1).padStart(8)}  ` +
    `${mark(fmt(g.browserCli, 2), (g.browserCli ?? 0) > TARGET.browserOverCli).padStart(11)}  ${fmt(g.interp, 2).padStart(10)}  ` +
    `${fmt(g.native, 4).padStart(9)}  ${fmt(g.v86, 2).padStart(6)}  ${fmt(g.v86p, 2).padStart(7)}  ${fmt(g.apiV86, 2).padStart(10)}  ${fmt(g.qemu, 2).padStart(7)}`);
  if (Object.values(startup).some((x) => x !== undefined)) {
    console.log(`start-up (null guest, to its exit): CLI ${fmt(startup.cli)} s, API ${fmt(startup.api)} s, ` +
      `API1 ${fmt(startup.api1)} s (start ${fmt(startup.api1Start)} s, then API1 in ${fmt(startup.api1Run)} s: compiling the core, create, run), browser page ${fmt(startup.browser)} s, QEMU ${fmt(startup.qemu)} s`);
  }
  if ([boot.cli, boot.api, boot.interpreter, boot.qemu].some((x) => x !== undefined)) {
    console.log(`boot to the shell prompt (teaching kernel + initrd, no disk, realtime): CLI ${fmt(boot.cli)} s, API ${fmt(boot.api)} s ` +
      `(plain interpreter ${fmt(boot.interpreter)} s), QEMU ${fmt(boot.qemu)} s`);
  }
  if (boot.linuxCli !== undefined || boot.linuxQemu !== undefined) {
    console.log(`Debian's Linux to busybox's prompt (linux-image-686, busybox initramfs, 128 MiB): CLI ${fmt(boot.linuxCli)} s, ` +
      `QEMU isapc ${fmt(boot.linuxQemu)} s`);
  }
  for (const n of rep.notes) console.log(`note: ${n}`);
}

export function geomeans(rows: Row[], startup: Startup) {
  const all = rows.map((r) => ratios(r, startup));
  return {
    cliApi: geo(all.map((x) => x.cliApi)), cliApi1: geo(all.map((x) => x.cliApi1)), browserCli: geo(all.map((x) => x.brCli)), interp: geo(all.map((x) => x.interp)),
    native: geo(all.map((x) => x.native)), v86: geo(all.map((x) => x.v86)), qemu: geo(all.map((x) => x.qemu)),
    v86p: geo(all.map((x) => x.v86p)), apiV86: geo(all.map((x) => x.apiV86)),
  };
}

/** bench/results.json and bench/results.svg. */
export function save(rep: Report): void {
  const rows = rep.rows.map((r) => ({ ...r, ratios: ratios(r, rep.startup) }));
  writeFileSync(`${root}bench/results.json`, JSON.stringify({
    date: new Date().toISOString(), node: process.version, runs: rep.runs, jit: rep.jit, memoryMiB: MEM_MIB, columns: rep.columns,
    targets: TARGET, rows, geomean: geomeans(rep.rows, rep.startup), startup: rep.startup, boot: rep.boot, notes: rep.notes,
  }, null, 2) + "\n");
  writeFileSync(`${root}bench/results.svg`, chart(rep.rows));
}
