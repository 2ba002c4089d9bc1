// Loads the WebAssembly module (SONOTYPE_WASM_DIR) into Node for the tests. The module is built
// for the web and Workers only, so it is given its binary rather than left to fetch() it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * @param {string} wasmDir
 * @returns {Promise<import('../../wasm/sonotype.js').SonotypeModule>} typed by wasm/sonotype.d.ts
 */
export async function loadSonotype(wasmDir) {
  const { default: createSonotype } = await import(pathToFileURL(join(wasmDir, 'sonotype.js')).href);
  return createSonotype({ wasmBinary: readFileSync(join(wasmDir, 'sonotype.wasm')) });
}
