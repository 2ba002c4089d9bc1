// ../shared for the Node and browser tests, with the project's skip rule: without it a test file
// prints "SKIPPED (no ../shared)" (ctest then reports it as skipped), except under CI=true, where
// a missing ../shared is a failure.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** @returns {string | null} */
export function sharedDir() {
  const dir = process.env.SONOTYPE_SHARED_DIR;
  if (dir && existsSync(join(dir, 'reference/librosa-0.8.1'))) return dir;
  if (process.env.CI === 'true') throw new Error(`../shared is required under CI (SONOTYPE_SHARED_DIR=${dir})`);
  console.log('SKIPPED (no ../shared)');
  return null;
}

// An environment variable that ctest always sets (tests/CMakeLists.txt).
export function requiredEnv(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this test through ctest (tools/test.sh)`);
  return value;
}
