// Card top-ups through the client against a silo whose Stripe is a stand-in: the packages, a Checkout session
// for one of them (the payer would be sent to checkoutUrl), then Stripe's signed webhook credits the account,
// which the payment's status and the balance stream both show. Auto-reload settings saved, read and turned off.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ForbiddenError, GridClient, ValidationError } from "../src/grid-client.js";
import { ADMIN_KEY, findSilo, missing, Silo } from "./support/silo.js";
import { completedDelivery, STRIPE_SECRET_KEY, StripeStandIn, WEBHOOK_SECRET } from "./support/stripe-stand-in.js";

const skip = missing("the built silo (silo/bin/*/net10.0/Grid.Silo.dll or GRID_SILO_DLL)", findSilo());

describe("card checkout", { skip }, () => {
  let stripe;
  let silo;
  let admin;

  before(async () => {
    stripe = await new StripeStandIn().start();
    silo = await new Silo({
      settings: {
        Grid__Stripe__SecretKey: STRIPE_SECRET_KEY,
        Grid__Stripe__ApiBase: stripe.baseUrl,
        Grid__Stripe__WebhookSecrets__0: WEBHOOK_SECRET,
      },
    }).start();
    admin = new GridClient({ baseUrl: silo.baseUrl, token: ADMIN_KEY });
  });

  after(async () => {
    await silo?.dispose();
    await stripe?.dispose();
  });

  test("buy a package: checkoutUrl, then the signed webhook credits the account live", async () => {
    await admin.createAccount({ id: "buyer" });
    const { token } = await admin.issueToken("buyer", { scopes: ["charge"] });
    const buyer = new GridClient({ baseUrl: silo.baseUrl, token });

    const { packages } = await new GridClient({ baseUrl: silo.baseUrl }).listTopUpPackages();
    const chosen = packages.find((p) => p.id === "credits-2000");
    assert.deepEqual(chosen, { id: "credits-2000", credits: 2000, priceCents: 200, currency: "usd" });

    const stop = new AbortController();
    const seen = [];
    const watching = (async () => {
      for await (const update of buyer.watchBalance("buyer", { signal: stop.signal })) seen.push(update);
    })();

    const checkout = await buyer.startCheckout("buyer", { packageId: chosen.id, operationId: "u:buy-2000" });
    const session = [...stripe.sessions.values()].find((s) => s.client_reference_id === checkout.paymentId);
    assert.ok(session, "the gateway created a Checkout session");
    assert.equal(checkout.checkoutUrl, session.url);
    assert.equal(session.amount_total, 200);
    assert.equal((await buyer.startCheckout("buyer", { packageId: chosen.id, operationId: "u:buy-2000" })).paymentId, checkout.paymentId);
    assert.equal((await buyer.getPayment(checkout.paymentId)).status, "pending"); // open at Stripe, nothing paid yet

    const { body, signature } = completedDelivery(session);
    const delivered = await fetch(`${silo.baseUrl}/v1/webhooks/stripe`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Stripe-Signature": signature },
      body,
    });
    assert.equal(delivered.status, 200, await delivered.clone().text());

    const payment = await buyer.waitForPayment(checkout.paymentId, { pollIntervalMs: 100 });
    assert.equal(payment.status, "credited");
    assert.equal(payment.credited, 2000);

    const deadline = Date.now() + 10_000;
    while (!seen.some((u) => u.entry.kind === "deposit") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    stop.abort();
    await watching;
    const deposit = seen.find((u) => u.entry.kind === "deposit");
    assert.equal(deposit?.entry.amount, 2000);
    assert.equal(deposit.balance.available, 2000);
  });

  test("an unknown package is a validation error naming packageId", async () => {
    await admin.createAccount({ id: "picky" });
    const error = await admin.startCheckout("picky", { packageId: "credits-7" }).catch((e) => e);
    assert.ok(error instanceof ValidationError, String(error));
    assert.ok(error.errors.packageId, JSON.stringify(error.errors));
  });

  test("auto-reload: invalid settings name their field; valid ones round-trip; delete turns it off", async () => {
    await admin.createAccount({ id: "reloader" });
    // Above the threshold: saving charges nothing, so no card is asked for.
    await admin.deposit("reloader", { amount: 5_000 });
    const stripeCalls = stripe.requests.length;
    const valid = { customerId: "cus_reloader", paymentMethodId: "pm_card_visa", thresholdCredits: 1_000, amountCents: 500 };

    for (const [settings, field] of [
      [{ ...valid, customerId: "reloader" }, "customerId"],
      [{ ...valid, paymentMethodId: "tok_1" }, "paymentMethodId"],
      [{ ...valid, thresholdCredits: 0 }, "thresholdCredits"],
      [{ ...valid, targetCredits: 3_000 }, "amountCents"], // a fixed charge or a target, not both
      [{ ...valid, amountCents: undefined, targetCredits: 1_000 }, "targetCredits"], // a target above the threshold
      [{ ...valid, amountCents: 10 }, "amountCents"], // below the card minimum
    ]) {
      const error = await admin.setAutoReload("reloader", settings).catch((e) => e);
      assert.ok(error instanceof ValidationError, `${field}: ${error}`);
      assert.equal(error.code, "validation_failed");
      assert.ok(error.errors[field]?.length > 0, `${field}: ${JSON.stringify(error.errors)}`);
    }
    assert.equal((await admin.getAutoReload("reloader")).enabled, false, "no refused setting was saved");

    const saved = await admin.setAutoReload("reloader", valid);
    const expected = {
      accountId: "reloader",
      enabled: true,
      ...valid,
      targetCredits: null,
      inFlightPaymentId: null,
      lastPaymentId: null,
      failures: 0,
      nextAttemptAt: null,
      disabledReason: null,
    };
    assert.deepEqual(saved, expected);
    assert.deepEqual(await admin.getAutoReload("reloader"), expected);
    const { token } = await admin.issueToken("reloader", { scopes: ["read"] });
    const reader = new GridClient({ baseUrl: silo.baseUrl, token });
    assert.deepEqual(await reader.getAutoReload("reloader"), expected, "a read token sees the settings");
    assert.ok((await reader.setAutoReload("reloader", valid).catch((e) => e)) instanceof ForbiddenError);
    assert.ok((await reader.deleteAutoReload("reloader").catch((e) => e)) instanceof ForbiddenError);

    const target = await admin.setAutoReload("reloader", { ...valid, amountCents: undefined, targetCredits: 4_000 });
    assert.equal(target.amountCents, null);
    assert.equal(target.targetCredits, 4_000);

    const disabled = await admin.deleteAutoReload("reloader");
    assert.equal(disabled.enabled, false);
    assert.equal(disabled.disabledReason, null);
    assert.equal((await admin.getAutoReload("reloader")).enabled, false);
    assert.deepEqual(stripe.requests.slice(stripeCalls), [], "no card was charged: Stripe was never asked");
  });
});
