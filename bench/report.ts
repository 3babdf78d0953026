// The bench's output: what each column measures, the table of times, the
// table of ratios with the targets marked, start-up and boot, and
// bench/results.json.
import { writeFileSync } from "node:fs";
import { root, MEM_MIB, type Timing } from "./common.js";
import { chart } from "./chart.js";

export interface Row {
  name: string; what: string; kernel: boolean;
  cli?: Timing; api?: Timing; interpreter?: Timing; browser?: Timing;
  /** Instructions the API run counted; the page's worker's count and run time (median). */
  instructions?: number; browserInstructions?: number; browserRun?: number;
  native?: number; qemu?: number; v86?: number;
}
export interface Startup { cli?: number; api?: number; browser?: number; qemu?: number }
export interface Boot { cli?: number; api?: number; interpreter?: number; qemu?: number }
export interface Report { runs: number; jit: string; columns: string[]; rows: Row[]; startup: Startup; boot: Boot; notes: string[] }

/** The targets (benchmark results, not assertions). */
export const TARGET = { cliOverApi: 1.05, browserOverCli: 1.15 };

export function describe(runs: number, jit: string, columns: string[]): string {
  const on = (c: string, s: string) => (columns.includes(c) ? [`  ${s}`] : []);
  return [
    `wasm386 bench: one warm-up, then ${runs} runs: median (min..max) seconds; ${MEM_MIB} MiB guests; JIT ${jit}; Node ${process.version}`,
    ...on("cli", "CLI      node dist/wasm386.js IMAGE [--initrd --append --no-disk] --mem: a new process, spawn to exit, start-up included (realtime clock, the CLI's default)"),
    ...on("api", "API      in this process: Machine.create + runUntilDone, from before create to the end (the API's default deterministic clock)"),
    ...on("interp", "interp   as API with blockCache: false (the plain interpreter); CLI, API and interp runs alternate in every iteration"),
    ...on("browser", "browser  the page in Chromium (playwright-core), a new page per run: navigation to the worker's report (pageMs); realtime clock, default JIT"),
    ...on("native", "native   the C workloads built with clang -O2, their own timer"),
    ...on("v86", "v86      in this process, from creating the emulator to the checksum line (bare images only)"),
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
  const cli = r.cli?.seconds, api = r.api?.seconds, br = r.browser?.seconds, o = ours(r);
  const cliApi = div(cli, api), brCli = div(br, cli);
  const cliMissed = cli !== undefined && api !== undefined &&
    ((!r.kernel && cliApi! > TARGET.cliOverApi) || (startup.cli !== undefined && cli > api + startup.cli));
  return {
    cliApi, cliMissed, extraMs: cli !== undefined && api !== undefined ? (cli - api) * 1000 : undefined,
    brCli, brMissed: brCli !== undefined && brCli > TARGET.browserOverCli,
    interp: div(r.interpreter?.seconds, api), native: div(r.native, o), v86: div(r.v86, o), qemu: div(r.qemu, o),
  };
}

export function print(rep: Report): void {
  const { rows, startup, boot } = rep;
  console.log("");
  console.log("workload   CLI s (min..max)       API s (min..max)       interp s  browser s (min..max)   page run s  native s   v86 s  QEMU s  MIPS API  MIPS page");
  for (const r of rows) {
    console.log(`${r.name.padEnd(10)} ${span(r.cli).padEnd(22)} ${span(r.api).padEnd(22)} ${fmt(r.interpreter?.seconds).padStart(8)}  ${span(r.browser).padEnd(22)} ` +
      `${fmt(r.browserRun).padStart(10)}  ${fmt(r.native, 4).padStart(8)}  ${fmt(r.v86).padStart(6)}  ${fmt(r.qemu).padStart(6)}  ` +
      `${fmt(mips(r.instructions, r.api?.seconds), 0).padStart(8)}  ${fmt(mips(r.browserInstructions, r.browserRun), 0).padStart(9)}`);
  }
  const who = rows.some((r) => r.cli) ? "CLI" : "API";
  console.log("");
  console.log(`workload   CLI/API  CLI-API ms  browser/CLI  interp/API  vs native  vs v86  vs QEMU   (speed ratios vs peers: peer time / ${who} time; above 1 = wasm386 faster)`);
  const all = rows.map((r) => ratios(r, startup));
  rows.forEach((r, i) => {
    const x = all[i];
    console.log(`${r.name.padEnd(10)} ${mark(fmt(x.cliApi, 2), x.cliMissed).padStart(7)}  ${fmt(x.extraMs, 0).padStart(10)}  ${mark(fmt(x.brCli, 2), x.brMissed).padStart(11)}  ` +
      `${fmt(x.interp, 2).padStart(10)}  ${fmt(x.native, 4).padStart(9)}  ${fmt(x.v86, 2).padStart(6)}  ${fmt(x.qemu, 2).padStart(7)}`);
  });
  const g = geomeans(rows, startup);
  console.log(`${"geomean".padEnd(10)} ${mark(fmt(g.cliApi, 2), (g.cliApi ?? 0) > TARGET.cliOverApi).padStart(7)}  ${"".padStart(10)}  ` +
    `${mark(fmt(g.browserCli, 2), (g.browserCli ?? 0) > TARGET.browserOverCli).padStart(11)}  ${fmt(g.interp, 2).padStart(10)}  ` +
    `${fmt(g.native, 4).padStart(9)}  ${fmt(g.v86, 2).padStart(6)}  ${fmt(g.qemu, 2).padStart(7)}`);
  console.log(`* = a target missed: CLI/API <= ${TARGET.cliOverApi} on the bare-image (compute) workloads and CLI <= API + CLI start-up on all; browser/CLI <= ${TARGET.browserOverCli}`);
  if (Object.values(startup).some((x) => x !== undefined)) {
    console.log(`start-up (null guest, to its exit): CLI ${fmt(startup.cli)} s, API ${fmt(startup.api)} s, browser page ${fmt(startup.browser)} s, QEMU ${fmt(startup.qemu)} s`);
  }
  if (Object.values(boot).some((x) => x !== undefined)) {
    console.log(`boot to the shell prompt (teaching kernel + initrd, no disk, realtime): CLI ${fmt(boot.cli)} s, API ${fmt(boot.api)} s ` +
      `(plain interpreter ${fmt(boot.interpreter)} s), QEMU ${fmt(boot.qemu)} s`);
  }
  for (const n of rep.notes) console.log(`note: ${n}`);
}

export function geomeans(rows: Row[], startup: Startup) {
  const all = rows.map((r) => ratios(r, startup));
  return {
    cliApi: geo(all.map((x) => x.cliApi)), browserCli: geo(all.map((x) => x.brCli)), interp: geo(all.map((x) => x.interp)),
    native: geo(all.map((x) => x.native)), v86: geo(all.map((x) => x.v86)), qemu: geo(all.map((x) => x.qemu)),
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
