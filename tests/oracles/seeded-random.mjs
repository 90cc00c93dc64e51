// Deterministic randomness for test vectors: block i of a stream is keccak256(seed, label, i), so a seed
// reproduces every vector and a failing one can be regenerated.
import { keccak256, toUtf8Bytes, concat, getBytes, zeroPadValue, toBeHex } from "ethers";

export class SeededRandom {
  #seed;
  #label;
  #counter = 0;
  #buffer = new Uint8Array(0);

  constructor(seed, label) {
    this.#seed = toUtf8Bytes(String(seed));
    this.#label = toUtf8Bytes(String(label));
  }

  bytes(count) {
    const out = new Uint8Array(count);
    let filled = 0;
    while (filled < count) {
      if (this.#buffer.length === 0) {
        const block = concat([this.#seed, toUtf8Bytes(":"), this.#label, toUtf8Bytes(":"), zeroPadValue(toBeHex(this.#counter++), 8)]);
        this.#buffer = getBytes(keccak256(block));
      }
      const take = Math.min(count - filled, this.#buffer.length);
      out.set(this.#buffer.subarray(0, take), filled);
      this.#buffer = this.#buffer.subarray(take);
      filled += take;
    }
    return out;
  }

  /** An integer in [0, bound), bound below 2^32. */
  int(bound) {
    const b = this.bytes(4);
    const value = ((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3];
    return value % bound;
  }

  /** An integer in [min, max]. */
  between(min, max) {
    return min + this.int(max - min + 1);
  }

  chance(numerator, denominator) {
    return this.int(denominator) < numerator;
  }

  pick(items) {
    return items[this.int(items.length)];
  }

  string(alphabet, length) {
    let s = "";
    for (let i = 0; i < length; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }

  /** A 32-byte private key as 0x hex (zero or >= n is about 2^-128 likely; ethers would refuse it). */
  privateKey() {
    return "0x" + Buffer.from(this.bytes(32)).toString("hex");
  }
}

/** Reads --name value pairs from the command line. */
export function parseArgs(argv, defaults) {
  const args = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i];
    if (!name.startsWith("--") || i + 1 >= argv.length) {
      throw new Error(`usage: --name value pairs; got '${name}'`);
    }
    args[name.slice(2)] = argv[i + 1];
  }
  return args;
}
