// The entry point for Node (the package's "node" export condition): the module's binary and the
// default model are read from disk beside this file, with no fetch().
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import { defineSonotype } from './api.js';

const wasmUrl = new URL('./sonotype.wasm', import.meta.url);
let wasmBinary;  // read once, shared by every instance

// source: a URL (file:, or http(s): fetched) or a string holding one or a file path.
async function readBytes(source) {
  const url = source instanceof URL ? source : URL.canParse(source) && /^[a-z][a-z0-9+.-]+:/i.test(source) ? new URL(source) : null;
  if (url && url.protocol !== 'file:') {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url.href}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }
  return new Uint8Array(await readFile(url ? fileURLToPath(url) : source));
}

export const Sonotype = defineSonotype({
  instantiate: async (createSonotype) => createSonotype({ wasmBinary: (wasmBinary ??= await readFile(fileURLToPath(wasmUrl))) }),
  defaultModel: new URL('./gtzan.sono', import.meta.url),
  readBytes,
});
