// A real Anvil node (the npm @foundry-rs/anvil binary in tests/oracles) with the grid's deposit contract and a
// 6-decimal test token, and an EIP-1193 provider over its JSON-RPC: Anvil itself signs personal_sign and
// eth_sendTransaction for its unlocked dev accounts, as a browser wallet would for its user. GRID_TEST_ORACLES names
// tests/oracles.
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "./silo.js";

export const CHAIN_ID = 31337;
/** An address nobody holds a key for: its balance changes only by what deposits forward to it. */
export const TREASURY = "0x7ea5a0000000000000000000000000000000c0de";

export const ORACLES = process.env.GRID_TEST_ORACLES ?? path.join(REPO_ROOT, "tests", "oracles");

export function findAnvil() {
  const binary = path.join(ORACLES, "node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil");
  return process.platform === "linux" && process.arch === "x64" && existsSync(binary) ? binary : null;
}

export class Anvil {
  #compiled;

  constructor() {
    this.directory = mkdtempSync(path.join(os.tmpdir(), "grid-js-anvil-"));
    this.output = [];
  }

  get rpcUrl() {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts anvil mining a block every second, so confirmations come without a test mining them. */
  async start() {
    const binary = findAnvil();
    if (!binary) throw new Error(`anvil is not installed under ${ORACLES}: npm ci there, or bash tests/run.sh`);
    const child = spawn(binary, ["--host", "127.0.0.1", "--port", "0", "--chain-id", String(CHAIN_ID), "--block-time", "1",
      "--cache-path", path.join(this.directory, "cache"), "--color", "never"], { stdio: ["ignore", "pipe", "pipe"] });
    this.process = child;
    this.port = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`anvil did not start:\n${this.output.join("\n")}`)), 30_000);
      const read = (chunk) => {
        const text = chunk.toString();
        this.output.push(text);
        const match = /Listening on 127\.0\.0\.1:(\d+)/.exec(text);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      child.stdout.on("data", read);
      child.stderr.on("data", read);
      child.once("exit", (code) => reject(new Error(`anvil exited with ${code}:\n${this.output.join("\n")}`)));
    });
    this.accounts = await this.rpc("eth_accounts");
    return this;
  }

  async rpc(method, params = []) {
    const response = await fetch(this.rpcUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    const answer = await response.json();
    if (answer.error) {
      const error = new Error(`${method}: ${answer.error.message}`);
      error.code = answer.error.code;
      throw error;
    }
    return answer.result;
  }

  /** A wallet showing one dev account, as window.ethereum does after the user picked it. */
  wallet(account) {
    const calls = [];
    return {
      calls,
      request: async ({ method, params }) => {
        calls.push(method);
        if (method === "eth_requestAccounts" || method === "eth_accounts") return [account];
        return this.rpc(method, params ?? []);
      },
    };
  }

  async receipt(hash, ms = 30_000) {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const receipt = await this.rpc("eth_getTransactionReceipt", [hash]);
      if (receipt) return receipt;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`no receipt for ${hash}`);
  }

  /** deploy/contracts/GridDeposit.sol and tests/oracles/contracts/TestUsd.sol compiled by solc-js, once (one solc run for both). */
  #artifacts() {
    this.#compiled ??= (async () => {
      const sources = [path.join(REPO_ROOT, "deploy", "contracts", "GridDeposit.sol"), path.join(ORACLES, "contracts", "TestUsd.sol")];
      const { stdout } = await promisify(execFile)("node", [path.join(ORACLES, "compile-contracts.mjs"), ...sources], {
        cwd: ORACLES,
        maxBuffer: 64 * 1024 * 1024,
      });
      return JSON.parse(stdout);
    })();
    return this.#compiled;
  }

  async #deploy(data) {
    const hash = await this.rpc("eth_sendTransaction", [{ from: this.accounts[0], data, gas: "0x4c4b40" }]);
    const receipt = await this.receipt(hash);
    if (receipt.status !== "0x1") throw new Error(`deployment failed: ${JSON.stringify(receipt)}`);
    return receipt.contractAddress;
  }

  /** Deploys the grid's deposit contract (paying TREASURY) from the first dev account. */
  async deployDeposit() {
    const { bytecode } = (await this.#artifacts()).GridDeposit;
    return this.#deploy(bytecode + TREASURY.slice(2).toLowerCase().padStart(64, "0"));
  }

  /** Deploys TestUsd (6 decimals, anyone may mint) from the first dev account. */
  async deployTestUsd() {
    const { abi, bytecode } = (await this.#artifacts()).TestUsd;
    const address = await this.#deploy(bytecode);
    return new TestToken(this, address, abi);
  }

  async dispose() {
    if (this.process && this.process.exitCode === null) {
      const exited = new Promise((resolve) => this.process.once("exit", resolve));
      this.process.kill("SIGKILL");
      await exited;
    }
    rmSync(this.directory, { recursive: true, force: true });
  }
}

/** A deployed TestUsd: calls encoded by ethers (tests/oracles), a test-side oracle only. */
export class TestToken {
  constructor(anvil, address, abi) {
    const { Interface } = createRequire(path.join(ORACLES, "package.json"))("ethers");
    this.anvil = anvil;
    this.address = address;
    this.abi = new Interface(abi);
  }

  /** Mints `units` to `to` and waits for the receipt. */
  async mint(to, units) {
    const data = this.abi.encodeFunctionData("mint", [to, BigInt(units)]);
    const hash = await this.anvil.rpc("eth_sendTransaction", [{ from: this.anvil.accounts[0], to: this.address, data }]);
    const receipt = await this.anvil.receipt(hash);
    if (receipt.status !== "0x1") throw new Error(`mint failed: ${JSON.stringify(receipt)}`);
  }

  async balanceOf(owner) {
    return this.#read("balanceOf", [owner]);
  }

  async allowance(owner, spender) {
    return this.#read("allowance", [owner, spender]);
  }

  async #read(name, args) {
    const result = await this.anvil.rpc("eth_call", [{ to: this.address, data: this.abi.encodeFunctionData(name, args) }, "latest"]);
    return this.abi.decodeFunctionResult(name, result)[0];
  }
}
