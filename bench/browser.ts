// The page in Debian's Chromium, driven by playwright-core: the page is
// built (scripts/web.js) into a temporary folder with the bench images
// beside it and served on localhost; every run loads the page afresh in a
// new page (and browser context) with the guest named in its address, and
// reads the worker's report (window.wasm386Done) and the terminal's text.
// The page runs its guest with the realtime clock and the default JIT.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { root, MEM_MIB } from "./common.js";
import type { Workload } from "./workloads.js";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"];

export interface BrowserRun {
  /** From the page's navigation to the run's end (the page's performance.now()). */
  seconds: number;
  /** The worker's time from creating the machine to the end. */
  runSeconds: number;
  instructions: number;
  /** The terminal's text. */
  text: string;
}

export interface BrowserBench { once(query: string, checksum: boolean): Promise<BrowserRun>; close(): Promise<void> }

/** The page's address (after the server's) for a workload, or for the null guest without one. */
export function browserQuery(w: Workload | undefined): string {
  if (!w) return `?kernel=images/bench/null.bin&mem=${MEM_MIB}`;
  if (!w.init) return `?kernel=images/${w.image}&mem=${MEM_MIB}`;
  return `?kernel=images/${w.image}&initrd=images/initrd.cpio&append=${encodeURIComponent(`init=${w.init}`)}&mem=${MEM_MIB}`;
}

interface Done { reason: string; exitCode?: number; instructions: number; runMs: number; pageMs: number }
type Term = { buffer: { active: { length: number; getLine(i: number): { translateToString(trim: boolean): string } | undefined } } };

/** The terminal's text, rows joined by newlines (as test/web/page.test.ts reads it). */
const screen = (page: Page) => page.evaluate(() => {
  const b = (window as unknown as { wasm386Terminal: Term }).wasm386Terminal.buffer.active;
  const rows: string[] = [];
  for (let i = 0; i < b.length; i++) rows.push(b.getLine(i)?.translateToString(true) ?? "");
  return rows.join("\n");
});

/** Starts the server and the browser, or says why there is no browser column. */
export async function openBrowser(nullGuest: string): Promise<BrowserBench | string> {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM}`;
  let chromium;
  try {
    ({ chromium } = await import("playwright-core"));
  } catch (e) {
    return `playwright-core is missing (${(e as Error).message.split("\n")[0]})`;
  }
  const out = mkdtempSync(join(tmpdir(), "wasm386-bench-web-"));
  const { buildWeb } = await import(`${root}scripts/web.js`);
  const { serveStatic } = await import(`${root}scripts/serve.js`);
  await buildWeb(out);
  mkdirSync(join(out, "images", "bench"), { recursive: true });
  for (const f of readdirSync(`${root}images/bench`)) if (f.endsWith(".elf")) copyFileSync(`${root}images/bench/${f}`, join(out, "images", "bench", f));
  copyFileSync(nullGuest, join(out, "images", "bench", "null.bin"));
  const server: { close(): void; address(): { port: number } } = await serveStatic(out, 0);
  const base = `http://127.0.0.1:${server.address().port}/`;
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  } catch (e) {
    server.close();
    rmSync(out, { recursive: true, force: true });
    return `Chromium did not start (${(e as Error).message.split("\n")[0]})`;
  }

  async function once(query: string, checksum: boolean): Promise<BrowserRun> {
    const page = await browser.newPage();
    try {
      await page.goto(base + query);
      await page.waitForFunction(() => "wasm386Done" in window || !(document.getElementById("error") as HTMLElement).hidden, null, { timeout: 300_000 });
      const done = await page.evaluate(() => (window as unknown as { wasm386Done?: Done }).wasm386Done);
      if (!done) throw new Error(`the page ${query} shows an error: ${await page.textContent("#error")}`);
      if (done.reason !== "exit") throw new Error(`the page ${query} ended with ${done.reason}, not an exit`);
      // The terminal may still be writing what the worker sent before its report.
      let text = await screen(page);
      for (const until = Date.now() + 5000; checksum && !/^[0-9a-f]{8}$/m.test(text) && Date.now() < until;) {
        await page.waitForTimeout(20);
        text = await screen(page);
      }
      return { seconds: done.pageMs / 1000, runSeconds: done.runMs / 1000, instructions: done.instructions, text };
    } finally {
      await page.close();
    }
  }

  return {
    once,
    async close() {
      await browser.close();
      server.close();
      rmSync(out, { recursive: true, force: true });
    },
  };
}
