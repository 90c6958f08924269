import { readFileSync } from "node:fs";

/** lockerd's version, from package.json (dist/src/daemon → ../../../package.json, src/daemon → ../../package.json). */
export const VERSION: string = (() => {
  for (const rel of ["../../../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "lockerd" && pkg.version) return pkg.version;
    } catch {
      // try the next layout
    }
  }
  return "0.0.0";
})();
