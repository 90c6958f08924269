/** Output helpers shared by every lockerctl command: aligned tables for people, JSON for scripts. */

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | boolean | undefined | null;
  align?: "left" | "right";
}

/** Render rows as an aligned plain-text table (no colours: it may be piped or read over SSH). */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => escapeControls(String(c.value(r) ?? "-"))));
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

/**
 * Control characters lockerctl did not write, made visible: ESC becomes
 * `\x1b`, a newline inside a value `\n`, bidi overrides `\u202e`. A resident's
 * name, a note or an MQTT command id can carry escape sequences that would
 * clear the technician's screen, fake lines or plant links (OSC 8); printed
 * this way they are inert and still readable.
 */
export function escapeControls(s: string, keep: "none" | "newlines" = "none"): string {
  const re = keep === "newlines" ? CONTROLS_BUT_NEWLINE : CONTROLS;
  return s.replace(re, (ch) => {
    if (ch === "\n") return "\\n";
    if (ch === "\r") return "\\r";
    if (ch === "\t") return "\\t";
    const code = ch.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

// C0, DEL, C1, line/paragraph separators, bidi embeddings/overrides/isolates.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this must find
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this must find
const CONTROLS_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Write human output to stdout: our own newlines stay, every other control character is made visible. */
export function writeOut(text: string): void {
  process.stdout.write(escapeControls(text, "newlines"));
}

/** The same for stderr (error messages may quote what the daemon or a broker sent). */
export function writeErr(text: string): void {
  process.stderr.write(escapeControls(text, "newlines"));
}
