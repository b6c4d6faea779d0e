// Lexical analysis of SQL text, done here rather than by libsql because libsql-js exposes neither the
// statement tail (to detect a second statement) nor sqlite3_bind_parameter_name/_count, and its own
// object binding aborts the whole process on some inputs (e.g. `SELECT ?, :a` with an object).
// The tokenizer follows SQLite's tokenize.c closely enough for splitting and parameter discovery; it
// never decides whether SQL is valid, SQLite still does that when the statement is prepared.

type TokenKind = "ws" | "semi" | "word" | "quoted" | "string" | "param" | "lparen" | "rparen" | "punct" | "illegal";

interface Token {
  kind: TokenKind;
  start: number;
  end: number;
}

export type StatementKind =
  | "read" // SELECT / VALUES (also WITH ... SELECT)
  | "write" // INSERT / UPDATE / DELETE / REPLACE (also WITH ... INSERT)
  | "begin"
  | "commit"
  | "rollback"
  | "savepoint"
  | "release"
  | "pragma"
  | "ddl"
  | "attach"
  | "other";

export interface StatementInfo {
  /** `params[i]` is the name of parameter i+1 (`:a`, `@a`, `$a`, `?3`), null for a bare `?`. */
  params: (string | null)[];
  kind: StatementKind;
  isExplain: boolean;
  /** Best-effort stand-in for sqlite3_stmt_readonly(), which libsql-js does not expose. */
  isReadonly: boolean;
  /** `BEGIN ... READONLY`: libsql accepts it but does not enforce it, so the connection does. */
  beginsReadonly: boolean;
  /** PRAGMA, ATTACH, TEMP objects...: a connection that ran this must not be recycled for someone else. */
  changesConnectionState: boolean;
  /** How the connection tells whether this statement inserted a row (see RowidRule). */
  rowid: RowidRule;
}

/**
 * How to know whether a statement inserted a row, given that SQLite's last_insert_rowid() is per
 * connection, survives statements that insert nothing, and is restored when a trigger ends:
 * - "none": it cannot insert at the top level (reads, UPDATE, DELETE, transaction control, PRAGMA).
 * - "changes": a plain INSERT or REPLACE; it inserted exactly when changes() > 0, because changes()
 *   counts only its own rows (not triggers', not REPLACE's deletions, not an INSTEAD OF view's).
 * - "compare": anything else (an upsert's DO UPDATE counts in changes() without inserting; DDL; the
 *   unknown): last_insert_rowid() is parked on a sentinel first and only a moved value counts.
 */
export type RowidRule = "none" | "changes" | "compare";

export interface SqlAnalysis {
  /** Source text of each non-empty statement, in order. */
  statements: string[];
}

const MAX_VARIABLE_NUMBER = 32766;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

// SQLite's IdChar(): letters, digits, `_`, `$` and every non-ASCII code unit.
function isIdChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || isDigit(c) || c === 0x5f || c === 0x24 || c >= 0x80;
}

function isIdStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c >= 0x80;
}

function quotedEnd(sql: string, start: number, close: string): number {
  let i = start + 1;
  for (;;) {
    const j = sql.indexOf(close, i);
    if (j < 0) return -1;
    // A doubled quote is an escaped quote (but `]` has no escape in SQLite).
    if (close !== "]" && sql[j + 1] === close) {
      i = j + 2;
      continue;
    }
    return j + 1;
  }
}

function nextToken(sql: string, i: number): Token {
  const c = sql.charCodeAt(i);
  const tok = (kind: TokenKind, end: number): Token => ({ kind, start: i, end });
  if (isSpace(c)) {
    let j = i + 1;
    while (j < sql.length && isSpace(sql.charCodeAt(j))) j++;
    return tok("ws", j);
  }
  const ch = sql[i];
  switch (ch) {
    case "-":
      if (sql[i + 1] === "-") {
        const nl = sql.indexOf("\n", i + 2);
        return tok("ws", nl < 0 ? sql.length : nl + 1);
      }
      return tok("punct", i + 1);
    case "/":
      if (sql[i + 1] === "*") {
        const close = sql.indexOf("*/", i + 2);
        return tok("ws", close < 0 ? sql.length : close + 2);
      }
      return tok("punct", i + 1);
    case ";":
      return tok("semi", i + 1);
    case "(":
      return tok("lparen", i + 1);
    case ")":
      return tok("rparen", i + 1);
    case "'": {
      const end = quotedEnd(sql, i, "'");
      return end < 0 ? tok("illegal", sql.length) : tok("string", end);
    }
    case '"':
    case "`": {
      const end = quotedEnd(sql, i, ch);
      return end < 0 ? tok("illegal", sql.length) : tok("quoted", end);
    }
    case "[": {
      const end = quotedEnd(sql, i, "]");
      return end < 0 ? tok("illegal", sql.length) : tok("quoted", end);
    }
    case "?": {
      let j = i + 1;
      while (j < sql.length && isDigit(sql.charCodeAt(j))) j++;
      return tok("param", j);
    }
    case ":":
    case "@":
    case "$":
    case "#": {
      // Mirrors the CC_VARALPHA/CC_DOLLAR case of tokenize.c, including TCL-style `$a::b` and `$a(x)`.
      let n = 0;
      let j = i + 1;
      for (; j < sql.length; j++) {
        const cj = sql.charCodeAt(j);
        if (isIdChar(cj)) {
          n++;
        } else if (sql[j] === "(" && n > 0) {
          do j++;
          while (j < sql.length && !isSpace(sql.charCodeAt(j)) && sql[j] !== ")");
          if (sql[j] === ")") return tok("param", j + 1);
          return tok("illegal", j);
        } else if (sql[j] === ":" && sql[j + 1] === ":") {
          j++;
        } else {
          break;
        }
      }
      return n === 0 ? tok("illegal", j) : tok("param", j);
    }
  }
  if (isIdStart(c)) {
    let j = i + 1;
    while (j < sql.length && isIdChar(sql.charCodeAt(j))) j++;
    return tok("word", j);
  }
  if (isDigit(c) || (ch === "." && isDigit(sql.charCodeAt(i + 1)))) {
    // Numbers, including 0x1F and 1e-5 (the `-` becomes punctuation, which is harmless here).
    let j = i + 1;
    while (j < sql.length && (isIdChar(sql.charCodeAt(j)) || sql[j] === ".")) j++;
    return tok("punct", j);
  }
  return tok("punct", i + 1);
}

function* tokens(sql: string): Generator<Token> {
  let i = 0;
  while (i < sql.length) {
    const t = nextToken(sql, i);
    yield t;
    i = t.end;
  }
}

// The state machine of sqlite3_complete() (complete.c). It is what lets `CREATE TRIGGER ... BEGIN
// ...; ...; END;` count as one statement although it contains semicolons.
enum Tk {
  Semi = 0,
  Ws = 1,
  Other = 2,
  Explain = 3,
  Create = 4,
  Temp = 5,
  Trigger = 6,
  End = 7,
}

const TRANSITIONS: readonly (readonly number[])[] = [
  /*               SEMI WS OTHER EXPLAIN CREATE TEMP TRIGGER END */
  /* 0 INVALID */ [1, 0, 2, 3, 4, 2, 2, 2],
  /* 1 START   */ [1, 1, 2, 3, 4, 2, 2, 2],
  /* 2 NORMAL  */ [1, 2, 2, 2, 2, 2, 2, 2],
  /* 3 EXPLAIN */ [1, 3, 3, 2, 4, 2, 2, 2],
  /* 4 CREATE  */ [1, 4, 2, 2, 2, 4, 5, 2],
  /* 5 TRIGGER */ [6, 5, 5, 5, 5, 5, 5, 5],
  /* 6 SEMI    */ [6, 6, 5, 5, 5, 5, 5, 7],
  /* 7 END     */ [1, 7, 5, 5, 5, 5, 5, 5],
];

function completeToken(sql: string, t: Token): Tk {
  switch (t.kind) {
    case "ws":
      return Tk.Ws;
    case "semi":
      return Tk.Semi;
    case "word":
      switch (sql.slice(t.start, t.end).toUpperCase()) {
        case "EXPLAIN":
          return Tk.Explain;
        case "CREATE":
          return Tk.Create;
        case "TEMP":
        case "TEMPORARY":
          return Tk.Temp;
        case "TRIGGER":
          return Tk.Trigger;
        case "END":
          return Tk.End;
        default:
          return Tk.Other;
      }
    default:
      return Tk.Other;
  }
}

/** Splits SQL text into statements the way the sqlite3 shell does; empty statements are dropped. */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let state = 0;
  let start = 0;
  for (const t of tokens(sql)) {
    const tk = completeToken(sql, t);
    const prev = state;
    state = TRANSITIONS[state]![tk]!;
    if (prev <= 1 && state <= 1) {
      // Still between statements: whitespace, comments and stray semicolons are not part of one.
      start = t.end;
    } else if (state === 1) {
      out.push(sql.slice(start, t.end));
      start = t.end;
    }
  }
  if (state > 1) out.push(sql.slice(start));
  return out;
}

const WITH_MAIN_KEYWORDS = new Set(["SELECT", "VALUES", "INSERT", "UPDATE", "DELETE", "REPLACE"]);

function kindOfKeyword(keyword: string): StatementKind {
  switch (keyword) {
    case "SELECT":
    case "VALUES":
      return "read";
    case "INSERT":
    case "UPDATE":
    case "DELETE":
    case "REPLACE":
      return "write";
    case "BEGIN":
      return "begin";
    case "COMMIT":
    case "END":
      return "commit";
    case "ROLLBACK":
      return "rollback";
    case "SAVEPOINT":
      return "savepoint";
    case "RELEASE":
      return "release";
    case "PRAGMA":
      return "pragma";
    case "CREATE":
    case "DROP":
    case "ALTER":
    case "REINDEX":
    case "ANALYZE":
    case "VACUUM":
      return "ddl";
    case "ATTACH":
    case "DETACH":
      return "attach";
    default:
      return "other";
  }
}

/** Parameters, kind and read-only-ness of one statement (the text should hold a single statement). */
export function analyzeStatement(sql: string): StatementInfo {
  const names = new Map<string, number>();
  const params: (string | null)[] = [];
  const words: string[] = [];
  let sawEquals = false;
  let depth = 0;
  let withMain: string | undefined;
  let mentionsUpdate = false;

  const setParam = (index: number, name: string | null): void => {
    while (params.length < index) params.push(null);
    if (name !== null && params[index - 1] === null) params[index - 1] = name;
  };

  for (const t of tokens(sql)) {
    const text = sql.slice(t.start, t.end);
    switch (t.kind) {
      case "param": {
        // sqlite3ExprAssignVarNumber(): `?` takes the next number, `?N` takes N, a name reuses its
        // earlier number or takes the next one.
        if (text === "?") {
          setParam(params.length + 1, null);
        } else if (text[0] === "?") {
          const n = Number(text.slice(1));
          if (Number.isInteger(n) && n >= 1 && n <= MAX_VARIABLE_NUMBER) {
            if (n > params.length || params[n - 1] === null) setParam(n, text);
          }
        } else if (!names.has(text)) {
          names.set(text, params.length + 1);
          setParam(params.length + 1, text);
        }
        break;
      }
      case "word": {
        const upper = text.toUpperCase();
        if (words.length < 4) words.push(upper);
        if (upper === "UPDATE") mentionsUpdate = true;
        if (depth === 0 && withMain === undefined && words[0] === "WITH" && WITH_MAIN_KEYWORDS.has(upper))
          withMain = upper;
        break;
      }
      case "lparen":
        depth++;
        break;
      case "rparen":
        depth = Math.max(0, depth - 1);
        break;
      case "punct":
        if (text === "=" && depth === 0) sawEquals = true;
        break;
      default:
        break;
    }
  }

  const isExplain = words[0] === "EXPLAIN";
  const body = isExplain ? words.slice(words[1] === "QUERY" && words[2] === "PLAN" ? 3 : 1) : words;
  const first = body[0] ?? "";
  const kind = first === "WITH" ? kindOfKeyword(withMain ?? "SELECT") : kindOfKeyword(first);
  const beginsReadonly = kind === "begin" && /\bREADONLY\b/i.test(sql);
  const temp = kind === "ddl" && first === "CREATE" && (body[1] === "TEMP" || body[1] === "TEMPORARY");

  let isReadonly: boolean;
  switch (kind) {
    case "read":
    case "begin":
    case "commit":
    case "rollback":
    case "savepoint":
    case "release":
      isReadonly = true;
      break;
    case "pragma":
      isReadonly = !sawEquals;
      break;
    default:
      isReadonly = false;
  }

  const verb = first === "WITH" ? withMain : first;
  let rowid: RowidRule;
  if (isExplain || verb === "UPDATE" || verb === "DELETE") rowid = "none";
  else if (kind === "write") rowid = mentionsUpdate ? "compare" : "changes";
  else if (kind === "ddl" || kind === "other") rowid = "compare";
  else rowid = "none";

  return {
    params,
    kind,
    isExplain,
    isReadonly,
    beginsReadonly,
    changesConnectionState: kind === "pragma" || kind === "attach" || temp,
    rowid,
  };
}

// Batches and ORMs send the same few statements over and over; analysis is cheap but not free.
const CACHE_LIMIT = 512;
const CACHEABLE_LENGTH = 8192;
const statementCache = new Map<string, StatementInfo>();
const splitCache = new Map<string, string[]>();
const singleCache = new Map<string, SingleStatement>();

function cached<T>(cache: Map<string, T>, key: string, compute: (key: string) => T): T {
  if (key.length > CACHEABLE_LENGTH) return compute(key);
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const value = compute(key);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
  return value;
}

export function statementInfo(sql: string): StatementInfo {
  return cached(statementCache, sql, analyzeStatement);
}

export function statementsOf(sql: string): string[] {
  return cached(splitCache, sql, splitStatements);
}

/** What a text meant to hold one statement holds: that statement's info, or why it cannot run as one. */
export type SingleStatement = StatementInfo | "nul" | "none" | "many";

function checkSingle(sql: string): SingleStatement {
  // libsql-js passes SQL as a C string, so everything after a NUL would silently vanish.
  if (sql.includes("\0")) return "nul";
  const count = statementsOf(sql).length;
  if (count !== 1) return count === 0 ? "none" : "many";
  return statementInfo(sql);
}

/** One lookup for a statement sent again (the common case) instead of a NUL scan and two lookups. */
export function singleStatement(sql: string): SingleStatement {
  return cached(singleCache, sql, checkSingle);
}
