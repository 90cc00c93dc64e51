// ABI vectors computed by ethers: selectors and calldata of functions with static parameters (address,
// uint256, int256, bool, bytes32) for random names and arguments, and topics of random event signatures.
//
//   node abi-vectors.mjs --seed S --count N     prints one JSON object on stdout
import { AbiCoder, FunctionFragment, EventFragment, Interface, getAddress, hexlify, toBigInt } from "ethers";
import { SeededRandom, parseArgs } from "./seeded-random.mjs";

const args = parseArgs(process.argv.slice(2), { seed: "1", count: "100" });
const count = Number.parseInt(args.count, 10);
const rng = new SeededRandom(args.seed, "abi");

const MAX_UINT256 = (1n << 256n) - 1n;
const MIN_INT256 = -(1n << 255n);
const MAX_INT256 = (1n << 255n) - 1n;

// Integers of every byte length, and the edges, so padding and sign extension are both exercised.
const uint256 = () => {
  const pick = rng.int(10);
  if (pick === 0) return 0n;
  if (pick === 1) return MAX_UINT256;
  const bytes = rng.bytes(1 + rng.int(32));
  return toBigInt(bytes);
};
const int256 = () => {
  const pick = rng.int(10);
  if (pick === 0) return MIN_INT256;
  if (pick === 1) return MAX_INT256;
  if (pick === 2) return -1n;
  const magnitude = toBigInt(rng.bytes(1 + rng.int(31)));
  return rng.chance(1, 2) ? -magnitude : magnitude;
};

const generators = {
  address: () => getAddress(hexlify(rng.bytes(20))),
  uint256,
  int256,
  bool: () => rng.chance(1, 2),
  bytes32: () => hexlify(rng.bytes(32)),
};
const types = Object.keys(generators);
const show = (value) => (typeof value === "bigint" ? value.toString() : String(value));

const name = () => rng.string("abcdefghijklmnopqrstuvwxyz", 1) + rng.string("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", rng.int(12));

const calls = Array.from({ length: count }, () => {
  const argTypes = Array.from({ length: rng.int(6) }, () => rng.pick(types));
  // A human-readable declaration with parameter names and spaces; ethers reduces it to the canonical form.
  const declaration = `function ${name()}(${argTypes.map((t, i) => `${t} p${i}`).join(", ")})`;
  const fragment = FunctionFragment.from(declaration);
  const values = argTypes.map((t) => generators[t]());
  const iface = new Interface([fragment]);
  return {
    signature: fragment.format("sighash"),
    selector: fragment.selector,
    args: argTypes.map((type, i) => ({ type, value: show(values[i]) })),
    data: iface.encodeFunctionData(fragment, values),
    encoded: AbiCoder.defaultAbiCoder().encode(argTypes, values),
  };
});

const events = Array.from({ length: count }, () => {
  const argTypes = Array.from({ length: rng.int(5) }, () => rng.pick(types));
  const declaration = `event ${name()}(${argTypes.map((t, i) => `${t}${i === 0 ? " indexed" : ""} a${i}`).join(", ")})`;
  const fragment = EventFragment.from(declaration);
  return { signature: fragment.format("sighash"), topic: fragment.topicHash };
});

process.stdout.write(JSON.stringify({ seed: args.seed, calls, events }));
