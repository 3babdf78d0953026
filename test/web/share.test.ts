// The page's shared folder in real Chromium: a file uploaded with "Upload
// to /host" is in the guest's /host, and what the guest writes there is
// listed by "Download from /host" and downloads with its bytes (a file of
// more than 64 KiB through the guest and back too).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { CHROMIUM, haveChromium, servePage, waitForScreen, type Served } from "../helpers/browser.js";

if (!haveChromium) console.log(`skipping: the browser tests need Debian's chromium at ${CHROMIUM}`);
const webTest = haveChromium ? test : test.skip;

let served: Served;
let page: Page;

test.before(async () => {
  if (!haveChromium) return;
  served = await servePage();
  page = await served.browser.newPage({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
  await page.goto(served.base);
  await waitForScreen(page, /wasm386:\/\$ $/m);
});

test.after(async () => {
  await served?.close();
});

async function type(command: string, output: RegExp, ms?: number): Promise<string> {
  await page.click("#terminal");
  await page.keyboard.type(`${command}\n`);
  const escaped = command.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return waitForScreen(page, new RegExp(`\\$ ${escaped}\\n${output.source}`, "m"), ms);
}

/** Clicks the listed file and returns the bytes the browser saved. */
async function download(name: string): Promise<Buffer> {
  const link = page.locator("#share-files a", { hasText: `/host/${name}` });
  await link.waitFor();
  const [d] = await Promise.all([page.waitForEvent("download"), link.click()]);
  assert.is(d.suggestedFilename(), name);
  return readFileSync((await d.path())!);
}

const pattern = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + (i >> 8)) & 0xff));

webTest("the page's /host is mounted at boot", async () => {
  await type("mount", /(?:.*\n)*none \/host hostfs rw 0 0\n/);
});

webTest("a file uploaded from the page is in the guest's /host", async () => {
  await page.setInputFiles("#share-upload", { name: "hello.txt", mimeType: "text/plain", buffer: Buffer.from("uploaded from the page\n") });
  await page.waitForFunction(() => document.getElementById("status")?.textContent === "copied /host/hello.txt");
  await type("cat /host/hello.txt", /uploaded from the page\n/);
});

webTest("what the guest writes in /host is listed and downloads with its bytes", async () => {
  await type("echo made in the guest > /host/out.txt", /.*\$ $/);
  await page.click("#share-show");
  assert.is((await download("out.txt")).toString(), "made in the guest\n");
  assert.match(await page.textContent("#share-summary") ?? "", /^2 files, \d+ bytes$/);
});

webTest("a file of 100 KiB goes in, through the guest, and out unchanged", async () => {
  const big = pattern(100 * 1024);
  await page.setInputFiles("#share-upload", { name: "big.bin", mimeType: "application/octet-stream", buffer: big });
  await page.waitForFunction(() => document.getElementById("status")?.textContent === "copied /host/big.bin");
  await type("cp /host/big.bin /host/copy.bin; ls -l /host/copy.bin", /-rw-r--r-- +1 +102400 \/host\/copy.bin\n/);
  await page.click("#share-refresh");
  assert.ok((await download("copy.bin")).equals(big));
});

test.run();
