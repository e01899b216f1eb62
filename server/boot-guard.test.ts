import { describe, expect, it } from "vitest";
import { isDriverFault } from "./boot-guard";

describe("isDriverFault", () => {
  it("recognises an error thrown from the postgres.js driver's own code", () => {
    const error = new TypeError("Cannot read properties of null (reading 'write')");
    error.stack = `TypeError: Cannot read properties of null (reading 'write')\n    at Socket.write (/srv/tidings/node_modules/postgres/src/connection.js:254:12)`;
    expect(isDriverFault(error)).toBe(true);
  });

  it("leaves other errors to Next", () => {
    const error = new Error("boom");
    error.stack = "Error: boom\n    at handler (/srv/tidings/.next/server/app/page.js:1:1)";
    expect(isDriverFault(error)).toBe(false);
    expect(isDriverFault("not an error")).toBe(false);
  });
});
