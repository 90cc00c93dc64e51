// Sign-In with Ethereum vectors: messages built by the siwe package (prepareMessage), signed with ethers
// wallets, and deliberately tampered ones, each labelled with the verdict a verifier must reach against
// the expectations printed alongside. A "parse" section lists texts with whether siwe's own ABNF parser
// accepts them.
//
//   node siwe-vectors.mjs --seed S --count N --now 2026-01-01T00:00:00.000Z     prints one JSON object
import { Wallet, Signature, toBeHex, zeroPadValue } from "ethers";
import { SiweMessage } from "siwe";
import { SeededRandom, parseArgs } from "./seeded-random.mjs";

const args = parseArgs(process.argv.slice(2), { seed: "1", count: "40", now: "2026-01-01T00:00:00.000Z" });
const count = Number.parseInt(args.count, 10);
const now = new Date(args.now);
if (Number.isNaN(now.getTime())) throw new Error(`--now: not a date: ${args.now}`);
const rng = new SeededRandom(args.seed, "siwe");

const expectations = {
  domain: "grid.example",
  scheme: "https",
  uri: "https://grid.example",
  chainIds: [1, 8453],
  clockSkewSeconds: 60,
};

const alphanumeric = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const statementChars = alphanumeric + "-._~:/?#[]@!$&'()*+,;= ";
const pchars = alphanumeric + "-._~!$&'()*+,;=:@";

const at = (offsetSeconds) => new Date(now.getTime() + offsetSeconds * 1000);
// RFC 3339 spellings siwe accepts: milliseconds and Z (toISOString), no fraction, a numeric offset.
const formatTime = (date) => {
  switch (rng.int(4)) {
    case 0:
    case 1:
      return date.toISOString();
    case 2:
      return date.toISOString().replace(/\.\d{3}Z$/, "Z");
    default: {
      const shifted = new Date(date.getTime() + 2 * 3600 * 1000).toISOString();
      return shifted.replace(/Z$/, "+02:00");
    }
  }
};

const nonce = () => rng.string(alphanumeric, rng.between(8, 24));

/** Fields of a message that passes every check, with optional fields present at random. */
function goodFields(wallet) {
  const fields = {
    domain: expectations.domain,
    address: wallet.address,
    uri: expectations.uri + rng.pick(["", "/", "/login", "/app/settings?tab=wallet", "/a/b#top"]),
    version: "1",
    chainId: rng.pick(expectations.chainIds),
    nonce: nonce(),
    issuedAt: formatTime(at(-rng.int(600))),
  };
  if (rng.chance(1, 3)) fields.scheme = "https";
  switch (rng.int(3)) {
    case 0:
      break; // no statement
    case 1:
      fields.statement = "";
      break;
    default:
      fields.statement = rng.string(statementChars, rng.between(1, 80));
  }
  if (rng.chance(1, 2)) fields.expirationTime = formatTime(at(rng.between(300, 3600)));
  if (rng.chance(1, 3)) fields.notBefore = formatTime(at(-rng.int(300)));
  if (rng.chance(1, 3)) fields.requestId = rng.string(pchars, rng.between(1, 20));
  if (rng.chance(1, 3)) {
    fields.resources = Array.from({ length: rng.int(4) }, () =>
      rng.pick([
        "ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/",
        "https://grid.example/v1/accounts?limit=10#x",
        "urn:uuid:6f9619ff-8b86-d011-b42d-00cf4fc964ff",
        "https://user:pw@[2001:db8::1]:8443/p%20q",
        "mailto:ops@grid.example",
      ]),
    );
  }
  return fields;
}

function sign(fields, signer) {
  const message = new SiweMessage(fields).prepareMessage();
  return { message, signature: signer.signMessageSync(message) };
}

// The twin signature (r, n - s) with the other recovery id: it verifies the same digest, but EIP-2 refuses it.
const secp256k1N = BigInt("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
function highS(signature) {
  const sig = Signature.from(signature);
  const s = secp256k1N - BigInt(sig.s);
  const v = sig.v === 27 ? 28 : 27;
  return sig.r + zeroPadValue(toBeHex(s), 32).slice(2) + v.toString(16);
}

const vectors = [];
const add = (kind, expected, fields, signed) =>
  vectors.push({ kind, expected, address: fields.address, nonce: fields.nonce, fields, ...signed });

for (let i = 0; i < count; i++) {
  const wallet = new Wallet(rng.privateKey());
  const fields = goodFields(wallet);
  add("good", "ok", fields, sign(fields, wallet));
}

const tampered = [
  ["wrong_domain", "siwe_domain_mismatch", (f) => ({ ...f, domain: "evil.example" })],
  ["wrong_domain_port", "siwe_domain_mismatch", (f) => ({ ...f, domain: "grid.example:8443" })],
  ["wrong_scheme", "siwe_domain_mismatch", (f) => ({ ...f, scheme: "http" })],
  ["wrong_uri_host", "siwe_uri_mismatch", (f) => ({ ...f, uri: "https://evil.example/login" })],
  ["wrong_uri_scheme", "siwe_uri_mismatch", (f) => ({ ...f, uri: "http://grid.example/login" })],
  ["wrong_uri_port", "siwe_uri_mismatch", (f) => ({ ...f, uri: "https://grid.example:8443/login" })],
  ["wrong_chain", "siwe_chain_not_allowed", (f) => ({ ...f, chainId: 5 })],
  ["expired", "siwe_expired", (f) => ({ ...f, issuedAt: formatTime(at(-3600)), expirationTime: formatTime(at(-120)) })],
  ["not_yet_valid", "siwe_not_yet_valid", (f) => ({ ...f, notBefore: formatTime(at(600)) })],
  ["issued_in_future", "siwe_issued_in_future", (f) => ({ ...f, issuedAt: formatTime(at(600)) })],
];

for (let round = 0; round < Math.max(1, Math.floor(count / 10)); round++) {
  for (const [kind, expected, change] of tampered) {
    const wallet = new Wallet(rng.privateKey());
    const fields = change(goodFields(wallet));
    add(kind, expected, fields, sign(fields, wallet));
  }

  {
    // The text changes after signing: a statement rewritten, the signature left as it was.
    const wallet = new Wallet(rng.privateKey());
    const fields = { ...goodFields(wallet), statement: "I accept the terms" };
    const signed = sign(fields, wallet);
    const altered = { ...fields, statement: "I accept the terms and transfer all my credits" };
    add("tampered_text", "siwe_bad_signature", altered, { message: new SiweMessage(altered).prepareMessage(), signature: signed.signature });
  }

  {
    // The message names one wallet, another one signs it.
    const named = new Wallet(rng.privateKey());
    const signer = new Wallet(rng.privateKey());
    const fields = goodFields(named);
    add("other_key", "siwe_bad_signature", fields, sign(fields, signer));
  }

  {
    const wallet = new Wallet(rng.privateKey());
    const fields = goodFields(wallet);
    const signed = sign(fields, wallet);
    add("high_s", "siwe_bad_signature", fields, { message: signed.message, signature: highS(signed.signature) });
  }
}

// Texts around one minimal good message, with siwe's own parser's verdict on each.
const baseWallet = new Wallet(rng.privateKey());
const baseFields = {
  domain: expectations.domain,
  address: baseWallet.address,
  uri: "https://grid.example/login",
  version: "1",
  chainId: 1,
  nonce: "abcdefgh1234",
  issuedAt: now.toISOString(),
};
const base = new SiweMessage(baseFields).prepareMessage();
const lines = base.split("\n");
const replaceLine = (prefix, replacement) => lines.map((l) => (l.startsWith(prefix) ? replacement : l)).join("\n");
const withoutLine = (prefix) => lines.filter((l) => !l.startsWith(prefix)).join("\n");
const withStatement = (statement) => base.replace("\n\n\nURI: ", `\n\n${statement}\n\nURI: `);
const withHeader = (origin) => base.replace(/^[^ ]+/, origin);
const parseCases = {
  unchanged: base,
  statement: withStatement("Sign in to Credit Grid: [terms] apply, see https://grid.example/tos?x=1#y!"),
  empty_statement: new SiweMessage({ ...baseFields, statement: "" }).prepareMessage(),
  every_optional_field: new SiweMessage({
    ...baseFields,
    scheme: "https",
    statement: "Hello",
    expirationTime: "2026-01-01T01:00:00Z",
    notBefore: "2025-12-31T23:00:00-01:30",
    requestId: "req-1:@!",
    resources: ["https://grid.example/a", "ipfs://bafy/x"],
  }).prepareMessage(),
  trailing_newline: base + "\n",
  crlf: base.replaceAll("\n", "\r\n"),
  lower_case_address: base.replace(baseWallet.address, baseWallet.address.toLowerCase()),
  upper_case_prefix: base.replace(baseWallet.address, "0X" + baseWallet.address.slice(2)),
  short_address: base.replace(baseWallet.address, baseWallet.address.slice(0, 41)),
  version_2: replaceLine("Version: ", "Version: 2"),
  short_nonce: replaceLine("Nonce: ", "Nonce: abc1234"),
  nonce_with_dash: replaceLine("Nonce: ", "Nonce: abcd-12345"),
  no_such_date: replaceLine("Issued At: ", "Issued At: 2026-02-30T00:00:00Z"),
  leap_day: replaceLine("Issued At: ", "Issued At: 2028-02-29T00:00:00Z"),
  not_a_leap_day: replaceLine("Issued At: ", "Issued At: 2027-02-29T00:00:00Z"),
  space_for_t: replaceLine("Issued At: ", "Issued At: 2026-01-01 00:00:00Z"),
  no_offset: replaceLine("Issued At: ", "Issued At: 2026-01-01T00:00:00"),
  hour_24: replaceLine("Issued At: ", "Issued At: 2026-01-01T24:00:00Z"),
  month_13: replaceLine("Issued At: ", "Issued At: 2026-13-01T00:00:00Z"),
  empty_fraction: replaceLine("Issued At: ", "Issued At: 2026-01-01T00:00:00.Z"),
  lower_t_and_z: replaceLine("Issued At: ", "Issued At: 2026-01-01t00:00:00.5z"),
  long_fraction: replaceLine("Issued At: ", "Issued At: 2026-01-01T00:00:00.123456789+05:30"),
  no_issued_at: withoutLine("Issued At: "),
  no_uri: withoutLine("URI: "),
  no_version: withoutLine("Version: "),
  uri_without_scheme: replaceLine("URI: ", "URI: grid.example/login"),
  uri_with_space: replaceLine("URI: ", "URI: https://grid.example/a b"),
  uri_urn: replaceLine("URI: ", "URI: urn:uuid:6f9619ff-8b86-d011-b42d-00cf4fc964ff"),
  uri_bad_percent: replaceLine("URI: ", "URI: https://grid.example/%zz"),
  uri_ipv6: replaceLine("URI: ", "URI: https://[::1]:8443/x"),
  chain_id_letters: replaceLine("Chain ID: ", "Chain ID: abc"),
  chain_id_empty: replaceLine("Chain ID: ", "Chain ID: "),
  unknown_line: base + "\nFoo: bar",
  not_before_then_expiration: base + "\nNot Before: 2026-01-01T00:00:00Z\nExpiration Time: 2026-01-01T01:00:00Z",
  expiration_twice: base + "\nExpiration Time: 2026-01-01T01:00:00Z\nExpiration Time: 2026-01-01T02:00:00Z",
  statement_with_quote: withStatement('say "hi"'),
  statement_with_percent: withStatement("100% sure"),
  statement_with_unicode: withStatement("héllo"),
  statement_with_tab: withStatement("a\tb"),
  one_empty_line_only: base.replace("\n\n\nURI: ", "\n\nURI: "),
  four_empty_lines_and_more: base.replace("\n\n\nURI: ", "\n\n\n\n\nURI: "),
  domain_with_port: withHeader("grid.example:8443"),
  domain_with_userinfo: withHeader("alice@grid.example"),
  domain_with_space: withHeader("grid example"),
  domain_with_path: withHeader("grid.example/login"),
  domain_with_ipv6: withHeader("[2001:db8::1]:8443"),
  domain_with_bad_ipv6: withHeader("[2001:db8::zz]"),
  domain_ipv4: withHeader("127.0.0.1:8080"),
  scheme_http: withHeader("http://grid.example"),
  scheme_bad: withHeader("1http://grid.example"),
  resources_bad_item: base + "\nResources:\n* https://grid.example",
  resources_bad_uri: base + "\nResources:\n- not a uri",
  resources_empty: base + "\nResources:",
  request_id_empty: base + "\nRequest ID: ",
  request_id_with_space: base + "\nRequest ID: a b",
  wrong_header: base.replace(" wants you to sign in with your Ethereum account:", " wants you to sign in with your account:"),
  empty: "",
};
const parse = Object.entries(parseCases).map(([name, text]) => {
  let accepted;
  try {
    new SiweMessage(text);
    accepted = true;
  } catch {
    accepted = false;
  }
  return { name, text, accepted };
});

process.stdout.write(JSON.stringify({ seed: args.seed, now: now.toISOString(), expectations, vectors, parse }));
