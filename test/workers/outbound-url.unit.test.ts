import { describe, expect, it } from "vitest";
import { checkOutboundUrl } from "../../workers/lib/outbound-url";

const production = { allowLoopback: false };
const development = { allowLoopback: true };

// Each of these reaches the Worker's own host, its network or a cloud metadata service, written the ways an
// attacker would try to get past a naive string check.
const PRIVATE = [
  "https://169.254.169.254/latest/meta-data/",
  "https://10.0.0.1/",
  "https://192.168.1.1/hook",
  "https://172.16.0.1/",
  "https://172.31.255.255/",
  "https://100.64.0.1/",
  "https://0.0.0.0/",
  "https://0/",
  "https://[::]/",
  "https://[fe80::1]/",
  "https://[fc00::1]/",
  "https://[fd12:3456::1]/",
  "https://[::ffff:169.254.169.254]/",
  "https://[::ffff:a9fe:a9fe]/",
  "https://[64:ff9b::a9fe:a9fe]/",
  "https://[2002:a9fe:a9fe::1]/",
  "https://224.0.0.1/",
  "https://255.255.255.255/",
  "https://metadata.google.internal/computeMetadata/v1/",
  "https://metadata/",
  "https://printer.local/",
  "https://router.lan/",
  "https://nas.home.arpa/",
  "https://0xa9.0xfe.0xa9.0xfe/",
  "https://2852039166/",
];
const LOOPBACK = [
  "https://127.0.0.1/",
  "https://127.1/",
  "https://2130706433/",
  "https://0x7f000001/",
  "https://017700000001/",
  "https://localhost/",
  "https://LOCALHOST./",
  "https://api.localhost/",
  "https://[::1]/",
  "https://[0:0:0:0:0:0:0:1]/",
  "https://[::ffff:127.0.0.1]/",
];

describe("outbound URL policy", () => {
  it.each(PRIVATE)("refuses %s, in production and in development", (url) => {
    expect(checkOutboundUrl(url, production)).toMatchObject({ ok: false, reason: expect.stringMatching(/private/) });
    expect(checkOutboundUrl(url, development).ok).toBe(false);
  });

  it.each(LOOPBACK)("refuses %s unless loopback is explicitly allowed", (url) => {
    expect(checkOutboundUrl(url, production)).toMatchObject({ ok: false, reason: expect.stringMatching(/loopback/) });
    expect(checkOutboundUrl(url, development).ok).toBe(true);
  });

  it("refuses credentials in the URL, plain http to the internet and other schemes", () => {
    expect(checkOutboundUrl("https://user:pass@hooks.example.com/", production)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/Credentials/),
    });
    expect(checkOutboundUrl("https://user@hooks.example.com/", production).ok).toBe(false);
    for (const policy of [production, development]) {
      expect(checkOutboundUrl("http://hooks.example.com/", policy)).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/https/),
      });
      expect(checkOutboundUrl("ftp://hooks.example.com/", policy).ok).toBe(false);
      expect(checkOutboundUrl("not a url", policy).ok).toBe(false);
    }
    // http only to a loopback receiver, only in development.
    expect(checkOutboundUrl("http://127.0.0.1:8787/hook", development).ok).toBe(true);
    expect(checkOutboundUrl("http://127.0.0.1:8787/hook", production).ok).toBe(false);
  });

  it("accepts public https receivers, by name or by public address", () => {
    for (const url of [
      "https://hooks.example.com/leadrelay",
      "https://hooks.example.com:8443/x?y=1",
      "https://93.184.215.14/",
      "https://[2606:4700::1111]/",
      "https://172.32.0.1/",
      "https://internal.example.com/",
    ]) {
      expect(checkOutboundUrl(url, production), url).toMatchObject({ ok: true });
    }
  });
});
