import { describe, expect, it } from "vitest";
import { parseCsv } from "../../workers/lib/csv-parse";

describe("parseCsv", () => {
  it("reads quoted cells with commas, doubled quotes and line breaks, and every line ending", () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\n"two\r\nlines",z\rlast,\n')).toEqual([
      ["a", "b"],
      ["x, y", 'say "hi"'],
      ["two\r\nlines", "z"],
      ["last", ""],
    ]);
  });

  it("drops Excel's BOM and blank lines, and finds the delimiter of locales that save with ; or tabs", () => {
    expect(parseCsv("\uFEFFname;email\n\nAda;ada@example.com\n;\n")).toEqual([
      ["name", "email"],
      ["Ada", "ada@example.com"],
    ]);
    expect(parseCsv("name\temail\nBo\tbo@example.com")).toEqual([
      ["name", "email"],
      ["Bo", "bo@example.com"],
    ]);
  });

  it("keeps a quote inside an unquoted cell as text", () => {
    expect(parseCsv('h\n5" pipe\n')).toEqual([["h"], ['5" pipe']]);
  });
});
