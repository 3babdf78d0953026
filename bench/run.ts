// npm run bench [-- --runs N] [-- --jit on|off|force] [-- --only COLUMNS] [-- NAME... | boot | linux]
//
// The bench measures what people get. Each workload of bench/workloads.ts
// runs, side by side in one run (one warm-up, then N measured runs: the
// median and the spread), in these columns (--only picks some of them,
// comma-separated; all by default):
//   cli      the wasm386 CLI as a new process, timed exactly as QEMU is:
//            node dist/wasm386.js IMAGE --mem 64 (the kernel's workloads
//            add --initrd images/initrd.cpio --append init=/bin/X
//            --no-disk), wall time from spawn to exit, start-up included,
//            the CLI's defaults otherwise (realtime clock, JIT on)
//   api      in this process as an embedding program runs it:
//            Machine.create + runUntilDone, from before create to the end;
//            the core compiled once and reused by every run (WARM: V8 has
//            already tiered up the core and compiled the guest JIT's code)
//   api1     the API in a new process, as a program that runs ONE machine:
//            bench/api-process.ts, bundled once here with esbuild and run
//            as node api-process.mjs; timed from spawn to exit and by its
//            own clock (Node's start to compiling the core; from there to
//            the run's end, which includes V8's first-run compile that the
//            warm API skips)
//   interp   as api with the block cache off (the plain interpreter)
//   browser  the page (scripts/web.js) in Debian's Chromium through
//            playwright-core, a new page per run, ?kernel=...&mem=64: from
//            navigation to the worker's report (window.wasm386Done.pageMs);
//            the worker's own run time and count give the page's MIPS.
//            The page runs the realtime clock (fine for compute workloads)
//   native   the C workloads built for this host with clang
//   v86      v86 in this process (bare images only), warm as the API
//   v86p     v86 in a new process (bench/v86-process.mjs), spawn to exit
//            as the CLI: what "vs v86" compares the CLI with
//   qemu     qemu-system-i386 (TCG), spawn to exit, start-up included
// All but native and qemu alternate within every iteration, so that the
// in-process columns (api, interp, v86) all run right after another
// process's run: on the development machine that alone made a warm run up
// to twice as long, and v86 warm once ran back to back while the API did not.
// Every column's checksum is verified. It prints the times, then the
// ratios with the targets marked * where missed (CLI/API <= 1.05
// on the compute workloads and CLI <= API + CLI start-up: the CLI against
// the warm API; CLI/API1 <= 1.05 on the compute workloads: the CLI against
// an embedding program's process, both spawn to exit; browser/CLI <=
// 1.15) and their geometric means, where the CLI's time over the warm
// API goes (CLI - API = start + warm-up + exit + CLI own: API1's Node
// start to compiling the core; API1's time from there to the run's end -
// API; API1's spawn-to-exit - both; CLI - API1 spawn-to-exit), the speed
// against v86 and QEMU (peer
// time / CLI time), start-up (each column running a null guest that exits
// at once, built here), and boot to the shell prompt through the CLI, the
// API and QEMU (with no workload names, or with "boot"), and Debian's Linux
// to busybox's prompt through the CLI and QEMU's isapc machine (bench/linux.ts;
// with no names, or with "linux"; where npm run fetch-debian has run). It writes
// bench/results.json and bench/results.svg (CLI speed against QEMU).
import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { JIT_MODES, type JitMode } from "../host/jit.js";
import { workloads } from "./workloads.js";
import { root, MEM_MIB, timing, median, checksumOf, verify, alternate } from "./common.js";
import { writeNullGuest } from "./nullguest.js";
import { cliArgs, cliOnce, cliBoot, haveCli } from "./cli.js";
import { apiOnce, apiBoot, bundleApiProcess, api1Args, api1Once } from "./api.js";
import { openBrowser, browserQuery, type BrowserBench } from "./browser.js";
import { native, qemu, qemuBoot, v86Runner, v86ProcessOnce } from "./peers.js";
import { describe, print, save, type Row, type Startup, type Boot } from "./report.js";
import { linuxBench } from "./linux.js";
import { haveQemu } from "./peers.js";

const COLUMNS = ["cli", "api", "api1", "interp", "browser", "native", "v86", "v86p", "qemu"];
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: "string", default: "5" }, jit: { type: "string", default: "on" }, only: { type: "string", default: COLUMNS.join(",") } },
});
const jit = values.jit as JitMode;
if (!JIT_MODES.includes(jit)) throw new Error(`--jit must be one of ${JIT_MODES.join(", ")}`);
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs takes a whole number from 1");
const columns = values.only.split(",").map((s) => s.trim()).filter(Boolean);
for (const c of columns) if (!COLUMNS.includes(c)) throw new Error(`--only takes ${COLUMNS.join(",")} (got ${c})`);
for (const p of positionals) if (p !== "boot" && p !== "linux" && !workloads.some((w) => w.name === p)) throw new Error(`no workload ${p} (${workloads.map((w) => w.name).join(", ")}, boot, linux)`);
const notes: string[] = [];
if (columns.includes("cli") && !haveCli()) {
  notes.push("no CLI column: dist/wasm386.js is missing (node scripts/build-host.js builds it)");
  columns.splice(columns.indexOf("cli"), 1);
}
const selected = workloads.filter((w) => positionals.length === 0 || positionals.includes(w.name));
console.log(describe(runs, jit, columns));

const nullPath = writeNullGuest();
const api1Script = columns.includes("api1") ? await bundleApiProcess(dirname(nullPath)) : undefined;
let browser: BrowserBench | undefined;
if (columns.includes("browser")) {
  const b = await openBrowser(nullPath);
  if (typeof b === "string") notes.push(`browser column "-": ${b}`);
  else browser = b;
  if (browser && jit !== "on") notes.push(`the page always runs its default JIT (on), not --jit ${jit}`);
}
const on = (c: string) => columns.includes(c) && (c !== "browser" || browser !== undefined);

const rows: Row[] = [];
const startup: Startup = {};
const boot: Boot = {};
try {
  // Start-up: each column running the null guest (it exits at once, printing nothing).
  const nullImage = readFileSync(nullPath);
  const nullRun: number[] = [], nullStart: number[] = [];
  const s = await alternate(runs, {
    cli: on("cli") && (() => cliOnce([nullPath, "--mem", String(MEM_MIB)]).seconds),
    api: on("api") && (async () => (await apiOnce(nullImage, undefined, jit)).seconds),
    api1: on("api1") && (() => { const r = api1Once(api1Script!, api1Args(nullPath, jit)); nullRun.push(r.run); nullStart.push(r.start); return r.seconds; }),
    browser: on("browser") && (async () => (await browser!.once(browserQuery(undefined), false)).seconds),
  });
  startup.cli = s.cli && median(s.cli);
  startup.api = s.api && median(s.api);
  startup.api1 = s.api1 && median(s.api1);
  startup.api1Run = nullRun.length ? median(nullRun.slice(1)) : undefined;
  startup.api1Start = nullStart.length ? median(nullStart.slice(1)) : undefined;
  startup.browser = s.browser && median(s.browser);
  if (on("qemu")) startup.qemu = qemu(nullPath, undefined, runs)?.seconds;

  for (const w of selected) {
    const image = readFileSync(`${root}images/${w.image}`);
    const nat = native(w, on("native") ? runs : 0);
    const expected = w.expected ? w.expected() : nat?.checksum;
    if (!expected) { console.log(`${w.name}: skipped (needs clang for its reference checksum)`); continue; }
    const args = cliArgs(w, jit);
    let instructions: number | undefined;
    const pageRun: number[] = [], pageInstructions: number[] = [], api1Run: number[] = [], api1Start: number[] = [];
    const sameCount = (r: { instructions: number }, what: string) => {
      if (instructions !== undefined && r.instructions !== instructions) throw new Error(`${w.name}: ${r.instructions} instructions ${what}, ${instructions} in an earlier run`);
      instructions ??= r.instructions;
    };
    const v86Warm = on("v86") ? await v86Runner(w) : undefined;
    const bare = !w.init && existsSync(`${root}node_modules/v86/build/v86.wasm`);
    let t: Awaited<ReturnType<typeof alternate<string>>>;
    try {
      t = await alternate(runs, {
        cli: on("cli") && (() => {
          const r = cliOnce(args);
          verify(w.name, "the CLI", checksumOf(r.stdout), expected);
          return r.seconds;
        }),
        api: on("api") && (async () => {
          const r = await apiOnce(image, w, jit);
          verify(w.name, "the API", checksumOf(r.serial), expected);
          sameCount(r, "in the API");
          return r.seconds;
        }),
        api1: on("api1") && (() => {
          const r = api1Once(api1Script!, api1Args(w, jit));
          verify(w.name, "the API in a new process", checksumOf(r.serial), expected);
          sameCount(r, "in a new process");
          api1Run.push(r.run);
          api1Start.push(r.start);
          return r.seconds;
        }),
        interp: on("interp") && (async () => {
          const r = await apiOnce(image, w, jit, false);
          verify(w.name, "the plain interpreter", checksumOf(r.serial), expected);
          sameCount(r, "without the block cache");
          return r.seconds;
        }),
        v86: v86Warm !== undefined && (async () => {
          const r = await v86Warm.once();
          verify(w.name, "v86", r.checksum, expected);
          return r.seconds;
        }),
        v86p: on("v86p") && bare && (() => {
          const r = v86ProcessOnce(w)!;
          verify(w.name, "v86 in a new process", r.checksum, expected);
          return r.seconds;
        }),
        browser: on("browser") && (async () => {
          const r = await browser!.once(browserQuery(w), true);
          verify(w.name, "the page", checksumOf(r.text), expected);
          pageRun.push(r.runSeconds);
          pageInstructions.push(r.instructions);
          return r.seconds;
        }),
      });
    } finally {
      await v86Warm?.close();
    }
    const q = on("qemu") ? qemu(`${root}images/${w.image}`, w.init, runs) : undefined;
    if (q) verify(w.name, "QEMU", q.checksum, expected);
    rows.push({
      name: w.name, what: w.what, kernel: w.init !== undefined,
      cli: t.cli && timing(t.cli), api: t.api && timing(t.api), api1: t.api1 && timing(t.api1),
      api1Run: api1Run.length ? timing(api1Run.slice(1)) : undefined, api1Start: api1Start.length ? timing(api1Start.slice(1)) : undefined,
      interpreter: t.interp && timing(t.interp), browser: t.browser && timing(t.browser),
      instructions, browserRun: pageRun.length ? median(pageRun.slice(1)) : undefined,
      browserInstructions: pageInstructions.length ? median(pageInstructions.slice(1)) : undefined,
      native: on("native") ? nat?.seconds : undefined, qemu: q?.seconds, v86: t.v86 && median(t.v86), v86p: t.v86p && median(t.v86p),
    });
    process.stdout.write(`${w.name} `); // progress
  }

  // Boot to the shell prompt: the CLI, the API and its plain interpreter alternate; then QEMU.
  if (positionals.length === 0 || positionals.includes("boot")) {
    const b = await alternate(runs, { cli: on("cli") && cliBoot, api: on("api") && (() => apiBoot(jit)), interp: on("interp") && (() => apiBoot(jit, false)) });
    boot.cli = b.cli && median(b.cli);
    boot.api = b.api && median(b.api);
    boot.interpreter = b.interp && median(b.interp);
    if (on("qemu")) {
      const xs: (number | undefined)[] = [];
      for (let i = 0; i <= runs; i++) xs.push(await qemuBoot());
      if (xs.every((x) => x !== undefined)) boot.qemu = median(xs.slice(1) as number[]);
    }
  }
  // Debian's Linux to busybox's prompt: the CLI and QEMU alternate.
  if ((positionals.length === 0 || positionals.includes("linux")) && (on("cli") || on("qemu"))) {
    const l = await linuxBench(jit, haveQemu());
    if (typeof l === "string") notes.push(`no Linux boot: ${l}`);
    else {
      try {
        const b = await alternate(runs, { cli: on("cli") && l.cli, qemu: on("qemu") && haveQemu() && (async () => (await l.qemu())!) });
        boot.linuxCli = b.cli && median(b.cli);
        boot.linuxQemu = b.qemu && median(b.qemu);
      } finally {
        l.close();
      }
    }
  }
} finally {
  await browser?.close();
  rmSync(dirname(nullPath), { recursive: true, force: true });
}
if (rows.some((r) => r.kernel) && (on("cli") || on("browser"))) {
  notes.push("the kernel's workloads run the realtime clock in the CLI and the page and the deterministic one in the API and API1: their timer interrupts, and so their instruction counts, differ a little");
}

print({ runs, jit, columns, rows, startup, boot, notes });
save({ runs, jit, columns, rows, startup, boot, notes });
