// Reads a plain 16-bit PCM WAV as librosa.load does for a file at its own rate: the mean of the
// channels of int16 / 32768, as float32. Enough for the GTZAN clips and the synthetic references.
// Written apart from the page's web/wav.js on purpose: the browser test checks that one against it.
import { readFileSync } from 'node:fs';

export function readWav(path) {
  const bytes = readFileSync(path);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (offset) => bytes.toString('latin1', offset, offset + 4);
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error(`${path}: not a RIFF/WAVE file`);
  let format = null;
  for (let offset = 12; offset + 8 <= bytes.length;) {
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (tag(offset) === 'fmt ') {
      format = { code: view.getUint16(body, true), channels: view.getUint16(body + 2, true),
        rate: view.getUint32(body + 4, true), bits: view.getUint16(body + 14, true) };
    } else if (tag(offset) === 'data') {
      if (!format || format.code !== 1 || format.bits !== 16) throw new Error(`${path}: not 16-bit PCM`);
      const frames = Math.floor(Math.min(size, bytes.length - body) / (2 * format.channels));
      const samples = new Float32Array(frames);
      for (let i = 0; i < frames; i++) {
        let sum = 0;
        for (let c = 0; c < format.channels; c++) sum += view.getInt16(body + 2 * (i * format.channels + c), true) / 32768;
        samples[i] = sum / format.channels;
      }
      return { samples, rate: format.rate };
    }
    offset = body + size + (size & 1);  // chunks are padded to even sizes
  }
  throw new Error(`${path}: no data chunk`);
}
