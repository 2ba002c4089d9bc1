// The page's module uses WebAssembly SIMD: its disassembly holds v128 instructions.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import test from 'node:test';

import { requiredEnv } from '../support/shared.mjs';

test('sonotype.wasm contains SIMD (v128) instructions', async () => {
  const objdump = spawn('wasm-objdump', ['-d', join(requiredEnv('SONOTYPE_WASM_DIR'), 'sonotype.wasm')]);
  const exited = new Promise((resolve, reject) => {
    objdump.on('error', reject);
    objdump.on('close', resolve);
  });
  let simdLines = 0;
  for await (const line of createInterface({ input: objdump.stdout })) {
    if (line.includes('v128')) simdLines++;
  }
  assert.equal(await exited, 0, 'wasm-objdump succeeded');
  console.log(`# ${simdLines} disassembly lines mention v128`);
  assert.ok(simdLines > 0, 'no v128 instruction: was the module built with -msimd128 (SONOTYPE_SIMD=ON)?');
});
