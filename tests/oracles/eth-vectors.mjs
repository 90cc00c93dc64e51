// Ethereum primitive vectors computed by ethers: Keccak-256, EIP-55 checksums, EIP-191 personal message
// digests, and personal_sign signatures with the address ethers' verifyMessage recovers from them.
//
//   node eth-vectors.mjs --seed S --count N     prints one JSON object on stdout
import { Wallet, keccak256, getAddress, hashMessage, verifyMessage, hexlify } from "ethers";
import { SeededRandom, parseArgs } from "./seeded-random.mjs";

const args = parseArgs(process.argv.slice(2), { seed: "1", count: "200" });
const count = Number.parseInt(args.count, 10);
const rng = new SeededRandom(args.seed, "eth");

// Text with ASCII, multi-byte UTF-8 and line breaks, so byte length and character count differ.
const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 \n.,:;!?-_'\"/\\@#$%^&*()[]{}<>=+~`|äöüßéèñçøå€£¥中文字日本語한국어😀🚀";
const randomText = (maxLength) => {
  const chars = [...alphabet];
  let s = "";
  const length = rng.int(maxLength + 1);
  for (let i = 0; i < length; i++) s += chars[rng.int(chars.length)];
  return s;
};

// Lengths around Keccak-256's 136-byte rate, where padding changes shape.
const keccak = [0, 1, 31, 32, 33, 55, 56, 64, 135, 136, 137, 200, 271, 272, 273, 1000].map((length) => {
  const input = hexlify(rng.bytes(length));
  return { input, hash: keccak256(input) };
});

const eip55 = Array.from({ length: count }, () => {
  const lower = hexlify(rng.bytes(20));
  return { lower, checksummed: getAddress(lower) };
});

const personal = Array.from({ length: count }, (_, i) => {
  if (i % 10 === 9) {
    const bytes = rng.bytes(rng.int(300));
    return { messageHex: hexlify(bytes), hash: hashMessage(bytes) };
  }
  const message = randomText(i % 3 === 0 ? 400 : 40);
  return { message, hash: hashMessage(message) };
});

const recovery = Array.from({ length: count }, () => {
  const wallet = new Wallet(rng.privateKey());
  const message = randomText(120);
  const signature = wallet.signMessageSync(message);
  const recovered = verifyMessage(message, signature);
  if (recovered !== wallet.address) throw new Error("ethers did not recover its own signer");
  return { message, signature, address: recovered };
});

process.stdout.write(JSON.stringify({ seed: args.seed, keccak, eip55, personal, recovery }));
