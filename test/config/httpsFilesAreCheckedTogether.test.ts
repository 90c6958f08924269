/**
 * `http.certFile`/`http.keyFile` (lockerd's own HTTPS) are checked before
 * the daemon starts: both or neither, readable, a PEM certificate and the
 * private key that belongs to it (openssl makes real ones here).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkHttpTls } from "../../src/config/checkHttpTls.js";
import { opensslAvailable } from "../remote/support/tls.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lockerd-httptls-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.runIf(opensslAvailable())("the pages' HTTPS files", () => {
  const pair = (name: string) => {
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.pem`, "-days", "1", "-subj", `/CN=${name}`], {
      cwd: dir,
      stdio: "pipe",
    });
    return { certFile: path.join(dir, `${name}.pem`), keyFile: path.join(dir, `${name}.key`) };
  };

  it("accepts a matching pair and nothing at all; names every other problem", () => {
    const a = pair("a");
    const b = pair("b");
    expect(checkHttpTls(a)).toEqual([]);
    expect(checkHttpTls({})).toEqual([]);
    expect(checkHttpTls({ certFile: a.certFile })).toEqual([expect.stringMatching(/^http\.certFile and http\.keyFile go together/)]);
    expect(checkHttpTls({ certFile: a.certFile, keyFile: b.keyFile })).toEqual([`http.keyFile ${b.keyFile} is not the private key of http.certFile ${a.certFile}`]);
    expect(checkHttpTls({ certFile: a.keyFile, keyFile: a.keyFile })).toEqual([`http.certFile ${a.keyFile} is not a PEM certificate`]);
    expect(checkHttpTls({ certFile: a.certFile, keyFile: path.join(dir, "missing.key") })).toEqual([`http.keyFile ${path.join(dir, "missing.key")} does not exist`]);
  });
});
