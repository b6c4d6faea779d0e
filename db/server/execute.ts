// Statement-level requests (execute, sequence, describe): resolving SQL text, binding arguments the
// way sqld does, and encoding results.

import type { Connection, RawResult } from "./connection";
import { RequestError } from "./errors";
import type { DescribeResult, Stmt, StmtResult } from "./protocol";
import { singleStatement as checkSingle, type StatementInfo, statementInfo, statementsOf } from "./sql";
import { encodeValue, type SqlValue } from "./values";
import { timeSlicer } from "./yield-slice";

/** What statement execution needs from a stream. */
export interface ExecEnv {
  conn(): Connection;
  readonly sqls: ReadonlyMap<number, string>;
  countStatement(): void;
}

export function resolveSql(env: ExecEnv, sql: string | undefined, sqlId: number | undefined): string {
  if (sql !== undefined) return sql;
  const stored = env.sqls.get(sqlId!);
  if (stored === undefined) throw new RequestError("SQL_NOT_FOUND", `SQL text ${sqlId} not found`);
  return stored;
}

// libsql-js passes SQL as a C string, so everything after a NUL would silently vanish.
function nulError(): RequestError {
  return new RequestError("SQL_PARSE_ERROR", "SQL string could not be parsed: it contains a NUL character");
}

function checkSqlText(sql: string): void {
  if (sql.includes("\0")) throw nulError();
}

function singleStatement(sql: string): StatementInfo {
  const single = checkSingle(sql);
  switch (single) {
    case "nul":
      throw nulError();
    case "none":
      throw new RequestError("SQL_NO_STATEMENT", "SQL string does not contain any statement");
    case "many":
      throw new RequestError("SQL_MANY_STATEMENTS", "SQL string contains more than one statement");
    default:
      return single;
  }
}

function argsInvalid(why: string): RequestError {
  return new RequestError("ARGS_INVALID", `Arguments do not match SQL parameters: ${why}`);
}

/**
 * Produces the positional array libsql binds by index. Named arguments are matched here, never by
 * libsql (see sql.ts): an exact name first (`:a`), then the bare name (`a`) for any prefix, and `?N`
 * or an unnamed `?` by its number. Rules and messages follow sqld, including rejecting a mix of
 * positional and named arguments; missing positional arguments are NULL, as in SQLite.
 */
export function bindArgs(info: StatementInfo, stmt: Stmt): SqlValue[] {
  const expected = info.params.length;
  if (stmt.args.length > 0 && stmt.namedArgs.length > 0) {
    throw new RequestError(
      "ARGS_BOTH_POSITIONAL_AND_NAMED",
      "Specifying both positional and named arguments is not supported",
    );
  }
  if (stmt.namedArgs.length === 0) {
    if (stmt.args.length > expected)
      throw argsInvalid(`too many parameters, expected ${expected} found ${stmt.args.length}`);
    return stmt.args;
  }
  if (stmt.namedArgs.length > expected)
    throw argsInvalid(`too many parameters, expected ${expected} found ${stmt.namedArgs.length}`);
  const byName = new Map(stmt.namedArgs.map((a) => [a.name, a.value] as const));
  return info.params.map((name, i) => {
    const value =
      name === null
        ? byName.get(String(i + 1))
        : name.startsWith("?")
          ? (byName.get(name.slice(1)) ?? byName.get(name))
          : (byName.get(name) ?? byName.get(name.slice(1)));
    if (value === undefined) throw argsInvalid(`value for parameter ${name ?? i + 1} not found`);
    return value;
  });
}

/**
 * Not async: a statement that meets no lock runs and answers in the same turn, and every await on the way
 * (decoding, the stream, the connection) cost a microtask hop per request.
 */
export function executeStmt(env: ExecEnv, stmt: Stmt): StmtResult | Promise<StmtResult> {
  const sql = resolveSql(env, stmt.sql, stmt.sqlId);
  const info = singleStatement(sql);
  const values = bindArgs(info, stmt);
  env.countStatement();
  const raw = env.conn().execute(sql, info, values, stmt.wantRows);
  return raw instanceof Promise ? raw.then(stmtResult) : stmtResult(raw);
}

function stmtResult(raw: RawResult): StmtResult {
  return {
    cols: raw.columns,
    rows: raw.rows.length === 0 ? [] : raw.rows.map((row) => row.map(encodeValue)),
    affected_row_count: raw.affectedRowCount,
    last_insert_rowid: raw.lastInsertRowid === null ? null : raw.lastInsertRowid.toString(),
    // libsql-js exposes no sqlite3_stmt_status(); rows returned / rows changed are the honest stand-ins.
    rows_read: raw.rows.length,
    rows_written: raw.affectedRowCount,
    query_duration_ms: raw.durationMs,
  };
}

/**
 * Runs each statement in turn and stops at the first error. Statements are split here and run one by
 * one (rather than with db.exec) so that each of them gets the asynchronous busy retry.
 */
export async function executeSequence(env: ExecEnv, sql: string): Promise<void> {
  checkSqlText(sql);
  const pause = timeSlicer();
  for (const text of statementsOf(sql)) {
    env.countStatement();
    await env.conn().execute(text, statementInfo(text), [], false);
    await pause(!env.conn().isAutocommit);
  }
}

export async function describeSql(env: ExecEnv, sql: string): Promise<DescribeResult> {
  const info = singleStatement(sql);
  const cols = await env.conn().columnsOf(sql);
  return {
    params: info.params.map((name) => ({ name })),
    cols,
    is_explain: info.isExplain,
    is_readonly: info.isReadonly,
  };
}
