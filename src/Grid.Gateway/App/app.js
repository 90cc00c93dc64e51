// The credits page: a live balance, the recent journal, card top-ups and wallet payments, all through the
// JavaScript client with the visitor's token. The token arrives in the URL fragment (never sent to a server)
// or from a wallet sign-in, and is kept in this tab's session storage only.
import { ForbiddenError, GridClient, UnauthorizedError } from "/app/grid-client.js";

const JOURNAL_SIZE = 20;
const TOKEN_KEY = "grid.token";
const ACCOUNT_KEY = "grid.account";

const $ = (id) => document.getElementById(id);
const numbers = new Intl.NumberFormat();

/** @type {AbortController|null} */
let watching = null;

function readCredentials() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.get("token") && fragment.get("account")) {
    const current = sessionStorage.getItem(ACCOUNT_KEY);
    // A link can bring another account into an open tab (a page that opened this one can change its address at any
    // time): what the payer buys next would go there. Only the payer may say so.
    if (!current || current === fragment.get("account")
        || confirm(`This link opens account ${fragment.get("account")} instead of ${current}. Switch accounts?`)) {
      sessionStorage.setItem(TOKEN_KEY, fragment.get("token"));
      sessionStorage.setItem(ACCOUNT_KEY, fragment.get("account"));
    }
    // The token leaves the address bar (and the history entry) at once.
    history.replaceState(null, "", location.pathname + location.search);
  }
  return { token: sessionStorage.getItem(TOKEN_KEY), account: sessionStorage.getItem(ACCOUNT_KEY) };
}

function forget() {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(ACCOUNT_KEY);
  watching?.abort();
  watching = null;
}

function setStatus(text, state) {
  $("status").textContent = text;
  $("status").dataset.state = state;
}

function notice(text) {
  $("notice").textContent = text ?? "";
  $("notice").hidden = !text;
}

function showSignIn(message) {
  $("credits").hidden = true;
  $("sign-out").hidden = true;
  $("account").textContent = "";
  $("sign-in").hidden = false;
  setStatus("Signed out", "signed-out");
  notice(message);
  const button = $("wallet-sign-in");
  if (!window.ethereum) {
    button.disabled = true;
    button.textContent = "No wallet found in this browser";
  }
}

function showBalance(balance) {
  $("balance").textContent = numbers.format(balance.available);
  $("balance").dataset.available = String(balance.available);
  $("held").textContent = numbers.format(balance.held);
  $("held").dataset.held = String(balance.held);
}

function addEntry(entry) {
  const item = document.createElement("li");
  item.dataset.testid = "journal-entry";
  item.dataset.sequence = String(entry.sequence);
  item.dataset.kind = entry.kind;
  const kind = document.createElement("span");
  kind.className = "kind";
  kind.textContent = entry.kind;
  const amount = document.createElement("span");
  amount.className = "amount";
  amount.textContent = numbers.format(entry.amount);
  const at = document.createElement("time");
  at.dateTime = entry.at;
  at.textContent = new Date(entry.at).toLocaleString();
  item.append(kind, amount, at);
  const list = $("journal");
  list.prepend(item);
  while (list.children.length > JOURNAL_SIZE) list.lastElementChild.remove();
}

async function watch(client, account, after) {
  watching?.abort();
  const stop = new AbortController();
  watching = stop;
  const onStatus = (status) => {
    if (status.state === "connecting") setStatus(status.attempt === 0 ? "Connecting…" : "Reconnecting…", "connecting");
    else if (status.state === "open") setStatus("Live", "open");
    else if (status.state === "waiting") setStatus(`Connection lost; retrying in ${Math.ceil(status.delayMs / 1000)} s`, "waiting");
  };
  try {
    for await (const { entry, balance } of client.watchBalance(account, { after, signal: stop.signal, onStatus })) {
      showBalance(balance);
      addEntry(entry);
    }
  } catch (error) {
    if (error instanceof UnauthorizedError || error instanceof ForbiddenError) {
      forget();
      showSignIn("Your session has ended; sign in again.");
      return;
    }
    setStatus("Stopped", "stopped");
    notice(error.message);
  }
}

async function loadPackages(client, account) {
  const box = $("packages");
  box.replaceChildren();
  let packages;
  try {
    ({ packages } = await client.listTopUpPackages());
  } catch (error) {
    box.textContent = `Packages could not be loaded: ${error.message}`;
    return;
  }
  if (packages.length === 0) {
    box.textContent = "No packages are on sale.";
    return;
  }
  for (const offer of packages) {
    const price = new Intl.NumberFormat(undefined, { style: "currency", currency: offer.currency.toUpperCase() }).format(offer.priceCents / 100);
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.testid = `package-${offer.id}`;
    button.textContent = `${numbers.format(offer.credits)} credits · ${price}`;
    button.addEventListener("click", async () => {
      for (const other of box.querySelectorAll("button")) other.disabled = true;
      notice("");
      try {
        const { checkoutUrl } = await client.startCheckout(account, { packageId: offer.id });
        location.assign(checkoutUrl);
      } catch (error) {
        notice(`Checkout could not start: ${error.message}`);
        for (const other of box.querySelectorAll("button")) other.disabled = false;
      }
    });
    box.append(button);
  }
}

function setUpWalletPayments(client, account) {
  if (!window.ethereum) return;
  $("wallet").hidden = false;
  const form = $("wallet-pay");
  form.onsubmit = async (event) => {
    event.preventDefault();
    const say = (text) => ($("wallet-status").textContent = text);
    const submit = form.querySelector("button");
    submit.disabled = true;
    try {
      const { payment } = await client.payOnchain(window.ethereum, {
        amountCredits: Number($("wallet-credits").value),
        token: $("wallet-token").value,
        accountId: account,
        onProgress: (progress) => {
          if (progress.stage === "intent") say("Confirm the payment in your wallet…");
          else if (progress.stage === "approve") say("Approval sent; once it is mined, confirm the payment…");
          else if (progress.stage === "sent") say(`Sent (${progress.txHash.slice(0, 10)}…); waiting for confirmations…`);
          else if (progress.stage === "status") say(`${progress.payment.status}: ${progress.payment.confirmations}/${progress.payment.required} confirmations`);
        },
      });
      say(payment.status === "credited" ? `Credited ${numbers.format(payment.credited)} credits.`
        : payment.status === "review" ? "Paid, but not credited yet: the operator reviews this payment." : `Payment ${payment.status}.`);
    } catch (error) {
      say(`Payment stopped: ${error.message}`);
    } finally {
      submit.disabled = false;
    }
  };
}

async function open() {
  const { token, account } = readCredentials();
  if (!token || !account) {
    showSignIn();
    return;
  }
  const client = new GridClient({ token });
  $("sign-in").hidden = true;
  $("account").textContent = account;
  $("sign-out").hidden = false;
  notice("");
  let opened;
  try {
    opened = await client.getAccount(account);
  } catch (error) {
    if (error instanceof UnauthorizedError || error instanceof ForbiddenError) {
      forget();
      showSignIn("Your session has ended; sign in again.");
    } else {
      setStatus("Unavailable", "stopped");
      notice(error.message);
    }
    return;
  }
  $("credits").hidden = false;
  $("journal").replaceChildren();
  showBalance(opened.balance);
  setUpWalletPayments(client, account);
  loadPackages(client, account);
  watch(client, account, Math.max(0, opened.balance.sequence - JOURNAL_SIZE));
}

$("wallet-sign-in").addEventListener("click", async () => {
  notice("");
  try {
    const session = await new GridClient().signInWithEthereum(window.ethereum, { statement: "Sign in to see and buy credits." });
    sessionStorage.setItem(TOKEN_KEY, session.token);
    sessionStorage.setItem(ACCOUNT_KEY, session.accountId);
    await open();
  } catch (error) {
    notice(`Sign-in failed: ${error.message}`);
  }
});

$("sign-out").addEventListener("click", () => {
  forget();
  showSignIn();
});

// A new link pasted into this tab brings a new account and token.
window.addEventListener("hashchange", () => {
  if (location.hash.length > 1) open();
});

open();
