export interface TestGuest { name: string; kind: "elf" | "rom"; file: string }
export function testGuests(root?: string): TestGuest[];
export function qemuArgs(guest: TestGuest): string[];
