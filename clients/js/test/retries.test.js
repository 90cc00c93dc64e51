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

/**
 * A client against a local server that answers each request's body with `answer(body, count)`, then closes.
 * @param {(body: string, count: number) => {status: number, headers?: object, body?: string}} answer
 * @param {(client: GridClient) => Promise<void>} use
 */
async function withServer(answer, use) {
  let count = 0;
  const server = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk) => (text += chunk));
    request.on("end", () => {
      const reply = answer(text, ++count);
      response.writeHead(reply.status, reply.headers).end(reply.body);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await use(new GridClient({ baseUrl: `http://127.0.0.1:${server.address().port}`, token: "gk_test", maxRetries: 2 }));
  } finally {
    server.close();
  }
}

test("a proxy's 502 and 504 are sent again with the same body and operationId", async () => {
  const bodies = [];
  const answer = (body, count) => {
    bodies.push(body);
    return count < 3
      ? { status: count === 1 ? 502 : 504 }
      : { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ applied: true }) };
  };
  await withServer(answer, async (client) => {
    assert.deepEqual(await client.debit("acc-1", { amount: 5 }), { applied: true });
  });
  assert.equal(bodies.length, 3);
  assert.equal(new Set(bodies).size, 1);
  assert.match(JSON.parse(bodies[0]).operationId, /^[0-9a-f-]{36}$/);
});

test("the gateway's own 502 (the payment provider refused) is an answer, thrown at once", async () => {
  let requests = 0;
  const problem = { status: 502, title: "Payment provider error", code: "payment_provider_error", detail: "Stripe said no." };
  const answer = () => {
    requests++;
    return { status: 502, headers: { "content-type": "application/problem+json" }, body: JSON.stringify(problem) };
  };
  await withServer(answer, async (client) => {
    const error = await client.startCheckout("acc-1", { packageId: "credits-2000" }).catch((e) => e);
    assert.equal(error.code, "payment_provider_error");
  });
  assert.equal(requests, 1);
});

test("an attempt that gets no answer in timeoutMs counts as no answer and is sent again, then ends in a NetworkError", async () => {
  let requests = 0;
  const server = createServer(() => {
    requests++; // never answered: a stalled proxy
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const client = new GridClient({ baseUrl: `http://127.0.0.1:${server.address().port}`, token: "gk_test", maxRetries: 1, timeoutMs: 1_500 }); // room for a loaded machine to connect before the timer fires
    const failed = await client.debit("acc-1", { amount: 5, operationId: "stalled-1" }).catch((e) => e);
    assert.ok(failed instanceof NetworkError, String(failed));
    assert.equal(failed.operationId, "stalled-1");
    assert.equal(requests, 2);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test("a DELETE sent again that finds nothing to delete succeeded the first time", async () => {
  let requests = 0;
  const server = createServer((request, response) => {
    if (++requests === 1) {
      request.socket.destroy(); // done, but the answer is lost
      return;
    }
    response.writeHead(404, { "content-type": "application/problem+json" }).end(JSON.stringify({ status: 404, title: "Not found", code: "not_found" }));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const client = new GridClient({ baseUrl: `http://127.0.0.1:${server.address().port}`, token: "gk_test", maxRetries: 2 });
    assert.equal(await client.unlinkWallet("acc-1", "0x0000000000000000000000000000000000000001"), undefined);
    assert.equal(requests, 2);
  } finally {
    server.close();
  }
});
