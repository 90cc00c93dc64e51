// Sign-In with Ethereum, wallet linking and on-chain payment helpers (ETH, and a 6-decimal token as USDC) with Anvil
// as the wallet (EIP-1193 over its JSON-RPC: it signs personal_sign and eth_sendTransaction for its dev accounts)
// against a silo watching that chain.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import {
  buildSiweMessage,
  ConflictError,
  ForbiddenError,
  GridClient,
  IdempotencyConflictError,
  NotFoundError,
  UnauthorizedError,
  utf8ToHex,
  ValidationError,
} from "../src/grid-client.js";
import { ADMIN_KEY, findSilo, missing, Silo } from "./support/silo.js";
import { Anvil, CHAIN_ID, findAnvil, ORACLES, TREASURY } from "./support/chain.js";

const skip =
  missing("the built silo (silo/bin/*/net10.0/Grid.Silo.dll or GRID_SILO_DLL)", findSilo()) ||
  missing(`anvil (${ORACLES}/node_modules/@foundry-rs/anvil-linux-amd64)`, findAnvil());

const DOMAIN = "app.creditgrid.test";
const URI = "https://app.creditgrid.test/login";
/** 1 credit per 10^12 wei. */
const CREDITS_PER_ETH = 1_000_000;
/** Credits for one whole TestUsd (10^6 units): 1 credit per 10,000 units. */
const CREDITS_PER_USDC = 100;

// The npm siwe package and ethers, from tests/oracles: test-side oracles only, never the client's.
const oracles = createRequire(path.join(ORACLES, "package.json"));

describe("wallet helpers against Anvil and a silo watching it", { skip }, () => {
  /** @type {Anvil} */
  let anvil;
  /** @type {Silo} */
  let silo;
  let contract;
  /** @type {import("./support/chain.js").TestToken} */
  let usdc;
  /** @type {GridClient} */
  let admin;

  before(async () => {
    anvil = await new Anvil().start();
    contract = await anvil.deployDeposit();
    usdc = await anvil.deployTestUsd();
    silo = await new Silo({
      settings: {
        Grid__Auth__Siwe__Domain: DOMAIN,
        Grid__Auth__Siwe__Uri: URI,
        Grid__Auth__Siwe__ChainIds__0: String(CHAIN_ID),
        Grid__Chains__0__ChainId: String(CHAIN_ID),
        Grid__Chains__0__RpcUrl: anvil.rpcUrl,
        Grid__Chains__0__DepositContract: contract,
        Grid__Chains__0__Treasury: TREASURY,
        Grid__Chains__0__Confirmations: "2",
        Grid__Chains__0__StartBlock: "0",
        Grid__Chains__0__PollInterval: "00:00:00.200",
        Grid__Chains__0__ReorgWindow: "64",
        Grid__Chains__0__Eth__CreditsPerEth: String(CREDITS_PER_ETH),
        Grid__Chains__0__Tokens__0__Symbol: "USDC",
        Grid__Chains__0__Tokens__0__Address: usdc.address,
        Grid__Chains__0__Tokens__0__Decimals: "6",
        Grid__Chains__0__Tokens__0__CreditsPerToken: String(CREDITS_PER_USDC),
      },
    }).start();
    admin = new GridClient({ baseUrl: silo.baseUrl, token: ADMIN_KEY });
  });

  /** A SIWE message linking `address` to `accountId` (its resource listed), signed by `signer` (default: the address). */
  async function linkMessage(address, accountId, { signer = address, ...fields } = {}) {
    const { nonce } = await new GridClient({ baseUrl: silo.baseUrl }).getSiweNonce();
    const message = buildSiweMessage({
      domain: DOMAIN,
      uri: URI,
      chainId: CHAIN_ID,
      nonce,
      address,
      statement: "Link this wallet to my account.",
      resources: [`urn:grid:account:${accountId}`],
      ...fields,
    });
    const signature = await anvil.wallet(signer).request({ method: "personal_sign", params: [utf8ToHex(message), signer] });
    return { message, signature };
  }

  after(async () => {
    await silo?.dispose();
    await anvil?.dispose();
  });

  test("signInWithEthereum: EIP-4361 text the siwe package agrees with, signed by the wallet, a session token", async () => {
    const account = anvil.accounts[1]; // lower case, as wallets hand addresses out
    const wallet = anvil.wallet(account);
    const client = new GridClient({ baseUrl: silo.baseUrl });
    const session = await client.signInWithEthereum(wallet, { domain: DOMAIN, uri: URI, statement: "Sign in to buy credits." });

    const { SiweMessage } = oracles("siwe");
    const { getAddress, verifyMessage } = oracles("ethers");
    const parsed = new SiweMessage(session.message);
    assert.equal(parsed.prepareMessage(), session.message);
    assert.equal(parsed.address, getAddress(account));
    assert.equal(parsed.chainId, CHAIN_ID);
    assert.equal(parsed.statement, "Sign in to buy credits.");
    assert.equal(verifyMessage(session.message, session.signature), getAddress(account));
    assert.deepEqual(wallet.calls.slice(0, 3), ["eth_requestAccounts", "eth_chainId", "personal_sign"]);

    assert.equal(session.address, getAddress(account));
    assert.equal(client.token, session.token);
    const opened = await client.getAccount(session.accountId);
    assert.equal(opened.id, session.accountId);

    // The nonce was spent: the same signed message does not sign in twice.
    const replay = await client.verifySiwe({ message: session.message, signature: session.signature }).catch((e) => e);
    assert.ok(replay instanceof UnauthorizedError, String(replay));
    assert.equal(replay.reason, "siwe_nonce_invalid");
  });

  test("a message for another domain is refused with its reason", async () => {
    const client = new GridClient({ baseUrl: silo.baseUrl });
    const refusal = await client.signInWithEthereum(anvil.wallet(anvil.accounts[2]), { domain: "evil.example", uri: URI }).catch((e) => e);
    assert.ok(refusal instanceof UnauthorizedError, String(refusal));
    assert.equal(refusal.reason, "siwe_domain_mismatch");
    assert.equal(client.token, null);
    assert.throws(() => buildSiweMessage({ domain: DOMAIN, uri: URI, chainId: 1, nonce: "abcdefgh", address: "0x12" }), TypeError);
  });

  test("payOnchain: intent, eth_sendTransaction, hint, status until credited; the balance stream shows it", async () => {
    const account = anvil.accounts[3];
    const wallet = anvil.wallet(account);
    const client = new GridClient({ baseUrl: silo.baseUrl });
    const session = await client.signInWithEthereum(wallet, { domain: DOMAIN, uri: URI });

    const stop = new AbortController();
    const seen = [];
    const watching = (async () => {
      for await (const update of client.watchBalance(session.accountId, { signal: stop.signal })) seen.push(update);
    })();

    const treasuryBefore = BigInt(await anvil.rpc("eth_getBalance", [TREASURY, "latest"]));
    const stages = [];
    const result = await client.payOnchain(wallet, {
      amountCredits: 500,
      accountId: session.accountId,
      pollIntervalMs: 250,
      onProgress: (p) => stages.push(p.stage === "status" ? `${p.stage}:${p.payment.status}` : p.stage),
    });
    assert.equal(result.payment.status, "credited");
    assert.equal(result.payment.credited, 500);
    assert.equal(result.payment.accountId, session.accountId);
    assert.equal(result.intent.value, String(500n * 10n ** 12n));
    assert.equal(stages[0], "intent");
    assert.equal(stages[1], "sent");
    assert.equal(stages.at(-1), "status:credited");
    assert.match(result.txHash, /^0x[0-9a-f]{64}$/);
    const receipt = await anvil.receipt(result.txHash);
    assert.equal(receipt.from.toLowerCase(), account.toLowerCase());
    assert.equal(receipt.to.toLowerCase(), contract.toLowerCase());
    assert.equal(BigInt(await anvil.rpc("eth_getBalance", [TREASURY, "latest"])) - treasuryBefore, 500n * 10n ** 12n);

    const deadline = Date.now() + 10_000;
    while (!seen.some((u) => u.entry.kind === "deposit") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    stop.abort();
    await watching;
    const deposit = seen.find((u) => u.entry.kind === "deposit");
    assert.ok(deposit, JSON.stringify(seen));
    assert.equal(deposit.entry.amount, 500);
    assert.equal(deposit.balance.available, 500);
    assert.equal((await client.getBalance(session.accountId)).available, 500);
  });

  test("payOnchain from a wallet with no session credits its guest account and hands back a guest token", async () => {
    const account = anvil.accounts[4];
    const anonymous = new GridClient({ baseUrl: silo.baseUrl });
    const { payment } = await anonymous.payOnchain(anvil.wallet(account), { amountCredits: 42, pollIntervalMs: 250 });
    assert.equal(payment.status, "credited");
    assert.ok(payment.guestToken, JSON.stringify(payment));
    // The payment id is the deposit's ref on chain, public: without the intent's claim it shows no token.
    assert.equal((await anonymous.getPayment(payment.paymentId)).guestToken, null);
    await assert.rejects(anonymous.getPayment(payment.paymentId, { claim: "pc_" + "A".repeat(43) }), (error) => error.status === 403);
    const guest = new GridClient({ baseUrl: silo.baseUrl, token: payment.guestToken });
    assert.equal((await guest.getBalance(payment.accountId)).available, 42);
    assert.equal((await admin.getAccount(payment.accountId)).guest, true);
    // The guest spends with ids the client makes in the end users' own namespace, which the gateway asks of a guest token.
    const spent = await guest.debit(payment.accountId, { amount: 2 });
    assert.match(spent.entry.operationId, /^u:[0-9a-f-]{36}$/);
    assert.equal(spent.balance.available, 40);
    await assert.rejects(guest.debit(payment.accountId, { amount: 1, operationId: "not-namespaced" }), (error) => error.status === 400);
  });

  test("payOnchain ends its wait at review when the account refuses the credit, and a token revoked meanwhile does not stop it", async () => {
    const id = `refusing-${process.pid}`;
    await admin.createAccount({ id });
    const { token } = await admin.issueToken(id, { scopes: ["read"] });
    const client = new GridClient({ baseUrl: silo.baseUrl, token });
    const stages = [];
    const { payment } = await client.payOnchain(anvil.wallet(anvil.accounts[0]), {
      amountCredits: 9,
      accountId: id,
      pollIntervalMs: 250,
      onProgress: (p) => {
        stages.push(p.stage === "status" ? `${p.stage}:${p.payment.status}` : p.stage);
        // Closed before the deposit goes out (its credit is then refused), the token revoked once it is out.
        if (p.stage === "intent") return admin.closeAccount(id);
        if (p.stage === "sent") return admin.revokeTokens(id);
      },
    });
    assert.equal(payment.status, "review", JSON.stringify(payment));
    assert.equal(stages.at(-1), "status:review");
    await assert.rejects(client.getBalance(id), (error) => error instanceof UnauthorizedError);
    assert.equal((await admin.getPayment(payment.paymentId)).status, "review");
  });

  test("payOnchain stops waiting when aborted", async () => {
    const stop = new AbortController();
    const client = new GridClient({ baseUrl: silo.baseUrl });
    const paying = client.payOnchain(anvil.wallet(anvil.accounts[5]), {
      amountCredits: 7,
      signal: stop.signal,
      onProgress: (p) => p.stage === "sent" && stop.abort(),
    });
    await assert.rejects(paying, (e) => e.name === "AbortError");
  });

  test("payOnchain with USDC: the intent's approve is sent first, then the deposit; credits at the token's rate", async () => {
    const payer = anvil.accounts[6];
    const id = `usdc-buyer-${process.pid}`;
    await admin.createAccount({ id });
    await admin.deposit(id, { amount: 10 });
    const { token } = await admin.issueToken(id, { scopes: ["read"] });
    const client = new GridClient({ baseUrl: silo.baseUrl, token });
    await usdc.mint(payer, 10_000_000n);
    const treasuryBefore = await usdc.balanceOf(TREASURY);

    const wallet = anvil.wallet(payer);
    // Whether the approve was mined when the wallet was asked to send the deposit (which spends its allowance).
    const sent = [];
    let approveMinedFirst = null;
    const send = wallet.request;
    wallet.request = async (args) => {
      if (args.method !== "eth_sendTransaction") return send(args);
      if (sent.length === 1) approveMinedFirst = (await anvil.rpc("eth_getTransactionReceipt", [sent[0]])) !== null;
      const hash = await send(args);
      sent.push(hash);
      return hash;
    };
    const progress = [];
    const result = await client.payOnchain(wallet, {
      token: "USDC",
      amountCredits: 250,
      accountId: id,
      pollIntervalMs: 250,
      onProgress: (p) => progress.push(p),
    });

    // 250 credits at 100 a token: 2.5 tokens, 2,500,000 units; nothing in ETH.
    assert.equal(result.intent.token, "USDC");
    assert.equal(result.intent.tokenAmount, "2500000");
    assert.equal(result.intent.value, "0");
    assert.equal(result.intent.approve.to.toLowerCase(), usdc.address.toLowerCase());
    assert.deepEqual(progress.slice(0, 3).map((p) => p.stage), ["intent", "approve", "sent"]);
    assert.deepEqual(sent, [progress[1].txHash, result.txHash]);
    assert.equal(approveMinedFirst, true, "the deposit is sent once the approve is mined");
    const approve = await anvil.receipt(progress[1].txHash);
    const deposit = await anvil.receipt(result.txHash);
    assert.equal(approve.status, "0x1");
    assert.equal(approve.to.toLowerCase(), usdc.address.toLowerCase());
    assert.equal(deposit.status, "0x1");
    assert.equal(deposit.to.toLowerCase(), contract.toLowerCase());
    assert.ok(BigInt(approve.blockNumber) < BigInt(deposit.blockNumber), `approve in ${approve.blockNumber}, deposit in ${deposit.blockNumber}`);

    assert.equal(result.payment.status, "credited");
    assert.equal(result.payment.credited, 250);
    assert.equal(result.payment.accountId, id);
    assert.equal(result.payment.guestToken ?? null, null); // never a guest token for a full account
    assert.equal((await client.getBalance(id)).available, 260);
    assert.equal((await usdc.balanceOf(TREASURY)) - treasuryBefore, 2_500_000n);
    assert.equal(await usdc.balanceOf(payer), 7_500_000n);
    assert.equal(await usdc.allowance(payer, contract), 0n); // the deposit took exactly what was approved
    const entries = [];
    for await (const entry of client.journalEntries(id)) entries.push(entry);
    assert.deepEqual(entries.filter((e) => e.kind === "deposit").map((e) => e.amount), [10, 250]);
  });

  test("linkWallet: a signed link ties the wallet to an account; its sign-ins and payments then go there", async () => {
    const address = anvil.accounts[7];
    const id = `linked-${process.pid}`;
    await admin.createAccount({ id, name: "Linked" });

    const linked = await admin.linkWallet(id, await linkMessage(address, id));
    const { getAddress } = oracles("ethers");
    assert.equal(linked.address, getAddress(address));
    assert.equal(linked.accountId, id);
    assert.match(linked.guestAccountId, /.+/);
    assert.ok(!Number.isNaN(Date.parse(linked.linkedAt)), JSON.stringify(linked));

    // Signing in with the wallet now opens a session on the linked account.
    const client = new GridClient({ baseUrl: silo.baseUrl });
    const session = await client.signInWithEthereum(anvil.wallet(address), { domain: DOMAIN, uri: URI });
    assert.equal(session.accountId, id);

    // A payment that names no account credits the linked one, and hands out no guest token.
    const anonymous = new GridClient({ baseUrl: silo.baseUrl });
    const { payment } = await anonymous.payOnchain(anvil.wallet(address), { amountCredits: 31, pollIntervalMs: 250 });
    assert.equal(payment.status, "credited");
    assert.equal(payment.accountId, null); // whose it is is shown to who may read the account, not to an anonymous payer
    assert.equal((await admin.getPayment(payment.paymentId)).accountId, id);
    assert.equal(payment.guestToken ?? null, null);
    assert.equal((await admin.getBalance(id)).available, 31);
    assert.equal((await admin.getAccount(linked.guestAccountId).catch((e) => e)).code, "not_found"); // no guest account opened

    // unlinkWallet: sign-ins go to the wallet's own guest account again; a second unlink is not found.
    const unlinked = await admin.unlinkWallet(id, address);
    assert.equal(unlinked.accountId, null);
    assert.equal((await admin.unlinkWallet(id, address).catch((e) => e)).code, "not_found");
    const guestSession = await new GridClient({ baseUrl: silo.baseUrl }).signInWithEthereum(anvil.wallet(address), { domain: DOMAIN, uri: URI });
    assert.equal(guestSession.accountId, linked.guestAccountId);
  });

  test("linkWallet refusals are typed: another domain, another signer, no resource for the account, no admin scope", async () => {
    const address = anvil.accounts[8];
    const id = `link-refused-${process.pid}`;
    await admin.createAccount({ id });

    const domain = await admin.linkWallet(id, await linkMessage(address, id, { domain: "evil.example" })).catch((e) => e);
    assert.ok(domain instanceof UnauthorizedError, String(domain));
    assert.equal(domain.status, 401);
    assert.equal(domain.reason, "siwe_domain_mismatch");

    const forged = await admin.linkWallet(id, await linkMessage(address, id, { signer: anvil.accounts[9] })).catch((e) => e);
    assert.ok(forged instanceof UnauthorizedError, String(forged));
    assert.equal(forged.reason, "siwe_bad_signature");

    const elsewhere = await admin.linkWallet(id, await linkMessage(address, "some-other-account")).catch((e) => e);
    assert.ok(elsewhere instanceof ValidationError, String(elsewhere));
    assert.ok(elsewhere.errors.message?.length > 0, JSON.stringify(elsewhere.errors));

    const { token } = await admin.issueToken(id, { scopes: ["read", "charge"] });
    const notAdmin = await new GridClient({ baseUrl: silo.baseUrl, token }).linkWallet(id, await linkMessage(address, id)).catch((e) => e);
    assert.ok(notAdmin instanceof ForbiddenError, String(notAdmin));

    // None of them linked anything: the wallet still signs in to its own guest account.
    const session = await new GridClient({ baseUrl: silo.baseUrl }).signInWithEthereum(anvil.wallet(address), { domain: DOMAIN, uri: URI });
    assert.notEqual(session.accountId, id);
    assert.equal((await admin.getAccount(session.accountId)).guest, true);
  });

  test("startOnchainPayment and hintTransaction on their own: idempotent intents, typed refusals, a hint that finds nothing", async () => {
    const wallet = anvil.accounts[9];
    const anonymous = new GridClient({ baseUrl: silo.baseUrl });
    const nonces = await Promise.all([anonymous.getSiweNonce(), anonymous.getSiweNonce()]);
    assert.match(nonces[0].nonce, /^[A-Za-z0-9]{8,}$/);
    assert.notEqual(nonces[0].nonce, nonces[1].nonce);

    const ask = { wallet, token: "ETH", chainId: CHAIN_ID, amountCredits: 12, operationId: `intent-${process.pid}` };
    const intent = await anonymous.startOnchainPayment(ask);
    assert.equal(intent.status, "pending"); // waiting for the wallet's transaction
    assert.equal(intent.to.toLowerCase(), contract.toLowerCase());
    assert.equal(intent.value, String(12n * 10n ** 12n));
    assert.equal(intent.approve ?? null, null, "ETH needs no approve");
    assert.deepEqual(await anonymous.startOnchainPayment(ask), intent);
    const conflict = await anonymous.startOnchainPayment({ ...ask, amountCredits: 13 }).catch((e) => e);
    assert.ok(conflict instanceof IdempotencyConflictError, String(conflict));
    assert.equal(conflict.field, "operationId"); // without an account key, which field differs is not said

    for (const [request, field] of [
      [{ ...ask, operationId: undefined, wallet: "0x12" }, "wallet"],
      [{ ...ask, operationId: undefined, token: "USDC", amountCredits: undefined }, "amountCredits"],
      [{ ...ask, operationId: undefined, token: "DOGE" }, "token"],
      [{ ...ask, operationId: undefined, chainId: 1 }, "chainId"],
    ]) {
      const error = await anonymous.startOnchainPayment(request).catch((e) => e);
      assert.ok(error instanceof ValidationError, `${field}: ${error}`);
      assert.ok(error.errors[field]?.length > 0, `${field}: ${JSON.stringify(error.errors)}`);
    }

    // Crediting a named account takes a credential that may read it.
    const id = `intent-target-${process.pid}`;
    await admin.createAccount({ id });
    const unnamed = await anonymous.startOnchainPayment({ ...ask, operationId: undefined, accountId: id }).catch((e) => e);
    assert.ok(unnamed instanceof UnauthorizedError, String(unnamed));
    await admin.createAccount({ id: `${id}-other` });
    const { token } = await admin.issueToken(`${id}-other`, { scopes: ["read"] });
    const stranger = await new GridClient({ baseUrl: silo.baseUrl, token }).startOnchainPayment({ ...ask, operationId: undefined, accountId: id }).catch((e) => e);
    assert.ok(stranger instanceof ForbiddenError, String(stranger));
    await admin.freezeAccount(id);
    await admin.unfreezeAccount(id);
    await admin.closeAccount(id);
    const closed = await admin.startOnchainPayment({ ...ask, operationId: undefined, accountId: id }).catch((e) => e);
    assert.ok(closed instanceof ConflictError, String(closed));
    assert.equal(closed.code, "account_closed");

    // A hint names a transaction; one the chain does not know changes nothing.
    const nothing = await anonymous.hintTransaction(intent.paymentId, `0x${"ab".repeat(32)}`);
    assert.equal(nothing.paymentId, intent.paymentId);
    assert.equal(nothing.status, "pending");
    assert.equal(nothing.credited, 0);
    const badHash = await anonymous.hintTransaction(intent.paymentId, "0x12").catch((e) => e);
    assert.ok(badHash instanceof ValidationError, String(badHash));
    assert.ok(badHash.errors.txHash, JSON.stringify(badHash.errors));
    const badId = await anonymous.hintTransaction("nope", `0x${"ab".repeat(32)}`).catch((e) => e);
    assert.ok(badId instanceof ValidationError, String(badId));
    assert.ok(badId.errors.paymentId, JSON.stringify(badId.errors));
    const unknownId = intent.paymentId.slice(0, -4) + (intent.paymentId.endsWith("aaaa") ? "bbbb" : "aaaa");
    const unknown = await anonymous.hintTransaction(unknownId, `0x${"ab".repeat(32)}`).catch((e) => e);
    assert.ok(unknown instanceof NotFoundError, String(unknown));
  });
});
