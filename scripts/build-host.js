// Bundles the Node CLI into dist/wasm386.js with esbuild.
import { build } from "esbuild";
await build({
  entryPoints: ["host/node/bin.ts"],
  outfile: "dist/wasm386.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  banner: { js: "" },
  logLevel: "warning",
});
