// Signs one Sign-In with Ethereum message the way a browser wallet would: the message text built by the
// siwe package, signed with personal_sign (EIP-191) by an ethers wallet.
//
//   node siwe-sign.mjs '{"privateKey":"0x..."|null,"domain":...,"uri":...,"chainId":...,"nonce":...,
//                        "issuedAt":...,"expirationTime"?:...,"statement"?:...,"notBefore"?:...,"resources"?:[...]}'
// prints {"message", "signature", "address"}; a null privateKey makes a fresh random wallet.
import { Wallet } from "ethers";
import { SiweMessage } from "siwe";

const input = JSON.parse(process.argv[2] ?? "{}");
const wallet = input.privateKey ? new Wallet(input.privateKey) : Wallet.createRandom();
const fields = {
  domain: input.domain,
  address: wallet.address,
  uri: input.uri,
  version: "1",
  chainId: input.chainId,
  nonce: input.nonce,
  issuedAt: input.issuedAt,
};
if (input.statement) fields.statement = input.statement;
if (input.expirationTime) fields.expirationTime = input.expirationTime;
if (input.resources) fields.resources = input.resources;
if (input.notBefore) fields.notBefore = input.notBefore;
const message = new SiweMessage(fields).prepareMessage();
const signature = await wallet.signMessage(message);
process.stdout.write(JSON.stringify({ message, signature, address: wallet.address, privateKey: wallet.privateKey }));
