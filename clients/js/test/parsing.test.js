// The client's own parsing and hashing: server-sent event framing split at every byte, Keccak-256 and EIP-55
// checked against ethers (tests/oracles), UUID operation ids without randomUUID, problem bodies to error classes.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import {
  ConflictError,
  errorFromProblem,
  GridError,
  InsufficientFundsError,
  keccak256,
  readEventStream,
  toChecksumAddress,
  UnavailableError,
} from "../src/grid-client.js";
import { ORACLES } from "./support/chain.js";
import { missing } from "./support/silo.js";

function streamOf(chunks) {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

async function events(chunks) {
  const out = [];
  for await (const event of readEventStream(streamOf(chunks))) out.push(event);
  return out;
}

test("event stream: fields, comments, multi-line data, every line ending, any chunking", async () => {
  const text =
    ": heartbeat\n\n" +
    "id: 1\nevent: entry\ndata: {\"a\":1}\n\n" +
    "id: 2\r\nevent: entry\r\ndata: line1\r\ndata: line2\r\n\r\n" +
    "id: 3\revent: entry\rdata:no-space\r\r" +
    "data: plain\n\n" +
    "id: 4\nevent: entry\n\n";
  const expected = [
    { event: "entry", data: "{\"a\":1}", id: "1" },
    { event: "entry", data: "line1\nline2", id: "2" },
    { event: "entry", data: "no-space", id: "3" },
    { event: "message", data: "plain", id: undefined },
  ];
  assert.deepEqual(await events([text]), expected);
  const bytes = new TextEncoder().encode(text);
  for (let cut = 1; cut < bytes.length; cut++) {
    assert.deepEqual(await events([bytes.slice(0, cut), bytes.slice(cut)]), expected, `split at ${cut}`);
  }
  // A multi-byte character split across chunks.
  const euro = new TextEncoder().encode("data: 5€\n\n");
  assert.deepEqual(await events([euro.slice(0, 8), euro.slice(8)]), [{ event: "message", data: "5€", id: undefined }]);
});

const ethersSkip = missing(`ethers in ${ORACLES}`, existsSync(path.join(ORACLES, "node_modules", "ethers")));

test("keccak256 and EIP-55 agree with ethers", { skip: ethersSkip }, () => {
  const { keccak256: ethersKeccak, getAddress, hexlify, randomBytes } = createRequire(path.join(ORACLES, "package.json"))("ethers");
  for (const length of [0, 1, 31, 135, 136, 137, 271, 272, 1000]) {
    const bytes = randomBytes(length);
    assert.equal(hexlify(keccak256(bytes)), ethersKeccak(bytes), `length ${length}`);
  }
  for (let i = 0; i < 50; i++) {
    const address = hexlify(randomBytes(20));
    assert.equal(toChecksumAddress(address), getAddress(address));
    assert.equal(toChecksumAddress(address.toUpperCase().replace("0X", "0x")), getAddress(address));
  }
  assert.throws(() => toChecksumAddress("0x1234"), TypeError);
});

test("problem bodies pick their error class by code, then status", () => {
  const poor = errorFromProblem({ status: 402, code: "insufficient_funds", detail: "no", available: 3, required: 5 });
  assert.ok(poor instanceof InsufficientFundsError && poor instanceof GridError);
  assert.deepEqual([poor.available, poor.required, poor.message], [3, 5, "no"]);
  const frozen = errorFromProblem({ status: 409, code: "account_frozen", title: "Account frozen" });
  assert.ok(frozen instanceof ConflictError);
  assert.equal(frozen.code, "account_frozen");
  const busy = errorFromProblem({ status: 503 }, { retryAfter: 2 });
  assert.ok(busy instanceof UnavailableError);
  assert.deepEqual([busy.code, busy.retryable, busy.retryAfter], ["unavailable", true, 2]);
  const odd = errorFromProblem({ status: 418, title: "teapot" });
  assert.equal(odd.constructor, GridError);
  assert.equal(odd.code, "http_418");
});

test("operation ids are UUIDs also where randomUUID is missing (an http page that is not localhost)", async () => {
  const { GridClient } = await import("../src/grid-client.js");
  const client = new GridClient({ baseUrl: "http://127.0.0.1:1" });
  const original = globalThis.crypto.randomUUID;
  Object.defineProperty(globalThis.crypto, "randomUUID", { value: undefined, configurable: true });
  try {
    const ids = new Set(Array.from({ length: 100 }, () => client.newOperationId()));
    assert.equal(ids.size, 100);
    for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  } finally {
    Object.defineProperty(globalThis.crypto, "randomUUID", { value: original, configurable: true });
  }
});
