// The client's routes against a real silo: accounts and ledger commands, freezing and closing, holds, the journal,
// keys and guest tokens, casts, sessions, usage and pricing, auto-reload without card payments; problem+json answers
// as typed errors; operation ids.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  ForbiddenError,
  GridClient,
  GridError,
  IdempotencyConflictError,
  InsufficientFundsError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  UnauthorizedError,
  ValidationError,
  ConflictError,
} from "../src/grid-client.js";
import { ADMIN_KEY, findSilo, freePort, missing, Silo } from "./support/silo.js";

const skip = missing("the built silo (silo/bin/*/net10.0/Grid.Silo.dll or GRID_SILO_DLL)", findSilo());

describe("GridClient against a silo", { skip }, () => {
  /** @type {Silo} */
  let silo;
  /** @type {GridClient} */
  let admin;
  let next = 0;
  const fresh = (prefix) => `${prefix}-${process.pid}-${++next}`;

  before(async () => {
    silo = await new Silo().start();
    admin = new GridClient({ baseUrl: silo.baseUrl, token: ADMIN_KEY });
  });

  after(async () => {
    await silo?.dispose();
  });

  test("accounts, deposits, debits and the balance", async () => {
    const id = fresh("acct");
    const account = await admin.createAccount({ id, name: "Ada" });
    assert.equal(account.id, id);
    assert.deepEqual(account.balance, { available: 0, held: 0, sequence: account.balance.sequence });
    const deposited = await admin.deposit(id, { amount: 1_000, reference: "seed" });
    assert.equal(deposited.entry.kind, "deposit");
    assert.equal(deposited.balance.available, 1_000);
    const debited = await admin.debit(id, { amount: 300, reason: "render", metadata: { job: 7 } });
    assert.equal(debited.balance.available, 700);
    assert.deepEqual(debited.entry.metadata, { job: 7 });
    await admin.refund(id, { amount: 100 });
    await admin.adjust(id, { amount: -50, reason: "correction" });
    assert.deepEqual(await admin.getBalance(id), { available: 550, held: 0, sequence: (await admin.getAccount(id)).balance.sequence });
    const generated = await admin.createAccount();
    assert.match(generated.id, /.+/);
  });

  test("operation ids are made by default and a given one is idempotent", async () => {
    const id = fresh("idem");
    await admin.createAccount({ id });
    await admin.deposit(id, { amount: 500 });
    const first = await admin.debit(id, { amount: 10 });
    const second = await admin.debit(id, { amount: 10 });
    assert.notEqual(first.entry.operationId, second.entry.operationId);
    assert.match(first.entry.operationId, /^[0-9a-f-]{36}$/);

    const once = await admin.debit(id, { amount: 20, operationId: "buy-1" });
    const again = await admin.debit(id, { amount: 20, operationId: "buy-1" });
    assert.deepEqual(again, once);
    assert.equal((await admin.getBalance(id)).available, 460);

    const conflict = await admin.debit(id, { amount: 21, operationId: "buy-1" }).catch((e) => e);
    assert.ok(conflict instanceof IdempotencyConflictError, String(conflict));
    assert.equal(conflict.status, 409);
    assert.equal(conflict.code, "idempotency_conflict");
    assert.equal(conflict.field, "amount");
    assert.throws(() => admin.debit(id, { amount: 1, operationId: "has space" }), TypeError);
  });

  test("problem+json answers become typed errors", async () => {
    const id = fresh("errors");
    await admin.createAccount({ id });
    await admin.deposit(id, { amount: 100 });

    const poor = await admin.debit(id, { amount: 101 }).catch((e) => e);
    assert.ok(poor instanceof InsufficientFundsError, String(poor));
    assert.equal(poor.status, 402);
    assert.equal(poor.available, 100);
    assert.equal(poor.required, 101);
    assert.equal(poor.retryable, false);

    const invalid = await admin.debit(id, { amount: 0 }).catch((e) => e);
    assert.ok(invalid instanceof ValidationError);
    assert.equal(invalid.code, "validation_failed");
    assert.ok(invalid.errors.amount?.length > 0, JSON.stringify(invalid.errors));

    const unknown = await admin.getAccount(fresh("nobody")).catch((e) => e);
    assert.ok(unknown instanceof NotFoundError);
    assert.equal(unknown.status, 404);

    const exists = await admin.createAccount({ id }).catch((e) => e);
    assert.ok(exists instanceof ConflictError);
    assert.equal(exists.code, "already_exists");

    const anonymous = new GridClient({ baseUrl: silo.baseUrl });
    const refused = await anonymous.getAccount(id).catch((e) => e);
    assert.ok(refused instanceof UnauthorizedError);
    assert.equal(refused.code, "unauthorized");

    const other = fresh("other");
    await admin.createAccount({ id: other });
    const { key } = await admin.issueKey({ accountId: other, scopes: ["read"] });
    const forbidden = await new GridClient({ baseUrl: silo.baseUrl, token: key }).getAccount(id).catch((e) => e);
    assert.ok(forbidden instanceof ForbiddenError);
    assert.ok(forbidden instanceof GridError);
  });

  test("freeze refuses spending until unfreeze; close refuses a non-empty account and closes an empty one", async () => {
    const id = fresh("frozen");
    await admin.createAccount({ id });
    await admin.deposit(id, { amount: 100 });
    const hold = await admin.placeHold(id, { amount: 10 });

    // An account key with admin scope may freeze its own account, but only the operator unfreezes or closes it.
    const { key } = await admin.issueKey({ accountId: id, scopes: ["admin", "charge"] });
    const owner = new GridClient({ baseUrl: silo.baseUrl, token: key });
    const frozen = await owner.freezeAccount(id, { reason: "card stolen", operationId: "freeze-1" });
    assert.equal(frozen.entry.kind, "freeze");
    assert.deepEqual(frozen.balance, { available: 90, held: 10, sequence: frozen.balance.sequence });
    assert.deepEqual(await owner.freezeAccount(id, { reason: "card stolen", operationId: "freeze-1" }), frozen);
    assert.equal((await admin.getAccount(id)).status, "frozen");

    for (const refused of [
      await owner.debit(id, { amount: 1 }).catch((e) => e),
      await owner.placeHold(id, { amount: 1 }).catch((e) => e),
      await admin.refund(id, { amount: 1 }).catch((e) => e),
    ]) {
      assert.ok(refused instanceof ConflictError, String(refused));
      assert.equal(refused.status, 409);
      assert.equal(refused.code, "account_frozen");
      assert.equal(refused.retryable, false);
    }
    assert.equal((await owner.getBalance(id)).available, 90, "nothing was spent");
    const again = await admin.freezeAccount(id).catch((e) => e);
    assert.ok(again instanceof ConflictError && again.code === "invalid_state", String(again));
    assert.ok((await owner.unfreezeAccount(id).catch((e) => e)) instanceof ForbiddenError);

    const unfrozen = await admin.unfreezeAccount(id);
    assert.equal(unfrozen.entry.kind, "unfreeze");
    assert.equal((await admin.getAccount(id)).status, "active");
    assert.equal((await owner.debit(id, { amount: 40 })).balance.available, 50);

    assert.ok((await owner.closeAccount(id).catch((e) => e)) instanceof ForbiddenError);
    const notEmpty = await admin.closeAccount(id).catch((e) => e);
    assert.ok(notEmpty instanceof ConflictError, String(notEmpty));
    assert.equal(notEmpty.code, "account_not_empty");
    await owner.voidHold(id, hold.id);
    assert.equal((await admin.closeAccount(id).catch((e) => e)).code, "account_not_empty", "available credits keep it open too");
    await owner.debit(id, { amount: 60 });

    const closed = await admin.closeAccount(id, { operationId: "close-1" });
    assert.equal(closed.entry.kind, "close");
    assert.deepEqual(closed.balance, { available: 0, held: 0, sequence: closed.balance.sequence });
    assert.deepEqual(await admin.closeAccount(id, { operationId: "close-1" }), closed);
    assert.equal((await admin.getAccount(id)).status, "closed");
    const afterClose = await admin.deposit(id, { amount: 5 }).catch((e) => e);
    assert.ok(afterClose instanceof ConflictError, String(afterClose));
    assert.equal(afterClose.code, "account_closed");
  });

  test("auto-reload without card payments: settings are validated, then refused as not configured", async () => {
    const id = fresh("reload");
    await admin.createAccount({ id });
    const off = await admin.getAutoReload(id);
    assert.equal(off.accountId, id);
    assert.equal(off.enabled, false);

    const invalid = await admin.setAutoReload(id, { customerId: "cus_1", paymentMethodId: "pm_1" }).catch((e) => e);
    assert.ok(invalid instanceof ValidationError, String(invalid));
    assert.ok(invalid.errors.thresholdCredits?.length > 0, JSON.stringify(invalid.errors));

    const refused = await admin.setAutoReload(id, { customerId: "cus_1", paymentMethodId: "pm_1", thresholdCredits: 100, amountCents: 500 }).catch((e) => e);
    assert.ok(refused instanceof GridError, String(refused));
    assert.equal(refused.status, 503);
    assert.equal(refused.code, "payments_not_configured");
    assert.equal(refused.retryable, false, "configuration, not a passing outage");
    assert.equal((await admin.getAutoReload(id)).enabled, false);
  });

  test("no answer is a retryable NetworkError after the retries", async () => {
    const port = await freePort();
    const nowhere = new GridClient({ baseUrl: `http://127.0.0.1:${port}`, maxRetries: 1 });
    const error = await nowhere.getPricing().catch((e) => e);
    assert.ok(error instanceof NetworkError, String(error));
    assert.equal(error.retryable, true);
    assert.equal(error.status, 0);
  });

  test("holds: place, capture in parts, void, list", async () => {
    const id = fresh("holds");
    await admin.createAccount({ id });
    await admin.deposit(id, { amount: 1_000 });
    const hold = await admin.placeHold(id, { amount: 400, expiresInSeconds: 600, operationId: fresh("hold") });
    assert.equal(hold.status, "open");
    assert.equal((await admin.getBalance(id)).held, 400);
    assert.deepEqual((await admin.listHolds(id)).holds.map((h) => h.id), [hold.id]);

    const part = await admin.captureHold(id, hold.id, { amount: 100, final: false });
    assert.equal(part.hold.captured, 100);
    const last = await admin.captureHold(id, hold.id, { amount: 50 });
    assert.equal(last.hold.status, "captured");
    assert.deepEqual(last.balance, { available: 850, held: 0, sequence: last.balance.sequence });
    const closed = await admin.voidHold(id, hold.id).catch((e) => e);
    assert.ok(closed instanceof ConflictError);
    assert.equal(closed.code, "hold_closed");

    const second = await admin.placeHold(id, { amount: 200 });
    const voided = await admin.voidHold(id, second.id);
    assert.equal(voided.hold.status, "voided");
    assert.equal(voided.balance.available, 850);
    assert.deepEqual((await admin.listHolds(id)).holds, []);
  });

  test("journal pages and the entry iterator", async () => {
    const id = fresh("journal");
    await admin.createAccount({ id });
    for (let i = 1; i <= 5; i++) await admin.deposit(id, { amount: i });
    const page = await admin.getJournal(id, { limit: 2 });
    assert.equal(page.entries.length, 2);
    const all = [];
    for await (const entry of admin.journalEntries(id, { pageSize: 2 })) all.push(entry);
    const deposits = all.filter((e) => e.kind === "deposit").map((e) => e.amount);
    assert.deepEqual(deposits, [1, 2, 3, 4, 5]);
    const sequences = all.map((e) => e.sequence);
    assert.deepEqual(sequences, [...sequences].sort((a, b) => a - b));
    const tail = [];
    for await (const entry of admin.journalEntries(id, { after: sequences.at(-2) })) tail.push(entry.sequence);
    assert.deepEqual(tail, [sequences.at(-1)]);
  });

  test("keys: issue, list, revoke; guest tokens", async () => {
    const id = fresh("keys");
    await admin.createAccount({ id });
    await admin.deposit(id, { amount: 100 });
    const issued = await admin.issueKey({ accountId: id, scopes: ["charge"], name: "server" });
    assert.match(issued.key, /^gk_/);
    const asKey = new GridClient({ baseUrl: silo.baseUrl, token: issued.key });
    assert.equal((await asKey.debit(id, { amount: 1 })).balance.available, 99);
    const listed = await admin.listKeys(id);
    assert.ok(listed.keys.some((k) => k.id === issued.id && !("key" in k)), JSON.stringify(listed));
    await admin.revokeKey(issued.id);
    assert.ok((await asKey.getAccount(id).catch((e) => e)) instanceof UnauthorizedError);

    const guest = await admin.issueToken(id, { scopes: ["read"], expiresInSeconds: 60 });
    const asGuest = new GridClient({ baseUrl: silo.baseUrl, token: guest.token });
    assert.equal((await asGuest.getAccount(id)).id, id);
    assert.ok((await asGuest.debit(id, { amount: 1 }).catch((e) => e)) instanceof ForbiddenError);

    // setToken switches the credential of later calls.
    asGuest.setToken(null);
    assert.equal(asGuest.token, null);
    assert.ok((await asGuest.getAccount(id).catch((e) => e)) instanceof UnauthorizedError);
    asGuest.setToken(guest.token);
    assert.equal((await asGuest.getBalance(id)).available, 99);

    // revokeTokens ends every token issued so far (the guest's own is refused the revocation); later ones work.
    assert.ok((await asGuest.revokeTokens(id).catch((e) => e)) instanceof ForbiddenError);
    await admin.revokeTokens(id);
    assert.ok((await asGuest.getAccount(id).catch((e) => e)) instanceof UnauthorizedError);
    await new Promise((r) => setTimeout(r, 5)); // revocation covers tokens issued up to its millisecond
    const later = await admin.issueToken(id, { scopes: ["read"] });
    assert.equal((await new GridClient({ baseUrl: silo.baseUrl, token: later.token }).getAccount(id)).id, id);
  });

  test("pricing, casts, sessions and usage", async () => {
    const pricing = await new GridClient({ baseUrl: silo.baseUrl }).getPricing();
    assert.ok(Array.isArray(pricing.kinds) && pricing.kinds.length > 0, JSON.stringify(pricing));

    const id = fresh("caster");
    const host = fresh("host");
    await admin.createAccount({ id });
    await admin.createAccount({ id: host });
    await admin.deposit(id, { amount: 10_000 });

    const castId = fresh("cast");
    const cast = await admin.startCast({ accountId: id, quote: 100, operationId: castId });
    assert.equal(cast.id, castId);
    assert.equal((await admin.getBalance(id)).held, 120);
    const completed = await admin.completeCast(castId, { price: 80 });
    assert.equal(completed.charged, 80);
    assert.equal((await admin.getCast(castId)).status, completed.status);
    const failing = await admin.startCast({ accountId: id, quote: 10 });
    const failed = await admin.failCast(failing.id, { reason: "provider down" });
    assert.equal(failed.status, "failed");
    assert.deepEqual(await admin.getBalance(id), { available: 9_920, held: 0, sequence: (await admin.getAccount(id)).balance.sequence });

    const session = await admin.startSession({ accountId: id, hostAccountId: host, deposit: 1_000, pricePerUnit: 2, checkpointUnits: 10 });
    await admin.reportSessionUsage(session.id, { units: 25 });
    const ended = await admin.endSession(session.id);
    assert.equal((await admin.getSession(session.id)).status, ended.status);
    assert.equal((await admin.getBalance(id)).available, 9_920 - 50);

    const usage = await admin.getUsage(id, { groupBy: "kind" });
    assert.ok(Array.isArray(usage.rows), JSON.stringify(usage));
    const csv = await admin.getUsage(id, { format: "csv" });
    assert.match(csv, /^day,count,units,charged,needsReview\n/);
  });

  test("rate_limited carries retryAfter", async (t) => {
    const limited = await new Silo({
      settings: {
        Grid__RateLimits__PermitsPerSecond: "1",
        Grid__RateLimits__Burst: "1",
      },
    }).start();
    t.after(() => limited.dispose());
    const operator = new GridClient({ baseUrl: limited.baseUrl, token: ADMIN_KEY });
    await operator.createAccount({ id: "limited" });
    const { key } = await operator.issueKey({ accountId: "limited", scopes: ["read"] });
    const client = new GridClient({ baseUrl: limited.baseUrl, token: key });
    const answers = await Promise.allSettled([1, 2, 3, 4].map(() => client.getAccount("limited")));
    const refusal = answers.find((a) => a.status === "rejected")?.reason;
    assert.ok(refusal instanceof RateLimitedError, String(refusal));
    assert.equal(refusal.code, "rate_limited");
    assert.ok(refusal.retryAfter >= 1);
    assert.equal(refusal.retryable, true);
  });
});
