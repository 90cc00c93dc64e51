// watchBalance against a real silo: live entries and balances, resuming after a crash and restart of the silo
// (same data, same port) from Last-Event-ID with no gap and no duplicate, stopping on abort, refusals not retried.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ForbiddenError, GridClient, NotFoundError, UnauthorizedError } from "../src/grid-client.js";
import { ADMIN_KEY, findSilo, missing, Silo } from "./support/silo.js";

const skip = missing("the built silo (silo/bin/*/net10.0/Grid.Silo.dll or GRID_SILO_DLL)", findSilo());

/** Takes updates from a watcher into an array, and lets a test wait for a condition on them. */
function collect(iterator) {
  const updates = [];
  const statuses = [];
  let wake = () => {};
  const done = (async () => {
    for await (const update of iterator) {
      updates.push(update);
      wake();
    }
  })();
  return {
    updates,
    statuses,
    done,
    async until(predicate, what, ms = 20_000) {
      const deadline = Date.now() + ms;
      while (!predicate(updates)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; have ${JSON.stringify(updates.map((u) => u.balance))}`);
        await new Promise((resolve) => {
          wake = resolve;
          setTimeout(resolve, 100);
        });
      }
    },
  };
}

describe("watchBalance", { skip }, () => {
  /** @type {Silo} */
  let silo;
  /** @type {GridClient} */
  let admin;

  before(async () => {
    silo = await new Silo().start();
    admin = new GridClient({ baseUrl: silo.baseUrl, token: ADMIN_KEY });
  });

  after(async () => {
    await silo?.dispose();
  });

  test("yields entries with the balance after each, live, from a read token", async () => {
    await admin.createAccount({ id: "live" });
    await admin.deposit("live", { amount: 100 });
    const { token } = await admin.issueToken("live", { scopes: ["read"] });
    const reader = new GridClient({ baseUrl: silo.baseUrl, token });
    const stop = new AbortController();
    const states = [];
    const watch = collect(reader.watchBalance("live", { signal: stop.signal, onStatus: (s) => states.push(s.state) }));
    await watch.until((u) => u.length === 2, "the history"); // the account's opening entry and the deposit
    assert.equal(watch.updates[1].balance.available, 100);

    await admin.debit("live", { amount: 30 });
    await admin.placeHold("live", { amount: 20 });
    await watch.until((u) => u.length === 4, "live entries");
    assert.deepEqual(watch.updates.map((u) => u.entry.kind).slice(2), ["debit", "hold"]);
    assert.deepEqual(watch.updates[3].balance, { available: 50, held: 20, sequence: watch.updates[3].entry.sequence });

    stop.abort();
    await watch.done;
    assert.deepEqual(states.slice(0, 2), ["connecting", "open"]);
    assert.equal(states.at(-1), "closed");
  });

  test("starts after a given sequence, and the callback form delivers the same", async () => {
    await admin.createAccount({ id: "from" });
    for (const amount of [1, 2, 3]) await admin.deposit("from", { amount });
    const journal = (await admin.getJournal("from")).entries;
    const seen = [];
    const subscription = admin.subscribeBalance("from", {
      after: journal[1].sequence,
      onEntry: (entry, balance) => seen.push([entry.amount, balance.available]),
    });
    const deadline = Date.now() + 10_000;
    while (seen.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    subscription.close();
    await subscription.done;
    assert.deepEqual(seen, [[2, 3], [3, 6]]);
  });

  test("resumes after the silo crashes and restarts: no gap, no duplicate", async () => {
    await admin.createAccount({ id: "resume" });
    await admin.deposit("resume", { amount: 1_000 });
    // The real fetch, noting the Last-Event-ID each connection sends.
    const resumedFrom = [];
    const noting = (url, init) => {
      resumedFrom.push(init.headers["Last-Event-ID"]);
      return fetch(url, init);
    };
    const watcher = new GridClient({ baseUrl: silo.baseUrl, token: ADMIN_KEY, fetch: noting });
    const stop = new AbortController();
    const states = [];
    const watch = collect(
      watcher.watchBalance("resume", { signal: stop.signal, minDelayMs: 100, maxDelayMs: 500, onStatus: (s) => states.push(s) }),
    );
    await watch.until((u) => u.length === 2, "the history");
    for (let i = 1; i <= 3; i++) await admin.debit("resume", { amount: i, operationId: `before-${i}` });
    await watch.until((u) => u.length === 5, "entries before the crash");

    await silo.kill();
    await silo.start();
    for (let i = 1; i <= 4; i++) await admin.debit("resume", { amount: 10 * i, operationId: `after-${i}` });
    await watch.until((u) => u.length === 9, "entries after the restart");
    // Nothing more arrives: a duplicate would show up here.
    await new Promise((r) => setTimeout(r, 500));
    stop.abort();
    await watch.done;

    const journal = (await admin.getJournal("resume")).entries;
    assert.deepEqual(watch.updates.map((u) => u.entry.sequence), journal.map((e) => e.sequence));
    assert.deepEqual(watch.updates.map((u) => u.entry.operationId), journal.map((e) => e.operationId));
    assert.equal(watch.updates.at(-1).balance.available, 1_000 - 6 - 100);
    const waits = states.filter((s) => s.state === "waiting");
    assert.ok(waits.length >= 1, "it saw the connection drop");
    assert.ok(waits.every((s) => s.delayMs <= 500), JSON.stringify(waits));
    assert.equal(resumedFrom[0], undefined, "the first connection starts from the beginning");
    assert.ok(resumedFrom.length >= 2, "it reconnected");
    assert.deepEqual(new Set(resumedFrom.slice(1)), new Set([String(journal[4].sequence)]), "every reconnect resumed from the last sequence it saw");
  });

  test("a refusal is thrown at once, not retried", async () => {
    let connects = 0;
    const onStatus = (s) => s.state === "connecting" && connects++;
    const missingAccount = admin.watchBalance("no-such-account", { onStatus });
    await assert.rejects(missingAccount.next(), NotFoundError);
    const stranger = new GridClient({ baseUrl: silo.baseUrl, token: "not-a-token" });
    await assert.rejects(stranger.watchBalance("live", { onStatus }).next(), UnauthorizedError);
    await admin.createAccount({ id: "elsewhere" });
    const { key } = await admin.issueKey({ accountId: "elsewhere", scopes: ["read"] });
    const neighbour = new GridClient({ baseUrl: silo.baseUrl, token: key });
    await assert.rejects(neighbour.watchBalance("live", { onStatus }).next(), ForbiddenError);
    assert.equal(connects, 3);
  });

  test("a connection that goes quiet past idleTimeoutMs is replaced, and nothing is delivered twice", async () => {
    await admin.createAccount({ id: "quiet" });
    const stop = new AbortController();
    const states = [];
    // Heartbeats come every 2 s here, so a 1.2 s idle limit drops the connection between them (and leaves a loaded
    // machine time to send the headers and the catch-up first).
    const watch = collect(
      admin.watchBalance("quiet", { signal: stop.signal, idleTimeoutMs: 1_200, minDelayMs: 50, maxDelayMs: 100, onStatus: (s) => states.push(s) }),
    );
    await watch.until((u) => u.length === 1, "the opening entry");
    const deadline = Date.now() + 10_000;
    while (states.filter((s) => s.state === "connecting").length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await admin.deposit("quiet", { amount: 9 });
    await watch.until((u) => u.length === 2, "the deposit");
    await new Promise((r) => setTimeout(r, 600));
    stop.abort();
    await watch.done;
    assert.ok(states.filter((s) => s.state === "connecting").length >= 3, "it reconnected after going idle");
    assert.deepEqual(watch.updates.map((u) => u.entry.kind), ["open", "deposit"]);
  });

  test("abort while the gateway is away ends the wait", async () => {
    await admin.createAccount({ id: "away" });
    const stop = new AbortController();
    const states = [];
    const watch = collect(admin.watchBalance("away", { signal: stop.signal, minDelayMs: 5_000, maxDelayMs: 5_000, onStatus: (s) => states.push(s.state) }));
    await watch.until((u) => u.length === 1, "the opening entry");
    await silo.kill();
    const deadline = Date.now() + 10_000;
    while (!states.includes("waiting") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    stop.abort();
    await watch.done;
    assert.ok(Date.now() - started < 4_000, "abort did not wait out the 5 s backoff");
    await silo.start();
  });
});
