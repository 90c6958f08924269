import { describe, expect, it } from "vitest";
import { maskPhone } from "../../src/rules/phone.js";

describe("maskPhone", () => {
  it("keeps the first three and last four digits of a mainland mobile", () => {
    expect(maskPhone("13812345678")).toBe("138****5678");
  });
  it("never echoes anything that is not a mobile number", () => {
    expect(maskPhone("12345")).toBe("***");
  });
});
