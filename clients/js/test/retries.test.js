// Commands sent again without a silo's answer: the same body and operationId every time, and an error that ends them
// names that id, so a caller retrying by hand cannot apply the command twice.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { test } from "node:test";
import { GridClient, NetworkError } from "../src/grid-client.js";
import { freePort } from "./support/silo.js";

test("a command that got no answer names its operationId, made or given", async () => {
  const nowhere = new GridClient({ baseUrl: `http://127.0.0.1:${await freePort()}`, maxRetries: 0 });
  const made = await nowhere.debit("acc-1", { amount: 5 }).catch((e) => e);
  assert.ok(made instanceof NetworkError, String(made));
  assert.match(made.operationId, /^[0-9a-f-]{36}$/);
  const given = await nowhere.debit("acc-1", { amount: 5, operationId: "buy-7" }).catch((e) => e);
  assert.equal(given.operationId, "buy-7");
});

test("a proxy's 502 and 504 are sent again with the same body and operationId", async () => {
  const bodies = [];
  const server = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk) => (text += chunk));
    request.on("end", () => {
      bodies.push(text);
      if (bodies.length < 3) {
        response.writeHead(bodies.length === 1 ? 502 : 504).end();
      } else {
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ applied: true }));
      }
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const client = new GridClient({ baseUrl: `http://127.0.0.1:${server.address().port}`, token: "gk_test", maxRetries: 2 });
    assert.deepEqual(await client.debit("acc-1", { amount: 5 }), { applied: true });
    assert.equal(bodies.length, 3);
    assert.equal(new Set(bodies).size, 1);
    assert.match(JSON.parse(bodies[0]).operationId, /^[0-9a-f-]{36}$/);
  } finally {
    server.close();
  }
});

test("the gateway's own 502 (the payment provider refused) is an answer, thrown at once", async () => {
  let requests = 0;
  const server = createServer((request, response) => {
    requests++;
    request.resume();
    request.on("end", () => {
      const problem = { status: 502, title: "Payment provider error", code: "payment_provider_error", detail: "Stripe said no." };
      response.writeHead(502, { "content-type": "application/problem+json" }).end(JSON.stringify(problem));
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const client = new GridClient({ baseUrl: `http://127.0.0.1:${server.address().port}`, token: "gk_test", maxRetries: 2 });
    const error = await client.startCheckout("acc-1", { packageId: "credits-2000" }).catch((e) => e);
    assert.equal(error.code, "payment_provider_error");
    assert.equal(requests, 1);
  } finally {
    server.close();
  }
});
