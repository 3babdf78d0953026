// The built page in real Chromium (Debian's, driven by playwright-core):
// dist-web/ built into a temporary folder, served on loopback, and the
// terminal's text read back from xterm.js's buffer.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { root } from "./machine.js";

export const CHROMIUM = "/usr/bin/chromium";
export const haveChromium = existsSync(CHROMIUM);

export interface Served {
  browser: Browser;
  /** The page's address, ending in "/". */
  base: string;
  /** The folder the page was built into. */
  out: string;
  close(): Promise<void>;
}

export async function servePage(): Promise<Served> {
  const out = mkdtempSync(join(tmpdir(), "wasm386-web-"));
  const { buildWeb } = await import(`${root}scripts/web.js`);
  const { serveStatic } = await import(`${root}scripts/serve.js`);
  await buildWeb(out);
  const server = await serveStatic(out, 0);
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  return {
    browser, out, base: `http://127.0.0.1:${server.address().port}/`,
    async close() {
      await browser.close();
      server.close();
      rmSync(out, { recursive: true, force: true });
    },
  };
}

/** The terminal's text, rows joined by newlines. */
export const screen = (page: Page) => page.evaluate(() => {
  const t = (window as unknown as { wasm386Terminal: { buffer: { active: { length: number; getLine(i: number): { translateToString(trim: boolean): string } | undefined } } } }).wasm386Terminal;
  const b = t.buffer.active;
  const rows: string[] = [];
  for (let i = 0; i < b.length; i++) rows.push(b.getLine(i)?.translateToString(true) ?? "");
  return rows.join("\n");
});

export async function waitForScreen(page: Page, pattern: RegExp, ms = 30_000): Promise<string> {
  const until = Date.now() + ms;
  for (;;) {
    const s = await screen(page).catch(() => ""); // before the terminal opens
    if (pattern.test(s)) return s;
    if (Date.now() > until) throw new Error(`the terminal never showed ${pattern}; it shows:\n${s}`);
    await page.waitForTimeout(100);
  }
}

/** A new page of the served site, once the teaching kernel's shell prompts. */
export async function pageAtPrompt(served: Served): Promise<Page> {
  const page = await served.browser.newPage();
  await page.goto(served.base);
  await waitForScreen(page, /wasm386:\/\$ $/m);
  return page;
}

/** The page's error line, or "" while it is hidden. */
export const errorText = async (page: Page) => ((await page.isHidden("#error")) ? "" : (await page.textContent("#error")) ?? "");
