import { LibsqlError } from "@libsql/client/web";
import { describe, expect, it } from "vitest";
import { toAppError } from "../../workers/errors";

describe("mapping failures to the one error", () => {
  it("a foreign-key failure (a referenced row deleted in between) is a 422, never a 500", () => {
    const fk = new LibsqlError("SQLITE_CONSTRAINT: FOREIGN KEY constraint failed", "SQLITE_CONSTRAINT");
    const wrapped = new Error("Failed query: insert into sequence ...", { cause: fk });
    for (const err of [fk, wrapped]) expect(toAppError(err)).toMatchObject({ code: "VALIDATION_FAILED", status: 422 });
    // Other constraint failures are still our bug: logged as a 500.
    expect(
      toAppError(new LibsqlError("SQLITE_CONSTRAINT: UNIQUE constraint failed: lead.id", "SQLITE_CONSTRAINT")).status,
    ).toBe(500);
  });

  it("storage unavailable always says when to retry", () => {
    const err = toAppError(new LibsqlError("SERVER_ERROR: HTTP status 502", "SERVER_ERROR"));
    expect(err.code).toBe("STORAGE_UNAVAILABLE");
    expect(Number(err.headers?.["Retry-After"])).toBeGreaterThan(0);
  });
});
