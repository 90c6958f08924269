/** Resolve like `p`, or reject with "timed out after <ms> ms <what>" if it takes longer than `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number, what = ""): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms${what ? ` ${what}` : ""}`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}
