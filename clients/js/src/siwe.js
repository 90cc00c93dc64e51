// Sign-In with Ethereum (EIP-4361) message text, as the gateway's verifier parses it: the address in EIP-55 form,
// the lines in the EIP's order, nothing after the last field.
import { toChecksumAddress } from "./keccak.js";

/**
 * @typedef {object} SiweFields
 * @property {string} domain The RFC 3986 authority asking for the sign-in (the gateway's Grid:Auth:Siwe:Domain).
 * @property {string} address The wallet (any case; written checksummed).
 * @property {string} uri The URI the sign-in is for (on the origin of Grid:Auth:Siwe:Uri).
 * @property {number} chainId
 * @property {string} nonce From GET /v1/auth/siwe/nonce.
 * @property {string} [issuedAt] RFC 3339; default now.
 * @property {string} [statement] One line shown to the user.
 * @property {string} [expirationTime] RFC 3339.
 * @property {string} [notBefore] RFC 3339.
 * @property {string} [requestId]
 * @property {string[]} [resources] URIs, e.g. "urn:grid:account:{id}" to link a wallet.
 */

/**
 * The message text a wallet signs.
 * @param {SiweFields} fields
 * @returns {string}
 */
export function buildSiweMessage(fields) {
  const { domain, uri, chainId, nonce, statement } = fields;
  if (!domain || !uri || !nonce || !Number.isSafeInteger(chainId)) {
    throw new TypeError("a SIWE message needs domain, uri, chainId and nonce");
  }
  if (statement !== undefined && /[\r\n]/.test(statement)) {
    throw new TypeError("a SIWE statement is one line");
  }
  const lines = [
    `${domain} wants you to sign in with your Ethereum account:`,
    toChecksumAddress(fields.address),
    "",
  ];
  if (statement !== undefined) lines.push(statement);
  lines.push(
    "",
    `URI: ${uri}`,
    "Version: 1",
    `Chain ID: ${chainId}`,
    `Nonce: ${nonce}`,
    `Issued At: ${fields.issuedAt ?? new Date().toISOString()}`,
  );
  if (fields.expirationTime !== undefined) lines.push(`Expiration Time: ${fields.expirationTime}`);
  if (fields.notBefore !== undefined) lines.push(`Not Before: ${fields.notBefore}`);
  if (fields.requestId !== undefined) lines.push(`Request ID: ${fields.requestId}`);
  if (fields.resources !== undefined) {
    lines.push("Resources:");
    for (const resource of fields.resources) lines.push(`- ${resource}`);
  }
  return lines.join("\n");
}

/**
 * UTF-8 text as 0x hex, the form personal_sign takes.
 * @param {string} text
 * @returns {string}
 */
export function utf8ToHex(text) {
  let hex = "0x";
  for (const byte of new TextEncoder().encode(text)) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
