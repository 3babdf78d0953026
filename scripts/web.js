#!/usr/bin/env node
// The browser page: bundles web/ with esbuild into a self-contained folder
// (the page, its worker, its font, the Wasm core, the images, the README as
// a page of its own) that any
// static file server can host, and serves it on localhost.
//
//   npm run build:web            writes dist-web/
//   npm run web [-- --port N]    builds, then serves on http://127.0.0.1:8386/
import { build } from "esbuild";
import { copyFileSync, mkdirSync, rmSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { serveStatic } from "./serve.js";
import { readmeHtml } from "./readme.js";
import { busyboxEtc } from "./busybox-initrd.js";
import { writeCpio } from "./cpio.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export async function buildWeb(out = join(root, "dist-web")) {
  const wasm = join(root, "build", "wasm386.wasm");
  if (!existsSync(wasm)) throw new Error("build/wasm386.wasm is missing: run npm run build first");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, "images"), { recursive: true });
  await build({
    entryPoints: { main: join(root, "web/main.ts"), worker: join(root, "web/worker.ts") },
    outdir: out, bundle: true, format: "esm", platform: "browser", target: "es2022",
    minify: true, sourcemap: true, logLevel: "warning",
    // the terminal's font (web/terminal.ts): copied beside main.css, which names it
    loader: { ".woff2": "file", ".woff": "file" }, assetNames: "fonts/[name]-[hash]",
  });
  copyFileSync(join(root, "web/index.html"), join(out, "index.html"));
  copyFileSync(join(root, "web/favicon.svg"), join(out, "favicon.svg"));
  copyFileSync(wasm, join(out, "wasm386.wasm"));
  for (const f of ["kernel.elf", "initrd.cpio", "disk.img"]) copyFileSync(join(root, "images", f), join(out, "images", f));
  // the busybox system's /etc, for a busybox the user gives the page (web/busybox.ts)
  writeFileSync(join(out, "images", "busybox-etc.cpio"), writeCpio(busyboxEtc()));
  const readme = readFileSync(join(root, "README.md"), "utf8");
  writeFileSync(join(out, "README.html"), readmeHtml(readme));
  copyFileSync(join(root, "README.md"), join(out, "README.md"));
  copyFileSync(join(root, "node_modules/@fontsource/jetbrains-mono/LICENSE"), join(out, "fonts", "LICENSE-JetBrains-Mono.txt"));
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = await buildWeb();
  if (process.argv.includes("--serve")) {
    const i = process.argv.indexOf("--port");
    const port = i > 0 ? Number(process.argv[i + 1]) : 8386;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      console.error(`wasm386: --port takes a TCP port, 0 to 65535 (got ${process.argv[i + 1]})`);
      process.exit(1);
    }
    let server;
    try {
      server = await serveStatic(out, port);
    } catch (e) {
      const why = e.code === "EADDRINUSE" ? "the port is in use (npm run web -- --port N picks another; 0 any free one)"
        : e.code === "EACCES" ? "not allowed to listen there" : e.message;
      console.error(`wasm386: cannot serve the page on 127.0.0.1:${port}: ${why}`);
      process.exit(1);
    }
    console.log(`wasm386: serving ${out} on http://127.0.0.1:${server.address().port}/ (Ctrl-C stops)`);
  } else {
    console.log(`wasm386: the page is in ${out}; any static file server can host it`);
  }
}
