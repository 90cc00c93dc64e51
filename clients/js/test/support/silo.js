// The built silo (what `dotnet run --project silo` starts, minus the build) as a child process on a free loopback
// port with a SQLite store in a temporary directory, as tests/Grid.TestKit's SiloProcess runs it for the .NET tests.
// GRID_SILO_DLL names the silo to run; without it, silo/bin/Release (then Debug) of this repository.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
export const ADMIN_KEY = "js-client-test-admin-key-0123456789";
export const TOKEN_SECRET = "js-client-test-token-secret-0123456789abcdef";

/** The silo assembly, or null when it is not built. */
export function findSilo() {
  if (process.env.GRID_SILO_DLL) return existsSync(process.env.GRID_SILO_DLL) ? process.env.GRID_SILO_DLL : null;
  for (const configuration of ["Release", "Debug"]) {
    const candidate = path.join(REPO_ROOT, "silo", "bin", configuration, "net10.0", "Grid.Silo.dll");
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/**
 * What a test needs that may be missing: under CI it fails, elsewhere the test is skipped with the reason.
 * @returns {string|false} the skip reason, or false when everything is there
 */
export function missing(what, present) {
  if (present) return false;
  if (process.env.CI === "true") throw new Error(`${what} is missing (CI=true: this fails instead of skipping)`);
  return `${what} is missing`;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export class Silo {
  /** @param {{settings?: Record<string, string>}} [options] Extra Grid__... settings. */
  constructor(options = {}) {
    this.directory = mkdtempSync(path.join(os.tmpdir(), "grid-js-silo-"));
    this.dataDirectory = path.join(this.directory, "data");
    this.settings = {
      Grid__Auth__AdminKey: ADMIN_KEY,
      Grid__Auth__TokenSecret: TOKEN_SECRET,
      Grid__Storage__DataDirectory: this.dataDirectory,
      // The tests make bursts of anonymous calls from one address.
      Grid__RateLimits__AnonymousPermitsPerSecond: "10000",
      Grid__RateLimits__AnonymousBurst: "10000",
      Grid__Streams__HeartbeatPeriod: "00:00:02",
      ...options.settings,
    };
    this.output = [];
    this.process = null;
    this.port = null;
  }

  get baseUrl() {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the silo (again, on the same port and data after a kill) and waits until /health/ready answers. */
  async start() {
    const dll = findSilo();
    if (!dll) throw new Error("the silo is not built: dotnet build silo -c Release, or set GRID_SILO_DLL");
    this.port ??= await freePort();
    const child = spawn("dotnet", [dll, "--urls", this.baseUrl], {
      cwd: this.directory,
      env: { ...process.env, ...this.settings, DOTNET_NOLOGO: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const collect = (chunk) => {
      this.output.push(...chunk.toString().split("\n"));
      if (this.output.length > 400) this.output.splice(0, this.output.length - 400);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    this.exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
    this.process = child;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`the silo exited with ${child.exitCode}:\n${this.output.join("\n")}`);
      try {
        const response = await fetch(`${this.baseUrl}/health/ready`);
        if (response.status === 200) return this;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the silo was not ready within 60 s:\n${this.output.join("\n")}`);
  }

  /** SIGKILL: a crash, nothing runs on the way out. */
  async kill() {
    if (this.process && this.process.exitCode === null && this.process.signalCode === null) {
      this.process.kill("SIGKILL");
      await this.exited;
    }
    this.process = null;
  }

  /** Kills the silo and removes its data. */
  async dispose() {
    await this.kill();
    rmSync(this.directory, { recursive: true, force: true });
  }
}
