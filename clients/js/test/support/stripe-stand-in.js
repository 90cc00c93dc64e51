// Stripe's Checkout API as far as the gateway uses it (POST and GET /v1/checkout/sessions), on a loopback port,
// answering what Stripe answers for a payment-mode session; and webhook deliveries signed by stripe-node itself.
import http from "node:http";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import { ORACLES } from "./chain.js";

export const STRIPE_SECRET_KEY = "sk_test_51GridJsClientStandIn0123456789abcdefghijklmnopqrstuvwxyz";
export const WEBHOOK_SECRET = "whsec_js_client_test_0123456789abcdef";

const id = (prefix) => `${prefix}_${randomBytes(12).toString("hex")}`;

export class StripeStandIn {
  constructor() {
    /** @type {Map<string, object>} */
    this.sessions = new Map();
    /** Every request received, as "METHOD /path". */
    this.requests = [];
    this.server = http.createServer((request, response) => this.#handle(request, response));
  }

  get baseUrl() {
    return `http://127.0.0.1:${this.server.address().port}/`;
  }

  async start() {
    await new Promise((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return this;
  }

  async dispose() {
    await new Promise((resolve) => this.server.close(resolve));
  }

  async #handle(request, response) {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
    const answer = (status, body) => {
      response.writeHead(status, { "Content-Type": "application/json", "Request-Id": id("req") });
      response.end(JSON.stringify(body));
    };
    const url = new URL(request.url, "http://stand-in");
    this.requests.push(`${request.method} ${url.pathname}`);
    if (request.headers.authorization !== `Bearer ${STRIPE_SECRET_KEY}`) {
      return answer(401, { error: { type: "invalid_request_error", message: "Invalid API Key provided" } });
    }
    if (request.method === "POST" && url.pathname === "/v1/checkout/sessions") {
      if (form.get("mode") !== "payment" || !form.get("success_url") || !form.get("line_items[0][price_data][unit_amount]")) {
        return answer(400, { error: { type: "invalid_request_error", message: "mode=payment, success_url and line_items are required" } });
      }
      const sessionId = id("cs_test");
      const metadata = {};
      for (const [key, value] of form) {
        const match = /^metadata\[([^\]]+)\]$/.exec(key);
        if (match) metadata[match[1]] = value;
      }
      const total = Number(form.get("line_items[0][price_data][unit_amount]")) * Number(form.get("line_items[0][quantity]") ?? 1);
      const created = Math.floor(Date.now() / 1000);
      const session = {
        id: sessionId,
        object: "checkout.session",
        amount_subtotal: total,
        amount_total: total,
        cancel_url: form.get("cancel_url"),
        client_reference_id: form.get("client_reference_id"),
        created,
        currency: form.get("line_items[0][price_data][currency]"),
        customer: form.get("customer"),
        expires_at: created + 24 * 3600,
        livemode: false,
        metadata,
        mode: "payment",
        payment_intent: null,
        payment_status: "unpaid",
        status: "open",
        success_url: form.get("success_url"),
        url: `https://checkout.stripe.com/c/pay/${sessionId}`,
      };
      this.sessions.set(sessionId, session);
      return answer(200, session);
    }
    const match = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(url.pathname);
    if (request.method === "GET" && match && this.sessions.has(match[1])) return answer(200, this.sessions.get(match[1]));
    return answer(404, { error: { type: "invalid_request_error", message: `Unrecognized request URL (${request.method}: ${url.pathname})` } });
  }
}

/** A checkout.session.completed delivery for a paid session: the body and its Stripe-Signature, made by stripe-node. */
export function completedDelivery(session) {
  const Stripe = createRequire(path.join(ORACLES, "package.json"))("stripe");
  const stripe = new Stripe("sk_test_oracle_never_used_for_requests");
  const now = Math.floor(Date.now() / 1000);
  const body = JSON.stringify(
    {
      id: id("evt"),
      object: "event",
      api_version: "2024-06-20",
      created: now,
      data: { object: { ...session, status: "complete", payment_status: "paid", payment_intent: id("pi"), url: null } },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: "checkout.session.completed",
    },
    null,
    2,
  );
  const signature = stripe.webhooks.generateTestHeaderString({ payload: body, secret: WEBHOOK_SECRET, timestamp: now });
  return { body, signature };
}
