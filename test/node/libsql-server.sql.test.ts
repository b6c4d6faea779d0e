// The SQL lexer in db/server/sql.ts stands in for sqlite3_complete() and sqlite3_bind_parameter_*,
// which libsql-js does not expose; these cases pin it to SQLite's behaviour.

import { describe, expect, it } from "vitest";
import { analyzeStatement, splitStatements } from "../../db/server/sql";

describe("splitStatements", () => {
  it.each([
    ["", []],
    ["  ;; -- only a comment; really\n /* and ; this */ ", []],
    ["SELECT 1", ["SELECT 1"]],
    ["SELECT 1;", ["SELECT 1;"]],
    ["SELECT 1; SELECT 2", ["SELECT 1;", "SELECT 2"]],
    ["SELECT ';', \";\", `;`, [;]; SELECT 2;", ["SELECT ';', \";\", `;`, [;];", "SELECT 2;"]],
    ["SELECT 'it''s;'; x", ["SELECT 'it''s;';", "x"]],
    ["SELECT 1 -- trailing; comment\n; SELECT 2", ["SELECT 1 -- trailing; comment\n;", "SELECT 2"]],
    [
      "CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO b VALUES (1); UPDATE c SET x = 2; END; SELECT 3",
      ["CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO b VALUES (1); UPDATE c SET x = 2; END;", "SELECT 3"],
    ],
    [
      "create temp trigger t before delete on a begin select 1; end;",
      ["create temp trigger t before delete on a begin select 1; end;"],
    ],
    // A CASE ... END inside a trigger body does not end the trigger.
    [
      "CREATE TRIGGER t AFTER UPDATE ON a BEGIN SELECT CASE WHEN 1 THEN 2 END; END; SELECT 4;",
      ["CREATE TRIGGER t AFTER UPDATE ON a BEGIN SELECT CASE WHEN 1 THEN 2 END; END;", "SELECT 4;"],
    ],
    ["EXPLAIN SELECT 1; BEGIN; END;", ["EXPLAIN SELECT 1;", "BEGIN;", "END;"]],
    ["SELECT 'unterminated; SELECT 2", ["SELECT 'unterminated; SELECT 2"]],
  ])("%j", (sql, expected) => {
    expect(splitStatements(sql)).toEqual(expected);
  });
});

describe("analyzeStatement", () => {
  it("numbers parameters like sqlite3ExprAssignVarNumber", () => {
    expect(analyzeStatement("SELECT ?, ?, ?").params).toEqual([null, null, null]);
    expect(analyzeStatement("SELECT :a, @a, $a, :a, ?").params).toEqual([":a", "@a", "$a", null]);
    expect(analyzeStatement("SELECT ?3, ?, :x, ?1").params).toEqual(["?1", null, "?3", null, ":x"]);
    expect(analyzeStatement("SELECT ?, ?1").params).toEqual(["?1"]);
    expect(analyzeStatement("SELECT $a::b, $c(xy), :n1_é, $bad(x y)").params).toEqual(["$a::b", "$c(xy)", ":n1_é"]);
    expect(analyzeStatement("SELECT ':a', \"@b\", [$c], x$y, ? -- ?\n /* :z */").params).toEqual([null]);
  });

  it("classifies statements", () => {
    const pick = (sql: string) => {
      const { kind, isExplain, isReadonly, beginsReadonly, changesConnectionState } = analyzeStatement(sql);
      return { kind, isExplain, isReadonly, beginsReadonly, changesConnectionState };
    };
    expect(pick("select 1")).toEqual({
      kind: "read",
      isExplain: false,
      isReadonly: true,
      beginsReadonly: false,
      changesConnectionState: false,
    });
    expect(pick("  -- hi\n INSERT INTO t VALUES (1) RETURNING *")).toMatchObject({ kind: "write", isReadonly: false });
    expect(pick("WITH x(a) AS (SELECT 1), y AS (VALUES (2)) UPDATE t SET a = (SELECT a FROM x)")).toMatchObject({
      kind: "write",
      isReadonly: false,
    });
    expect(pick("WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT * FROM c")).toMatchObject({
      kind: "read",
      isReadonly: true,
    });
    expect(pick("EXPLAIN QUERY PLAN DELETE FROM t")).toMatchObject({ kind: "write", isExplain: true });
    expect(pick("BEGIN TRANSACTION READONLY")).toMatchObject({ kind: "begin", isReadonly: true, beginsReadonly: true });
    expect(pick("BEGIN IMMEDIATE")).toMatchObject({ kind: "begin", beginsReadonly: false });
    expect(pick("END")).toMatchObject({ kind: "commit" });
    expect(pick("PRAGMA table_info(t)")).toMatchObject({
      kind: "pragma",
      isReadonly: true,
      changesConnectionState: true,
    });
    expect(pick("PRAGMA foreign_keys = off")).toMatchObject({ kind: "pragma", isReadonly: false });
    expect(pick("CREATE TEMPORARY TABLE x (a)")).toMatchObject({ kind: "ddl", changesConnectionState: true });
    expect(pick("CREATE TABLE x (a)")).toMatchObject({ kind: "ddl", changesConnectionState: false });
    expect(pick("ATTACH 'f.db' AS f")).toMatchObject({ kind: "attach", changesConnectionState: true });
  });

  it("picks how an insert is told apart (changes() only where no upsert can update instead)", () => {
    const rule = (sql: string) => analyzeStatement(sql).rowid;
    expect(rule("INSERT INTO t (a) VALUES (?)")).toBe("changes");
    expect(rule("insert or ignore into t (a) values (1) returning id")).toBe("changes");
    expect(rule("REPLACE INTO t (a) VALUES (1)")).toBe("changes");
    expect(rule("INSERT INTO t (a) VALUES (1) ON CONFLICT DO NOTHING")).toBe("changes");
    expect(rule("WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x")).toBe("changes");
    expect(rule("INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET b = 2")).toBe("compare");
    expect(rule("CREATE TABLE u AS SELECT * FROM t")).toBe("compare");
    expect(rule("VACUUM")).toBe("compare");
    expect(rule("UPDATE t SET a = 1")).toBe("none");
    expect(rule("WITH x AS (SELECT 1) DELETE FROM t")).toBe("none");
    expect(rule("EXPLAIN INSERT INTO t (a) VALUES (1)")).toBe("none");
    expect(rule("SELECT 'INSERT'")).toBe("none");
    expect(rule("BEGIN")).toBe("none");
  });
});
