/**
 * Embedded-broker settings: exposing it on a network address (it has no TLS)
 * is a config warning; a user named like the locker, a user listed twice or a
 * missing password file is a config error.
 */
import { describe, expect, it } from "vitest";
import { checkConfigSemantics } from "../../src/config/checkConfigSemantics.js";
import { configWarnings } from "../../src/config/configWarnings.js";
import { defaultConfig } from "../../src/config/defaults.js";

describe("embedded broker settings", () => {
  it("warn when the broker listens on a network address without TLS, not on loopback", () => {
    const c = defaultConfig();
    expect(configWarnings(c).some((w) => w.includes("embeddedHost"))).toBe(false);
    c.mqtt.embeddedHost = "0.0.0.0";
    expect(configWarnings(c).find((w) => w.includes("embeddedHost"))).toMatch(/without TLS/);
  });

  it("refuse a user named like the locker, a duplicate, and a missing password file", () => {
    const c = defaultConfig();
    c.mqtt.embeddedUsers = [
      { username: c.lockerId, passwordFile: "/nonexistent/a", rights: "read" },
      { username: "office", passwordFile: "/nonexistent/b", rights: "command" },
      { username: "office", passwordFile: "/nonexistent/c", rights: "read" },
    ];
    const problems = checkConfigSemantics(c).join("\n");
    expect(problems).toMatch(/embeddedUsers\[0\]\.username .* belongs to the locker itself/);
    expect(problems).toMatch(/embeddedUsers\[2\]\.username office is listed twice/);
    expect(problems).toMatch(/embeddedUsers\[1\]\.passwordFile \/nonexistent\/b does not exist/);
  });
});
