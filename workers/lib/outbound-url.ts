/**
 * Which URLs the Worker may call on an owner's behalf (outgoing webhooks). An owner types the URL, so without
 * this check the Worker would connect wherever they point it: cloud metadata (169.254.169.254), the database
 * next door, an admin port on localhost. Checked when the URL is saved and again before every send, because a
 * row written before a rule existed, or edited in the database, must not slip through.
 *
 * Only the URL is judged, never DNS: a public name that resolves to a private address is not caught here
 * (Workers cannot pin a resolution). On Cloudflare, fetch() from a Worker does not reach private networks;
 * elsewhere that is the deployment's egress firewall's job (docs/security.md).
 */

export interface OutboundPolicy {
  /** Development and tests only: loopback targets (127.0.0.0/8, ::1, localhost), over http or https. */
  allowLoopback: boolean;
}

export type OutboundVerdict = { ok: true; url: URL } | { ok: false; reason: string };

// Names that only mean something inside a network: never a receiver on the internet.
const INTERNAL_SUFFIXES = [
  ".localhost",
  ".local",
  ".localdomain",
  ".internal",
  ".intranet",
  ".lan",
  ".home.arpa",
  ".corp",
];

function ipv4Parts(host: string): number[] | null {
  // The WHATWG URL parser has already normalised 2130706433, 0x7f.1 and 127.1 to dotted quads.
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return m ? m.slice(1).map(Number) : null;
}

/** Loopback, private, link-local, shared (CGNAT), benchmarking, multicast, reserved and unspecified ranges. */
function privateIpv4([a, b]: number[]): "loopback" | "private" | null {
  if (a === 127) return "loopback";
  if (a === 0 || a === 10 || a! >= 224) return "private";
  if (a === 169 && b === 254) return "private";
  if (a === 172 && b! >= 16 && b! <= 31) return "private";
  if (a === 192 && (b === 168 || b === 0)) return "private";
  if (a === 100 && b! >= 64 && b! <= 127) return "private";
  if (a === 198 && (b === 18 || b === 19)) return "private";
  return null;
}

/** Expands an IPv6 literal (without brackets) to its eight 16-bit groups. */
function ipv6Groups(host: string): number[] | null {
  const halves = host.split("::");
  if (halves.length > 2) return null;
  const parse = (s: string) => (s ? s.split(":").map((g) => parseInt(g, 16)) : []);
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array<number>(Math.max(fill, 0)).fill(0), ...tail];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

function privateIpv6(host: string): "loopback" | "private" | null {
  const g = ipv6Groups(host);
  if (!g) return "private"; // not parseable: refuse rather than guess
  if (g.every((x) => x === 0)) return "private";
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return "loopback";
  const first = g[0]!;
  if ((first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00) return "private";
  // IPv4 inside IPv6 (::ffff:a.b.c.d mapped, ::a.b.c.d compatible, 64:ff9b::/96 NAT64): judge the IPv4 address.
  const mapped = g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0);
  const nat64 = first === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0);
  if (mapped || nat64) return privateIpv4([g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff]);
  // 6to4 carries an IPv4 address in groups 1-2.
  if (first === 0x2002) return privateIpv4([g[1]! >> 8, g[1]! & 0xff, g[2]! >> 8, g[2]! & 0xff]);
  return null;
}

function hostClass(hostname: string): "loopback" | "private" | "public" {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (host.startsWith("[")) return privateIpv6(host.slice(1, -1)) ?? "public";
  const v4 = ipv4Parts(host);
  if (v4) return privateIpv4(v4) ?? "public";
  if (host === "localhost" || host.endsWith(".localhost")) return "loopback";
  // A single label (metadata, intranet) resolves through the local search domain, never on the internet.
  if (!host.includes(".") || INTERNAL_SUFFIXES.some((s) => host.endsWith(s))) return "private";
  return "public";
}

/** Whether the Worker may POST to `raw` under `policy`; the reason names what is wrong for an error message. */
export function checkOutboundUrl(raw: string, policy: OutboundPolicy): OutboundVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "Not a valid URL." };
  }
  if (url.username || url.password)
    return { ok: false, reason: "Credentials in the URL are not allowed; use the signing secret." };
  const kind = hostClass(url.hostname);
  if (kind === "private" || (kind === "loopback" && !policy.allowLoopback)) {
    return { ok: false, reason: "The URL points at a private, loopback or internal address; use a public https URL." };
  }
  // Plain http only to a loopback receiver in development: anywhere else it would expose lead data in transit.
  if (url.protocol !== "https:" && !(url.protocol === "http:" && kind === "loopback")) {
    return { ok: false, reason: "Only https URLs are allowed." };
  }
  return { ok: true, url };
}
