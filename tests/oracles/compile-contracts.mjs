// Compiles Solidity files with solc-js (the solc npm package) through its standard JSON interface.
//
//   node compile-contracts.mjs [--allow-warnings] FILE.sol [FILE.sol ...]
//
// Prints one JSON object on stdout: { "<ContractName>": { "abi": [...], "bytecode": "0x..." }, ... } for every
// contract, interface and library in the files (an interface's bytecode is "0x"). The optimizer is on with 200 runs.
// Exits non-zero with solc's messages on stderr when solc reports an error, or a warning unless --allow-warnings
// is given (our own contracts compile cleanly). Imports are resolved relative to the importing file's directory.
import fs from "node:fs";
import path from "node:path";
import solc from "solc";

const args = process.argv.slice(2);
const allowWarnings = args.includes("--allow-warnings");
const files = args.filter((a) => a !== "--allow-warnings");
if (files.length === 0) {
  console.error("usage: node compile-contracts.mjs [--allow-warnings] FILE.sol [FILE.sol ...]");
  process.exit(2);
}

// Source units are named by absolute path, so imports resolve against the file system and two files with the
// same base name in different directories stay apart.
const sources = {};
for (const file of files) {
  const full = path.resolve(file);
  if (!fs.existsSync(full)) {
    console.error(`no such file: ${file}`);
    process.exit(2);
  }
  sources[full] = { content: fs.readFileSync(full, "utf8") };
}

const input = {
  language: "Solidity",
  sources,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
  },
};

const findImports = (importPath) => {
  try {
    return { contents: fs.readFileSync(path.resolve(importPath), "utf8") };
  } catch (error) {
    return { error: `cannot read ${importPath}: ${error.message}` };
  }
};

const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const messages = output.errors ?? [];
const fatal = messages.filter((m) => m.severity === "error" || (m.severity === "warning" && !allowWarnings));
for (const message of messages) {
  console.error(message.formattedMessage ?? message.message);
}
if (fatal.length > 0) {
  console.error(`solc ${solc.version()}: ${fatal.length} error(s)${allowWarnings ? "" : " (warnings count as errors)"}`);
  process.exit(1);
}

const result = {};
for (const [unit, contracts] of Object.entries(output.contracts ?? {})) {
  for (const [name, contract] of Object.entries(contracts)) {
    if (name in result) {
      console.error(`contract ${name} is defined twice (again in ${unit}); give it another name`);
      process.exit(1);
    }
    result[name] = { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` };
  }
}
process.stdout.write(JSON.stringify(result));
process.stdout.write("\n");
