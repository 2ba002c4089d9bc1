// Loads the WebAssembly module (SONOTYPE_WASM_DIR) into Node for the tests.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * @param {string} wasmDir
 * @returns {Promise<import('../../wasm/sonotype.js').SonotypeModule>} typed by wasm/sonotype.d.ts
 */
export async function loadSonotype(wasmDir) {
  // Emscripten 3.1.6 emits CommonJS's `require` and `__dirname` into its ES-module output for
  // Node; give them to it. The binary is passed in because its loader would fetch() a file path.
  globalThis.require ??= createRequire(import.meta.url);
  globalThis.__dirname ??= wasmDir;
  const { default: createSonotype } = await import(pathToFileURL(join(wasmDir, 'sonotype.js')).href);
  return createSonotype({ wasmBinary: readFileSync(join(wasmDir, 'sonotype.wasm')) });
}
