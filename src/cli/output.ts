/** Output helpers shared by every lockerctl command: aligned tables for people, JSON for scripts. */

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | boolean | undefined | null;
  align?: "left" | "right";
}

/** Render rows as an aligned plain-text table (no colours: it may be piped or read over SSH). */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => String(c.value(r) ?? "-")));
  const widths = columns.map((c, i) => Math.max(displayWidth(c.header), ...cells.map((row) => displayWidth(row[i]!))));
  const pad = (s: string, i: number) => {
    const gap = " ".repeat(widths[i]! - displayWidth(s));
    return columns[i]!.align === "right" ? gap + s : s + gap;
  };
  const lines = [columns.map((c, i) => pad(c.header, i)).join("  "), widths.map((w) => "-".repeat(w)).join("  ")];
  for (const row of cells) lines.push(row.map(pad).join("  "));
  return lines.map((l) => l.trimEnd()).join("\n");
}

/** Terminal columns taken by a string: CJK characters take two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + "\n");
}
