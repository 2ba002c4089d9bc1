// The entry point for browsers, Workers and any runtime with fetch(). The module's binary and the
// default model are assets beside this file: bundlers (Vite, webpack 5) see the two
// `new URL('./…', import.meta.url)` below and copy the files into the build.
import { defineSonotype } from './api.js';

const wasmUrl = new URL('./sonotype.wasm', import.meta.url);

async function readBytes(source) {
  const url = new URL(source, globalThis.location?.href);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.href}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

export const Sonotype = defineSonotype({
  // locateFile lets the module compile its binary while it downloads.
  instantiate: (createSonotype) => createSonotype({ locateFile: () => wasmUrl.href }),
  defaultModel: new URL('./gtzan.sono', import.meta.url),
  readBytes,
});
