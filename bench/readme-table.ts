// npx tsx bench/readme-table.ts: the README's speed table (## Speed) and
// the figures its text quotes, from the last `npm run bench` run
// (bench/results.json), so that the README says what a run measured and
// nobody copies numbers by hand. Rows follow the table's order; a workload
// the run left out is a row of dashes.
import { readFileSync } from "node:fs";
import { root } from "./common.js";

type Timing = { seconds: number } | number | undefined;
interface Row {
  name: string; cli?: Timing; api1?: Timing; api?: Timing; browser?: Timing; interpreter?: Timing;
  v86p?: number; v86?: number; qemu?: number; ratios: Record<string, number | boolean | undefined>;
}

const LABELS: [string, string][] = [
  ["intloop", "register loop"], ["intmix", "hashes, CRC"], ["memory", "tables, rep movs/stos"], ["calls", "recursion"],
  ["sort", "quicksort"], ["strings", "scans"], ["embedded", "8/16/32-bit mix"], ["fptr", "calls through pointers"],
  ["bytecode", "switch interpreter"], ["mixedstr", "string routines"], ["pagetable", "PTE-heavy"], ["float", "x87 doubles"],
  ["getpid", "a million system calls"], ["pagefault", "64 MiB touched"], ["fork", "300 fork/exec/wait"],
];

const results = JSON.parse(readFileSync(`${root}bench/results.json`, "utf8")) as {
  rows: Row[]; geomean: Record<string, number>; startup: Record<string, number>; boot: Record<string, number>;
};
const secs = (t: Timing) => (t === undefined ? "-" : (typeof t === "number" ? t : t.seconds).toFixed(3));
const ratio = (r: number | boolean | undefined) => (typeof r === "number" ? r.toFixed(2) : "-");

console.log("| workload | CLI | API1 | API warm | page | plain interp. | v86 process | v86 in process | QEMU | CLI vs v86 process | API vs v86 in process | CLI vs QEMU |");
console.log("|---|---|---|---|---|---|---|---|---|---|---|---|");
for (const [name, what] of LABELS) {
  const r = results.rows.find((x) => x.name === name);
  if (!r) { console.log(`| ${name} (${what}) |${" - |".repeat(11)}`); continue; }
  console.log(`| ${name} (${what}) | ${secs(r.cli)} | ${secs(r.api1)} | ${secs(r.api)} | ${secs(r.browser)} | ${secs(r.interpreter)} | ` +
    `${secs(r.v86p)} | ${secs(r.v86)} | ${secs(r.qemu)} | ${ratio(r.ratios.v86p)} | ${ratio(r.ratios.apiV86)} | ${ratio(r.ratios.qemu)} |`);
}

// The text's figures: geometric means and the closest workload of each comparison.
const closest = (key: string) => {
  const rs = results.rows.filter((r) => typeof r.ratios[key] === "number");
  if (!rs.length) return "-";
  const r = rs.reduce((a, b) => ((a.ratios[key] as number) <= (b.ratios[key] as number) ? a : b));
  return `${r.name} ${(r.ratios[key] as number).toFixed(2)}`;
};
const g = results.geomean;
const f = (v: number | undefined) => (v === undefined ? "-" : v.toFixed(2));
console.log();
console.log(`geometric means: CLI vs v86 process ${f(g.v86p)} (closest ${closest("v86p")}); warm API vs v86 warm ${f(g.apiV86)} ` +
  `(closest ${closest("apiV86")}); CLI vs v86 warm ${f(g.v86)} (closest ${closest("v86")}); CLI vs QEMU ${f(g.qemu)}; ` +
  `CLI/API1 ${f(g.cliApi1)}; page/CLI ${f(g.browserCli)}`);
const s = results.startup, b = results.boot;
const t = (v: number | undefined) => (v === undefined ? "-" : `${v.toFixed(2)} s`);
console.log(`start-up: CLI ${t(s.cli)}, API1 ${t(s.api1)}, page ${t(s.browser)}, QEMU ${t(s.qemu)}; ` +
  `boot to the prompt: CLI ${t(b.cli)}, API warm ${t(b.api)}, QEMU ${t(b.qemu)}; ` +
  `Debian's Linux to busybox's prompt: CLI ${t(b.linuxCli)}, QEMU ${t(b.linuxQemu)}`);
