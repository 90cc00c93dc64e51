// Credit Grid's HTTP gateway from browsers and Node 20+: the v1 routes (API.md), problem+json answers as typed
// errors, operation ids made by default, live balances over the account stream, Sign-In with Ethereum, and
// on-chain payments through an EIP-1193 wallet. No dependencies; fetch, TextDecoder and Web Crypto only.
import { errorFromProblem, GridError, NetworkError, UnauthorizedError } from "./errors.js";
import { readEventStream } from "./event-stream.js";
import { buildSiweMessage, utf8ToHex } from "./siwe.js";
import { toChecksumAddress } from "./keccak.js";

export * from "./errors.js";
export { buildSiweMessage, utf8ToHex } from "./siwe.js";
export { keccak256, toChecksumAddress } from "./keccak.js";
export { readEventStream } from "./event-stream.js";

/**
 * @typedef {{available: number, held: number, sequence: number}} Balance
 * @typedef {{id: string, name: string|null, status: string, guest: boolean, balance: Balance, createdAt: string, overdraftLimit: number, inDebt: boolean, debtFloor: number}} Account
 * @typedef {{sequence: number, kind: string, amount: number, released: number, available: number, held: number,
 *   operationId: string, holdId?: string, reference: string|null, metadata: object|null, at: string}} JournalEntry
 * @typedef {{entry: JournalEntry, balance: Balance}} EntryResult
 * @typedef {{id: string, amount: number, captured: number, status: string, expiresAt: string|null, reference: string|null}} Hold
 * @typedef {{hold: Hold, entry: JournalEntry, balance: Balance}} HoldResult
 * @typedef {{entries: JournalEntry[], next: number}} JournalPage
 * @typedef {{paymentId: string, rail: string, status: string, confirmations: number, required: number,
 *   accountId: string|null, credited: number, guestToken?: string|null, [more: string]: unknown}} Payment
 * @typedef {{paymentId: string, to: string, value: string|null, data: string, chainId: number, expiresAt: string|null,
 *   token: string, tokenAmount: string|null, amountCredits: number|null, status: string, approve: {to: string, data: string}|null,
 *   claim: string|null}} OnchainIntent
 * @typedef {{token: string, address: string, accountId: string, expiresAt: string}} WalletSession
 * @typedef {{request(args: {method: string, params?: unknown[]|object}): Promise<any>}} Eip1193Provider
 * @typedef {{state: "connecting"|"open"|"waiting"|"closed", attempt: number, after: number, delayMs?: number, error?: unknown}} StreamStatus
 */

/** Payment statuses after which nothing changes by itself (API.md "Payments"); `review` waits for a person. */
export const TERMINAL_PAYMENT_STATUSES = Object.freeze(["credited", "failed", "expired", "refunded", "disputed", "reversed", "review"]);

const OPERATION_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

export class GridClient {
  #baseUrl;
  #fetch;
  #token;

  /**
   * @param {object} [options]
   * @param {string} [options.baseUrl] The gateway, e.g. "http://127.0.0.1:5080" (default: this page's origin).
   * @param {string|null} [options.token] Bearer token: an API key, a guest token or a SIWE session token.
   * @param {typeof fetch} [options.fetch] A fetch to use instead of the global one.
   * @param {number} [options.maxRetries] Retries of a safe request (a read, or a command with its operationId)
   *   after `unavailable` or no answer, waiting as Retry-After says (default 2).
   * @param {number} [options.timeoutMs] How long one attempt waits for its answer before it counts as no answer
   *   (a NetworkError; a command is then sent again with the same operationId). Default 35000: past the gateway's own
   *   30 s call timeout, so its 503 arrives first.
   */
  constructor(options = {}) {
    const base = options.baseUrl ?? globalThis.location?.origin;
    if (!base) throw new TypeError("GridClient needs baseUrl outside a browser page");
    this.#baseUrl = base.replace(/\/+$/, "");
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#token = options.token ?? null;
    this.maxRetries = options.maxRetries ?? 2;
    this.timeoutMs = options.timeoutMs ?? 35_000;
  }

  get baseUrl() {
    return this.#baseUrl;
  }

  /** The bearer token requests carry (null: none). */
  get token() {
    return this.#token;
  }

  /** @param {string|null} token */
  setToken(token) {
    this.#token = token;
  }

  /**
   * A fresh operation id: a random UUID (Web Crypto), fit for API.md's `operationId` rule. With an end user's guest or
   * wallet token (`gt_`) it starts with `u:`, the end users' own namespace the gateway asks their ids to be in.
   */
  newOperationId() {
    const id = newUuid();
    return this.#token?.startsWith("gt_") ? `u:${id}` : id;
  }

  // ------------------------------------------------------------------ accounts and ledger

  /** @param {{id?: string, name?: string, overdraftLimit?: number}} [account] @returns {Promise<Account>} */
  createAccount(account = {}) {
    return this.#call("POST", "/v1/accounts", { body: account, safe: false });
  }

  /** @param {string} accountId @returns {Promise<Account>} */
  getAccount(accountId) {
    return this.#call("GET", `/v1/accounts/${seg(accountId)}`);
  }

  /** @param {string} accountId @returns {Promise<Balance>} */
  async getBalance(accountId) {
    return (await this.getAccount(accountId)).balance;
  }

  /** Credits an account (operator). @returns {Promise<EntryResult>} */
  deposit(accountId, { amount, reference, metadata, operationId } = {}) {
    return this.#command(`/v1/accounts/${seg(accountId)}/deposits`, { amount, reference, metadata }, operationId);
  }

  /** Spends available credits; 402 InsufficientFundsError when they do not suffice. @returns {Promise<EntryResult>} */
  debit(accountId, { amount, reason, reference, metadata, operationId } = {}) {
    return this.#command(`/v1/accounts/${seg(accountId)}/debits`, { amount, reason, reference, metadata }, operationId);
  }

  /** @returns {Promise<EntryResult>} */
  refund(accountId, { amount, reason, reference, metadata, operationId } = {}) {
    return this.#command(`/v1/accounts/${seg(accountId)}/refunds`, { amount, reason, reference, metadata }, operationId);
  }

  /** An operator's correction (amount may be negative, not 0). @returns {Promise<EntryResult>} */
  adjust(accountId, { amount, reason, operationId } = {}) {
    return this.#command(`/v1/accounts/${seg(accountId)}/adjustments`, { amount, reason }, operationId);
  }

  /** @returns {Promise<EntryResult>} */
  freezeAccount(accountId, { reason, operationId } = {}) {
    return this.#command(`/v1/accounts/${seg(accountId)}/freeze`, { reason }, operationId);
  }

  /** @returns {Promise<EntryResult>} */
  unfreezeAccount(accountId, { operationId } = {}) {
    return this.#command(`/v1/accounts/${seg(accountId)}/unfreeze`, {}, operationId);
  }

  /** @returns {Promise<EntryResult>} */
  closeAccount(accountId, { operationId } = {}) {
    return this.#command(`/v1/accounts/${seg(accountId)}/close`, {}, operationId);
  }

  /** Reserves credits; the hold's id is its operationId. @returns {Promise<Hold>} */
  placeHold(accountId, { amount, expiresInSeconds, reference, operationId } = {}) {
    return this.#command(`/v1/accounts/${seg(accountId)}/holds`, { amount, expiresInSeconds, reference }, operationId);
  }

  /** Captures up to what is left of a hold (0 allowed); a final capture (the default) releases the rest. @returns {Promise<HoldResult>} */
  captureHold(accountId, holdId, { amount, final, operationId } = {}) {
    return this.#command(`/v1/accounts/${seg(accountId)}/holds/${seg(holdId)}/capture`, { amount, final }, operationId);
  }

  /** @returns {Promise<HoldResult>} */
  voidHold(accountId, holdId, { operationId } = {}) {
    return this.#command(`/v1/accounts/${seg(accountId)}/holds/${seg(holdId)}/void`, {}, operationId);
  }

  /** The account's open holds. @returns {Promise<{holds: Hold[]}>} */
  listHolds(accountId) {
    return this.#call("GET", `/v1/accounts/${seg(accountId)}/holds`);
  }

  /** One page of the journal, ascending, after a sequence. @returns {Promise<JournalPage>} */
  getJournal(accountId, { after, limit } = {}) {
    return this.#call("GET", `/v1/accounts/${seg(accountId)}/journal`, { query: { after, limit } });
  }

  /**
   * Every journal entry after `after`, page by page.
   * @returns {AsyncGenerator<JournalEntry>}
   */
  async *journalEntries(accountId, { after = 0, pageSize } = {}) {
    let from = after;
    while (true) {
      const page = await this.getJournal(accountId, { after: from, limit: pageSize });
      yield* page.entries;
      if (page.entries.length === 0 || page.next === undefined || page.next === null || page.next <= from) return;
      from = page.next;
    }
  }

  /** Usage summed per day or kind; `format: "csv"` answers the CSV text. */
  getUsage(accountId, { from, to, groupBy, format } = {}) {
    return this.#call("GET", `/v1/accounts/${seg(accountId)}/usage`, { query: { from: iso(from), to: iso(to), groupBy, format } });
  }

  // ------------------------------------------------------------------ keys and tokens

  /** Issues an API key bound to an account (operator); the key is shown only in this answer. */
  issueKey({ accountId, scopes, name } = {}) {
    return this.#call("POST", "/v1/keys", { body: { accountId, scopes, name }, safe: false });
  }

  listKeys(accountId) {
    return this.#call("GET", "/v1/keys", { query: { accountId } });
  }

  /** Revokes a key at once. */
  revokeKey(keyId) {
    return this.#call("DELETE", `/v1/keys/${seg(keyId)}`);
  }

  /** A short-lived guest token bound to the account (read, or read and charge) for a browser or a player. */
  issueToken(accountId, { scopes, expiresInSeconds } = {}) {
    return this.#call("POST", `/v1/accounts/${seg(accountId)}/tokens`, { body: { scopes, expiresInSeconds }, safe: false });
  }

  /** Revokes every guest and wallet token issued for the account so far, at once on every silo (the account's admin or the operator). */
  revokeTokens(accountId) {
    return this.#call("DELETE", `/v1/accounts/${seg(accountId)}/tokens`);
  }

  // ------------------------------------------------------------------ payments

  /** @returns {Promise<{packages: {id: string, credits: number, priceCents: number, currency: string}[]}>} */
  listTopUpPackages() {
    return this.#call("GET", "/v1/topups/packages");
  }

  /** Starts a card top-up; send the payer to `checkoutUrl`. @returns {Promise<{paymentId: string, checkoutUrl: string}>} */
  startCheckout(accountId, { packageId, amountCents, operationId } = {}) {
    return this.#command(`/v1/accounts/${seg(accountId)}/topups/checkout`, { packageId, amountCents }, operationId);
  }

  /**
   * A payment's status. `claim` (an on-chain intent's, for an intent naming no account) fetches the wallet's guest
   * token with it once credited; the payment id alone never does, as it is public on chain.
   * @returns {Promise<Payment>}
   */
  getPayment(paymentId, { claim, anonymous = false } = {}) {
    return this.#call("GET", `/v1/payments/${seg(paymentId)}`, { headers: claim ? { "X-Payment-Claim": claim } : undefined, auth: !anonymous });
  }

  /** What a wallet must send to pay on chain. @returns {Promise<OnchainIntent>} */
  startOnchainPayment({ wallet, amountCredits, accountId, token, chainId, operationId } = {}) {
    return this.#command("/v1/payments/onchain", { wallet, amountCredits, accountId, token, chainId }, operationId);
  }

  /** Tells the gateway a transaction pays this payment: a hint to look now, never proof. @returns {Promise<Payment>} */
  hintTransaction(paymentId, txHash) {
    return this.#call("POST", `/v1/payments/${seg(paymentId)}/tx`, { body: { txHash }, safe: true });
  }

  getAutoReload(accountId) {
    return this.#call("GET", `/v1/accounts/${seg(accountId)}/auto-reload`);
  }

  setAutoReload(accountId, settings) {
    return this.#call("PUT", `/v1/accounts/${seg(accountId)}/auto-reload`, { body: settings, safe: true });
  }

  deleteAutoReload(accountId) {
    return this.#call("DELETE", `/v1/accounts/${seg(accountId)}/auto-reload`);
  }

  // ------------------------------------------------------------------ casts, sessions, pricing

  /** The price table: job kinds, markup, default buffer. */
  getPricing() {
    return this.#call("GET", "/v1/pricing");
  }

  /** Starts a cast: quote plus buffer held; the operationId is the cast's id. */
  startCast({ accountId, quote, bufferPercent, kind, timeoutSeconds, operationId } = {}) {
    return this.#command("/v1/casts", { accountId, quote, bufferPercent, kind, timeoutSeconds }, operationId);
  }

  /** Settles a cast for its price or provider cost; the rest of the hold is released. */
  completeCast(castId, { price, providerCost, operationId } = {}) {
    return this.#command(`/v1/casts/${seg(castId)}/complete`, { price, providerCost }, operationId);
  }

  failCast(castId, { reason, operationId } = {}) {
    return this.#command(`/v1/casts/${seg(castId)}/fail`, { reason }, operationId);
  }

  getCast(castId) {
    return this.#call("GET", `/v1/casts/${seg(castId)}`);
  }

  /** Starts a metered session: the deposit is held; the operationId is the session's id. */
  startSession({ accountId, hostAccountId, deposit, pricePerUnit, checkpointUnits, operationId } = {}) {
    return this.#command("/v1/sessions", { accountId, hostAccountId, deposit, pricePerUnit, checkpointUnits }, operationId);
  }

  reportSessionUsage(sessionId, { units, operationId } = {}) {
    return this.#command(`/v1/sessions/${seg(sessionId)}/usage`, { units }, operationId);
  }

  endSession(sessionId, { operationId } = {}) {
    return this.#command(`/v1/sessions/${seg(sessionId)}/end`, {}, operationId);
  }

  getSession(sessionId) {
    return this.#call("GET", `/v1/sessions/${seg(sessionId)}`);
  }

  // ------------------------------------------------------------------ Sign-In with Ethereum

  /** @returns {Promise<{nonce: string, expiresAt?: string}>} */
  getSiweNonce() {
    return this.#call("GET", "/v1/auth/siwe/nonce", { auth: false });
  }

  /** Checks a signed message; answers a wallet session (the token is not adopted: see signInWithEthereum). @returns {Promise<WalletSession>} */
  verifySiwe({ message, signature }) {
    return this.#call("POST", "/v1/auth/siwe/verify", { body: { message, signature }, auth: false, safe: false });
  }

  /** Links the wallet that signed `message` (listing urn:grid:account:{id}) to the account. */
  linkWallet(accountId, { message, signature }) {
    return this.#call("POST", `/v1/accounts/${seg(accountId)}/wallets`, { body: { message, signature }, safe: false });
  }

  /** Ends a wallet's link to the account: its payments and sign-ins go to its own guest account again. */
  unlinkWallet(accountId, address) {
    return this.#call("DELETE", `/v1/accounts/${seg(accountId)}/wallets/${seg(address)}`);
  }

  /**
   * Signs in with an EIP-1193 wallet: eth_requestAccounts, a server nonce, an EIP-4361 message, personal_sign,
   * verify. The session's token becomes this client's token.
   * @param {Eip1193Provider} provider
   * @param {object} [options]
   * @param {string} [options.domain] What the gateway's Grid:Auth:Siwe:Domain names (default: this page's host).
   * @param {string} [options.uri] A URI on Grid:Auth:Siwe:Uri's origin (default: this page's URL).
   * @param {number} [options.chainId] Default: the wallet's chain.
   * @param {string} [options.statement]
   * @param {string} [options.expirationTime] RFC 3339; the session never outlives it.
   * @param {string[]} [options.resources]
   * @returns {Promise<WalletSession & {message: string, signature: string}>}
   */
  async signInWithEthereum(provider, options = {}) {
    const address = toChecksumAddress((await requestAccounts(provider))[0]);
    const chainId = options.chainId ?? (await walletChainId(provider));
    const domain = options.domain ?? globalThis.location?.host;
    const uri = options.uri ?? globalThis.location?.href?.split("#")[0];
    if (!domain || !uri) throw new TypeError("signInWithEthereum needs domain and uri outside a browser page");
    const { nonce } = await this.getSiweNonce();
    const message = buildSiweMessage({
      domain,
      address,
      uri,
      chainId,
      nonce,
      statement: options.statement,
      expirationTime: options.expirationTime,
      resources: options.resources,
    });
    const signature = await provider.request({ method: "personal_sign", params: [utf8ToHex(message), address] });
    const session = await this.verifySiwe({ message, signature });
    this.setToken(session.token);
    return { ...session, message, signature };
  }

  // ------------------------------------------------------------------ on-chain payments

  /**
   * Pays on chain with an EIP-1193 wallet: a payment intent, the wallet's transaction (for a token, an ERC-20
   * approve first, and the deposit once the approve is mined), a hint to the gateway, then the payment's status
   * until it is final. Credits come only from the gateway's own view of the chain after its confirmations; the
   * transaction hash is just a hint.
   * @param {Eip1193Provider} provider
   * @param {object} options
   * @param {number} [options.amountCredits] Credits to buy (required for a token).
   * @param {string} [options.token] "ETH" (default) or a configured token symbol.
   * @param {number} [options.chainId] Default: the wallet's chain.
   * @param {string} [options.accountId] The account to credit; default the wallet's linked or guest account.
   * @param {string} [options.wallet] The paying address; default the wallet's first account.
   * @param {string|bigint} [options.valueWei] Wei to send when the intent names no value (ETH without amountCredits).
   * @param {string} [options.operationId]
   * @param {AbortSignal} [options.signal] Stops waiting (the transaction, once sent, stays sent).
   * @param {number} [options.pollIntervalMs] How often the approve's receipt and the payment are asked for (default 1000).
   * @param {(progress: {stage: "intent"|"approve"|"sent"|"status", intent?: OnchainIntent, txHash?: string, payment?: Payment}) => void} [options.onProgress]
   * @returns {Promise<{intent: OnchainIntent, txHash: string, payment: Payment}>}
   */
  async payOnchain(provider, options = {}) {
    const progress = options.onProgress ?? (() => {});
    const wallet = options.wallet ?? (await requestAccounts(provider))[0];
    const chainId = options.chainId ?? (await walletChainId(provider));
    const intent = await this.startOnchainPayment({
      wallet,
      amountCredits: options.amountCredits,
      accountId: options.accountId,
      token: options.token ?? "ETH",
      chainId,
      operationId: options.operationId,
    });
    progress({ stage: "intent", intent });
    throwIfAborted(options.signal);
    if ((await walletChainId(provider)) !== Number(intent.chainId)) {
      await provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId: toQuantity(intent.chainId) }] });
    }
    if (intent.approve) {
      const approveHash = await provider.request({
        method: "eth_sendTransaction",
        params: [{ from: wallet, to: intent.approve.to, data: intent.approve.data }],
      });
      progress({ stage: "approve", intent, txHash: approveHash });
      // The deposit spends the allowance: sent before the approve is mined, a wallet that estimates its gas on the
      // latest block sees it revert (and may refuse to send it, or warn the user it will fail).
      await waitForReceipt(provider, approveHash, "the token approve", { signal: options.signal, pollIntervalMs: options.pollIntervalMs });
    }
    const value = intent.value ?? options.valueWei;
    if (intent.token === "ETH" && (value === undefined || value === null)) {
      throw new TypeError("an ETH payment without amountCredits needs valueWei");
    }
    const transaction = { from: wallet, to: intent.to, data: intent.data };
    if (value !== undefined && value !== null) transaction.value = toQuantity(value);
    const txHash = await provider.request({ method: "eth_sendTransaction", params: [transaction] });
    progress({ stage: "sent", intent, txHash });
    try {
      await this.hintTransaction(intent.paymentId, txHash);
    } catch (error) {
      // Only a hint: the gateway's scan finds the transaction anyway.
      if (!(error instanceof GridError) || !error.retryable) throw error;
    }
    const payment = await this.waitForPayment(intent.paymentId, {
      claim: intent.claim,
      sent: true,
      signal: options.signal,
      pollIntervalMs: options.pollIntervalMs,
      onStatus: (p) => progress({ stage: "status", intent, txHash, payment: p }),
    });
    return { intent, txHash, payment };
  }

  /**
   * Polls a payment until its status is final (credited, failed, expired, review, ...) or the signal aborts.
   * `onStatus` runs whenever status or confirmations change; `claim` as for getPayment. With `sent` (an on-chain
   * payment whose transaction went out) `expired` is not final: a deposit mined after the intent's expiry is still
   * credited, at the rate of its block's time. A token that expires while waiting is dropped: the route needs none.
   * @returns {Promise<Payment>}
   */
  async waitForPayment(paymentId, { claim, signal, pollIntervalMs = 1000, onStatus = () => {}, sent = false } = {}) {
    let seen = "";
    let anonymous = false;
    while (true) {
      throwIfAborted(signal);
      let payment;
      try {
        payment = await this.getPayment(paymentId, { claim, anonymous });
      } catch (error) {
        if (error instanceof UnauthorizedError && !anonymous) {
          anonymous = true; // a payment's status is open to anyone; the token (a short-lived one, say) only adds the account
          continue;
        }
        if (!(error instanceof GridError) || !error.retryable) throw error;
      }
      if (payment) {
        const state = `${payment.status}/${payment.confirmations}`;
        if (state !== seen) {
          seen = state;
          onStatus(payment);
        }
        if (TERMINAL_PAYMENT_STATUSES.includes(payment.status) && !(sent && payment.status === "expired")) return payment;
      }
      if (!(await sleep(pollIntervalMs, signal))) throwIfAborted(signal);
    }
  }

  // ------------------------------------------------------------------ live balance

  /**
   * The account's journal as it grows, from the SSE route over fetch (EventSource cannot send Authorization).
   * Yields each entry after `after` with the balance right after it, once and in order. A dropped connection or a
   * restarted silo is resumed with Last-Event-ID = the last sequence seen, after a bounded, jittered backoff;
   * 400/401/403/404 are thrown, not retried. Ends quietly when `signal` aborts.
   * @param {string} accountId
   * @param {object} [options]
   * @param {number} [options.after] Start after this sequence (0: the whole journal).
   * @param {AbortSignal} [options.signal]
   * @param {(status: StreamStatus) => void} [options.onStatus]
   * @param {number} [options.minDelayMs] First retry delay (default 250).
   * @param {number} [options.maxDelayMs] Longest retry delay (default 10000).
   * @param {number} [options.idleTimeoutMs] Reconnect when nothing, not even a heartbeat, came for this long (default 45000).
   * @returns {AsyncGenerator<{entry: JournalEntry, balance: Balance}>}
   */
  async *watchBalance(accountId, options = {}) {
    const { signal, onStatus = () => {}, minDelayMs = 250, maxDelayMs = 10_000, idleTimeoutMs = 45_000 } = options;
    let last = options.after ?? 0;
    let attempt = 0;
    try {
      while (!signal?.aborted) {
        const connection = new AbortController();
        const unlink = linkSignal(signal, connection);
        let idle;
        const touch = () => {
          clearTimeout(idle);
          idle = setTimeout(() => connection.abort(), idleTimeoutMs);
        };
        let failure;
        try {
          onStatus({ state: "connecting", attempt, after: last });
          touch();
          const headers = { Accept: "text/event-stream", ...this.#authHeader() };
          if (last > 0) headers["Last-Event-ID"] = String(last);
          let response;
          try {
            response = await this.#fetch(`${this.#baseUrl}/v1/accounts/${seg(accountId)}/stream`, {
              headers,
              signal: connection.signal,
              cache: "no-store",
            });
          } catch (error) {
            throw networkError(error);
          }
          if (!response.ok) {
            const error = await errorFromResponse(response);
            if (!error.retryable && response.status < 500) throw new StreamRefused(error);
            throw error;
          }
          attempt = 0;
          onStatus({ state: "open", attempt, after: last });
          for await (const event of readEventStream(response.body, touch)) {
            if (event.event !== "entry") continue;
            const entry = JSON.parse(event.data);
            const sequence = entry.sequence ?? Number(event.id);
            if (sequence <= last) continue; // already delivered before a reconnect
            last = sequence;
            yield { entry, balance: { available: entry.available, held: entry.held, sequence } };
          }
          failure = new NetworkError({ status: 0, title: "Stream ended", detail: "the gateway ended the stream" });
        } catch (error) {
          if (error instanceof StreamRefused) throw error.refusal;
          if (signal?.aborted) return;
          failure = error instanceof GridError ? error : networkError(error);
        } finally {
          clearTimeout(idle);
          unlink();
          connection.abort();
        }
        attempt++;
        const ceiling = Math.min(maxDelayMs, minDelayMs * 2 ** Math.min(attempt - 1, 20));
        let delayMs = minDelayMs + Math.random() * (ceiling - minDelayMs);
        if (failure.retryAfter) delayMs = Math.min(maxDelayMs, Math.max(delayMs, failure.retryAfter * 1000));
        onStatus({ state: "waiting", attempt, after: last, delayMs, error: failure });
        if (!(await sleep(delayMs, signal))) return;
      }
    } finally {
      onStatus({ state: "closed", attempt, after: last });
    }
  }

  /**
   * watchBalance with callbacks, for code that does not iterate: `onEntry` gets each entry and balance,
   * `onError` the refusal that ended it. `close()` stops it; `done` settles when it has stopped.
   * @returns {{close(): void, done: Promise<void>}}
   */
  subscribeBalance(accountId, { onEntry, onError = () => {}, ...options } = {}) {
    const controller = new AbortController();
    const unlink = linkSignal(options.signal, controller);
    const done = (async () => {
      try {
        for await (const update of this.watchBalance(accountId, { ...options, signal: controller.signal })) {
          onEntry(update.entry, update.balance);
        }
      } catch (error) {
        onError(error);
      } finally {
        unlink();
      }
    })();
    return { close: () => controller.abort(), done };
  }

  // ------------------------------------------------------------------ plumbing

  #authHeader() {
    return this.#token ? { Authorization: `Bearer ${this.#token}` } : {};
  }

  /** A command: the body with its operationId (made here unless given), safe to send again. */
  #command(path, fields, operationId) {
    const id = operationId ?? this.newOperationId();
    if (!OPERATION_ID.test(id)) throw new TypeError(`operationId must be 1..128 of [A-Za-z0-9_.:-]: ${id}`);
    return this.#call("POST", path, { body: { operationId: id, ...fields }, safe: true }).catch((error) => {
      // The id the command went with, made here or given: the only safe way to send it again is with this one.
      if (error instanceof GridError) error.operationId = id;
      throw error;
    });
  }

  async #call(method, path, { body, query, headers: extra, auth = true, safe = method === "GET" || method === "DELETE" } = {}) {
    let url = this.#baseUrl + path;
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null) search.set(key, String(value));
    }
    if ([...search.keys()].length > 0) url += `?${search}`;
    const headers = { Accept: "application/json, application/problem+json, text/csv", ...(auth ? this.#authHeader() : {}), ...extra };
    let payload;
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(withoutUndefined(body));
    }
    for (let attempt = 0; ; attempt++) {
      let error;
      try {
        // A stalled connection or proxy would otherwise leave the promise unsettled for good.
        const response = await this.#fetch(url, { method, headers, body: payload, signal: AbortSignal.timeout(this.timeoutMs) });
        if (response.ok) return await readBody(response);
        error = await errorFromResponse(response);
      } catch (failure) {
        error = failure instanceof GridError ? failure : networkError(failure);
      }
      // A DELETE sent again that finds nothing left to delete: the attempt whose answer was lost deleted it.
      if (method === "DELETE" && attempt > 0 && error.status === 404) return undefined;
      // A proxy's bare 502 or 504 says nothing of whether the silo applied it: like no answer, it is sent again, unchanged.
      // The gateway's own 502 (payment_provider_error) is an answer, and final.
      const fromProxy = (error.status === 502 || error.status === 504) && error.code.startsWith("http_");
      const unanswered = error.code === "unavailable" || error instanceof NetworkError || fromProxy;
      const again = safe && attempt < this.maxRetries && unanswered;
      if (!again) throw error;
      await sleep(Math.min(5_000, (error.retryAfter ?? 0.2 * 2 ** attempt) * 1000));
    }
  }
}

/** Carries a refusal out of watchBalance's retry loop. */
class StreamRefused extends Error {
  constructor(refusal) {
    super(refusal.message);
    this.refusal = refusal;
  }
}

async function readBody(response) {
  if (response.status === 204) return undefined;
  const type = response.headers.get("content-type") ?? "";
  const text = await response.text();
  if (text === "") return undefined;
  return type.includes("json") ? JSON.parse(text) : text;
}

async function errorFromResponse(response) {
  let problem = { status: response.status, title: response.statusText };
  try {
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : null;
    if (parsed && typeof parsed === "object") problem = { ...parsed, status: response.status };
  } catch {
    // Not JSON (a proxy's page): the status alone says what happened.
  }
  const header = Number(response.headers.get("retry-after"));
  const retryAfter = Number.isFinite(header) && header > 0 ? header : problem.retryAfter ?? null;
  return errorFromProblem(problem, { retryAfter });
}

function networkError(cause) {
  if (cause instanceof GridError) return cause;
  return new NetworkError({ status: 0, title: "No answer", detail: String(cause?.message ?? cause) }, { cause });
}

function withoutUndefined(body) {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
}

const seg = (value) => encodeURIComponent(String(value));

const iso = (value) => (value instanceof Date ? value.toISOString() : value);

/** A number, decimal string or bigint as an 0x quantity. */
function toQuantity(value) {
  return `0x${BigInt(value).toString(16)}`;
}

async function requestAccounts(provider) {
  const accounts = await provider.request({ method: "eth_requestAccounts" });
  if (!Array.isArray(accounts) || accounts.length === 0) throw new Error("the wallet shared no account");
  return accounts;
}

async function walletChainId(provider) {
  return Number(BigInt(await provider.request({ method: "eth_chainId" })));
}

/** Polls the wallet for a transaction's receipt; throws when it reverted. */
async function waitForReceipt(provider, txHash, what, { signal, pollIntervalMs = 1000 } = {}) {
  while (true) {
    throwIfAborted(signal);
    const receipt = await provider.request({ method: "eth_getTransactionReceipt", params: [txHash] });
    if (receipt) {
      if (BigInt(receipt.status ?? 1) !== 1n) throw new Error(`${what} (${txHash}) reverted`);
      return receipt;
    }
    if (!(await sleep(pollIntervalMs, signal))) throwIfAborted(signal);
  }
}

function throwIfAborted(signal) {
  if (signal?.aborted) throw signal.reason ?? new DOMException("Aborted", "AbortError");
}

/** Waits; false when the signal aborted first. */
function sleep(ms, signal) {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Aborts `child` when `parent` aborts; returns the undo. */
function linkSignal(parent, child) {
  if (!parent) return () => {};
  if (parent.aborted) {
    child.abort(parent.reason);
    return () => {};
  }
  const abort = () => child.abort(parent.reason);
  parent.addEventListener("abort", abort, { once: true });
  return () => parent.removeEventListener("abort", abort);
}

/** A version 4 UUID; randomUUID needs a secure context, getRandomValues does not. */
function newUuid() {
  const crypto = globalThis.crypto;
  if (typeof crypto?.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
