/**
 * Numbers a technician types (CLI arguments): plain decimal digits within a
 * range, nothing else. `Number()` alone would take "0x10", "1e3", " 7" or
 * "" (= 0) as numbers.
 */

/** The value of `text` if it is plain digits within [min, max]; undefined otherwise. */
export function wholeNumber(text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined || !/^[0-9]{1,15}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
}
