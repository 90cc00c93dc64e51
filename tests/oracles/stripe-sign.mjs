// Signs Stripe webhook deliveries, and judges them, with stripe-node itself, so the grid's verifier is checked
// against Stripe's library rather than against its own idea of the scheme. Reads a JSON array on stdin:
//
//   node stripe-sign.mjs sign < [{"payload": "...", "timestamp": 1700000000,
//                                 "signatures": [{"secret": "whsec_...", "scheme"?: "v1"|"v0"}, ...]}, ...]
//     prints [{"header": "t=...,v1=...,v1=..."}]: each signature made by webhooks.generateTestHeaderString
//     with the same timestamp, joined after one t= in the order given, as Stripe sends a delivery signed
//     under several secrets during a rotation (and a v0 one in test mode).
//
//   node stripe-sign.mjs verify < [{"payload": "...", "header": "...", "secrets": [...], "tolerance": 300,
//                                   "receivedAt": 1700000000}, ...]
//     prints [{"accepted": bool, "errors": [...]}]: accepted when webhooks.constructEvent accepts the
//     delivery, received at receivedAt (unix seconds), under one of the secrets.
import Stripe from "stripe";

const stripe = new Stripe("sk_test_oracle_never_used_for_requests");

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on("data", (chunk) => chunks.push(chunk));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

function sign({ payload, timestamp, signatures }) {
  if (!Number.isInteger(timestamp) || timestamp <= 0) {
    // generateTestHeaderString takes a falsy timestamp as "now", which would make a test depend on the clock.
    throw new Error(`timestamp must be a positive integer, got ${timestamp}`);
  }
  const prefix = `t=${timestamp},`;
  const parts = signatures.map(({ secret, scheme }) => {
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp, scheme });
    if (!header.startsWith(prefix)) throw new Error(`unexpected header from stripe-node: ${header}`);
    return header.slice(prefix.length);
  });
  return { header: prefix + parts.join(",") };
}

function verify({ payload, header, secrets, tolerance, receivedAt }) {
  const errors = [];
  for (const secret of secrets) {
    try {
      stripe.webhooks.constructEvent(payload, header, secret, tolerance, undefined, receivedAt * 1000);
      return { accepted: true, errors };
    } catch (error) {
      errors.push(`${error.type ?? error.name}: ${error.message.split("\n")[0]}`);
    }
  }
  return { accepted: false, errors };
}

const command = process.argv[2];
const cases = JSON.parse(await readStdin());
if (!Array.isArray(cases)) throw new Error("stdin must hold a JSON array");
const run = { sign, verify }[command];
if (!run) throw new Error(`usage: node stripe-sign.mjs sign|verify < cases.json (got '${command}')`);
process.stdout.write(JSON.stringify(cases.map(run)));
