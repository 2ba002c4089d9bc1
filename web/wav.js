// Reads uncompressed WAV files itself, because browsers do not scale samples as librosa does:
// Chromium maps 16-bit PCM to x/32767 for positive and x/32768 for negative samples, while
// libsndfile (librosa's soundfile, and the sonotype CLI) divides by 32768 throughout. Reading the
// samples here keeps a WAV at the model's rate bit-identical to what the training features saw.

// WAVE_FORMAT_PCM, WAVE_FORMAT_IEEE_FLOAT, and WAVE_FORMAT_EXTENSIBLE (whose sub-format GUID
// starts with one of the two).
const PCM = 1;
const FLOAT = 3;
const EXTENSIBLE = 0xfffe;

// Sample readers, normalised as libsndfile's sf_read_float does.
const READERS = {
  [`${PCM}/8`]: (view, at) => (view.getUint8(at) - 128) / 128,
  [`${PCM}/16`]: (view, at) => view.getInt16(at, true) / 32768,
  [`${PCM}/24`]: (view, at) => ((view.getInt8(at + 2) << 16) | view.getUint16(at, true)) / 8388608,
  [`${PCM}/32`]: (view, at) => view.getInt32(at, true) / 2147483648,
  [`${FLOAT}/32`]: (view, at) => view.getFloat32(at, true),
};

// The header of a RIFF/WAVE file of a format above: {sampleRate, frames, channels()}, where
// channels() reads the samples ([Float32Array, ...], one per channel). Only the header is parsed
// here, so that a file the browser will decode anyway (any other rate) is not also read into
// memory. Otherwise null: not a WAV, a format above, or a header cut short (the caller then lets
// the browser decode the file, or say that it cannot).
export function readWav(bytes) {
  const view = new DataView(bytes);
  const tag = (at) => String.fromCharCode(...new Uint8Array(bytes, at, 4));
  if (bytes.byteLength < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return null;
  let format = null;
  for (let at = 12; at + 8 <= bytes.byteLength;) {
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    const present = (length) => body + length <= bytes.byteLength;  // not cut off by the end of the file
    if (tag(at) === 'fmt ' && size >= 16) {
      if (!present(16)) return null;
      let code = view.getUint16(body, true);
      if (code === EXTENSIBLE && size >= 26 && present(26)) code = view.getUint16(body + 24, true);
      format = { code, channels: view.getUint16(body + 2, true), sampleRate: view.getUint32(body + 4, true),
        bits: view.getUint16(body + 14, true) };
    } else if (tag(at) === 'data') {
      const read = format && READERS[`${format.code}/${format.bits}`];
      if (!read || format.channels === 0) return null;
      const step = format.bits / 8;
      // A data chunk longer than the file (a truncated download) gives the frames that are there.
      const frames = Math.floor(Math.min(size, bytes.byteLength - body) / (step * format.channels));
      const channels = () => {
        const out = Array.from({ length: format.channels }, () => new Float32Array(frames));
        for (let i = 0, offset = body; i < frames; i++) {
          for (const channel of out) {
            channel[i] = read(view, offset);
            offset += step;
          }
        }
        return out;
      };
      return { sampleRate: format.sampleRate, frames, channels };
    }
    at = body + size + (size & 1);  // chunks are padded to an even size
  }
  return null;
}
