// Where the package's own files are (the core, the bundled guest images),
// found from this module's place whether it runs from the sources, the CLI
// bundle in dist/ or the compiled API in dist/lib/node/.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

/** The folder holding wasm386's package.json. */
export function packageRoot(): string {
  if (root !== undefined) return root;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "wasm386") return (root = dir);
    if (dirname(dir) === dir) throw new Error("wasm386: cannot find the package's own folder (package.json)");
  }
}

/** A file of the package, by its path inside it (e.g. "images/kernel.elf"). */
export function packageFile(path: string): string {
  return join(packageRoot(), path);
}
