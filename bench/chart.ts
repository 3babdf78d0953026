// bench/results.svg: bars of wasm386's speed relative to QEMU for each
// workload (log scale), the CLI's time where it ran, else the API's.
import type { Row } from "./report.js";

export function chart(rs: Row[]): string {
  const w = 640, rowH = 28, left = 100, h = rs.length * rowH + 50;
  const x = (v: number) => left + ((Math.log10(v) + 2) / 3) * (w - left - 20); // 0.01 .. 10
  const who = rs.some((r) => r.cli) ? "CLI" : "API";
  const bars = rs.map((r, i) => {
    const ours = r.cli?.seconds ?? r.api?.seconds;
    const v = r.qemu && ours ? r.qemu / ours : undefined;
    const y = 20 + i * rowH;
    return `<text x="${left - 8}" y="${y + 15}" text-anchor="end" font-size="12">${r.name}</text>` +
      (v ? `<rect x="${left}" y="${y}" width="${Math.max(1, x(v) - left).toFixed(1)}" height="20" fill="#4a7"/>` +
        `<text x="${x(v) + 4}" y="${y + 15}" font-size="11">${v.toFixed(2)}</text>` : `<text x="${left + 4}" y="${y + 15}" font-size="11">no QEMU</text>`);
  }).join("");
  const one = x(1);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif">` +
    `<text x="${left}" y="14" font-size="12">wasm386 ${who} speed / QEMU speed${who === "CLI" ? ", both timed from spawn to exit" : ""} (log scale; 1 = as fast)</text>${bars}` +
    `<line x1="${one}" y1="18" x2="${one}" y2="${h - 20}" stroke="#c33" stroke-dasharray="4"/></svg>\n`;
}
