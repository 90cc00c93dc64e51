// Keccak-256 (Ethereum's hash: the original Keccak padding, not SHA3-256's) and EIP-55 checksummed addresses.
// Sign-In with Ethereum messages must name the wallet in its checksummed form, and wallets hand out lower-case
// addresses, so the client needs the hash; inputs are short, so 64-bit lanes as BigInt are fast enough.

const MASK = (1n << 64n) - 1n;
const RATE = 136; // bytes: 1600 - 2 * 256 bits

// Round constants from the spec's LFSR, rotation offsets from its (x, y) walk: derived, not tabulated.
const ROUND_CONSTANTS = (() => {
  let r = 1;
  const bit = () => {
    const out = r & 1;
    r <<= 1;
    if (r & 0x100) r ^= 0x171;
    return out;
  };
  const constants = [];
  for (let round = 0; round < 24; round++) {
    let c = 0n;
    for (let j = 0; j < 7; j++) {
      if (bit()) c |= 1n << BigInt((1 << j) - 1);
    }
    constants.push(c);
  }
  return constants;
})();

const ROTATIONS = (() => {
  const offsets = new Array(25).fill(0);
  let x = 1;
  let y = 0;
  for (let t = 0; t < 24; t++) {
    offsets[x + 5 * y] = (((t + 1) * (t + 2)) / 2) % 64;
    [x, y] = [y, (2 * x + 3 * y) % 5];
  }
  return offsets;
})();

const rotate = (lane, n) => (n === 0 ? lane : ((lane << BigInt(n)) | (lane >> BigInt(64 - n))) & MASK);

/** @param {bigint[]} a 25 lanes, a[x + 5y] */
function permute(a) {
  const c = new Array(5);
  const b = new Array(25);
  for (let round = 0; round < 24; round++) {
    for (let x = 0; x < 5; x++) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
    for (let x = 0; x < 5; x++) {
      const d = c[(x + 4) % 5] ^ rotate(c[(x + 1) % 5], 1);
      for (let y = 0; y < 25; y += 5) a[x + y] ^= d;
    }
    for (let x = 0; x < 5; x++) {
      for (let y = 0; y < 5; y++) {
        b[y + 5 * ((2 * x + 3 * y) % 5)] = rotate(a[x + 5 * y], ROTATIONS[x + 5 * y]);
      }
    }
    for (let y = 0; y < 25; y += 5) {
      for (let x = 0; x < 5; x++) a[x + y] = b[x + y] ^ (~b[((x + 1) % 5) + y] & MASK & b[((x + 2) % 5) + y]);
    }
    a[0] ^= ROUND_CONSTANTS[round];
  }
}

/**
 * Keccak-256 of bytes.
 * @param {Uint8Array} bytes
 * @returns {Uint8Array} 32 bytes
 */
export function keccak256(bytes) {
  const blocks = Math.floor(bytes.length / RATE) + 1;
  const padded = new Uint8Array(blocks * RATE);
  padded.set(bytes);
  padded[bytes.length] ^= 0x01;
  padded[padded.length - 1] ^= 0x80;
  const state = new Array(25).fill(0n);
  for (let offset = 0; offset < padded.length; offset += RATE) {
    for (let lane = 0; lane < RATE / 8; lane++) {
      let value = 0n;
      for (let i = 7; i >= 0; i--) value = (value << 8n) | BigInt(padded[offset + lane * 8 + i]);
      state[lane] ^= value;
    }
    permute(state);
  }
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((state[i >> 3] >> BigInt(8 * (i & 7))) & 0xffn);
  return out;
}

/**
 * The EIP-55 checksummed form of an address (any case in, "0x" and 40 hex digits).
 * @param {string} address
 * @returns {string}
 */
export function toChecksumAddress(address) {
  if (typeof address !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(address)) {
    throw new TypeError(`not an address: ${address}`);
  }
  const lower = address.slice(2).toLowerCase();
  const hash = keccak256(new TextEncoder().encode(lower));
  let out = "0x";
  for (let i = 0; i < 40; i++) {
    const nibble = (hash[i >> 1] >> (i % 2 === 0 ? 4 : 0)) & 0x0f;
    out += nibble >= 8 ? lower[i].toUpperCase() : lower[i];
  }
  return out;
}
