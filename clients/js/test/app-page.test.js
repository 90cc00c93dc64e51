// The credits page (/app) as the gateway serves it: public assets with the ids a browser test drives, and the
// client module served byte for byte from this package (one copy, linked into the gateway).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { findSilo, missing, Silo } from "./support/silo.js";

const skip = missing("the built silo (silo/bin/*/net10.0/Grid.Silo.dll or GRID_SILO_DLL)", findSilo());
const SOURCE = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "src");

describe("/app", { skip }, () => {
  let silo;

  before(async () => {
    silo = await new Silo().start();
  });

  after(async () => {
    await silo?.dispose();
  });

  test("the page is served without a token and carries the ids tests use", async () => {
    const response = await fetch(`${silo.baseUrl}/app`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type"), /^text\/html/);
    assert.match(response.headers.get("content-security-policy"), /script-src 'self'/);
    const html = await response.text();
    for (const id of ["balance", "held", "journal", "status", "packages", "wallet-pay", "wallet-sign-in"]) {
      assert.match(html, new RegExp(`data-testid="${id}"`), id);
    }
    assert.doesNotMatch(html, /https?:\/\//, "no asset from elsewhere");
    const script = await fetch(`${silo.baseUrl}/app/app.js`);
    assert.match(script.headers.get("content-type"), /^text\/javascript/);
    assert.match(await script.text(), /from "\/app\/grid-client\.js"/);
    assert.equal((await fetch(`${silo.baseUrl}/app/app.css`)).status, 200);
  });

  test("every client module is served as it is in clients/js/src", async () => {
    const files = readdirSync(SOURCE).filter((f) => f.endsWith(".js"));
    assert.ok(files.includes("grid-client.js"));
    for (const file of files) {
      const response = await fetch(`${silo.baseUrl}/app/${file}`);
      assert.equal(response.status, 200, file);
      assert.equal(await response.text(), readFileSync(path.join(SOURCE, file), "utf8"), `${file} differs from the source`);
    }
  });

  test("conditional requests and unknown files", async () => {
    const first = await fetch(`${silo.baseUrl}/app/grid-client.js`);
    const etag = first.headers.get("etag");
    assert.ok(etag);
    const again = await fetch(`${silo.baseUrl}/app/grid-client.js`, { headers: { "If-None-Match": etag } });
    assert.equal(again.status, 304);
    const unknown = await fetch(`${silo.baseUrl}/app/secrets.json`);
    assert.equal(unknown.status, 404);
    assert.equal((await unknown.json()).code, "not_found");
    assert.equal((await fetch(`${silo.baseUrl}/app/..%2Fappsettings.json`)).status, 404);
  });
});
