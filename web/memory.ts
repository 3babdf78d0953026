// The guest memory control: a select of sizes that shows the running
// machine's and reboots it with the one chosen.

const SIZES = [16, 32, 64, 128, 256, 512, 1024]; // MiB
const DEFAULT = 128; // the CLI's, and the worker's when the page names none

export interface MemoryControl {
  /** The size the next boot asks for: undefined for the worker's default,
   *  or what the address said (checked by the machine, which reports a bad one). */
  chosen(): number | undefined;
  /** The running machine's size, from its worker. */
  show(mib: number): void;
}

export function memoryControl(select: HTMLSelectElement, fromAddress: string | null,
  onChoose: (mib: number) => void): MemoryControl {
  let chosen = fromAddress === null ? undefined : Number(fromAddress);
  const option = (mib: number) => {
    const value = String(mib);
    if ([...select.options].some((o) => o.value === value)) return;
    const o = new Option(`${mib} MiB`, value);
    const after = [...select.options].find((x) => Number(x.value) > mib);
    select.add(o, after ?? null);
  };
  SIZES.forEach(option);
  // A size named in the address that the list lacks (?mem=24) is shown too.
  if (chosen !== undefined && Number.isInteger(chosen) && chosen > 0) option(chosen);
  select.value = String(chosen !== undefined && Number.isInteger(chosen) && chosen > 0 ? chosen : DEFAULT);
  let shown = Number(select.value);
  select.onchange = () => {
    chosen = Number(select.value);
    onChoose(chosen);
  };
  return {
    chosen: () => chosen,
    show(mib) {
      if (mib === shown) return; // leaves an open list alone
      shown = mib;
      option(mib);
      select.value = String(mib);
    },
  };
}
