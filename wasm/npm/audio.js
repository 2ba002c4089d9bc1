// What classify() and features() read, from any input the package takes: mono float32 samples at
// the model's rate. Files are decoded by the page's own code (decode.js and wav.js, copied from
// web/ into the package by tools/build-npm.sh), so that the package and the page hear a file alike,
// and FLAC by the module's own reader (dr_flac), so that it is heard as the command line hears it:
//   - FLAC anywhere: the module's decodeAudio(), libsndfile's samples;
//   - where Web Audio exists (a browser window), decodeToMono(): WAV read sample for sample, any
//     other format decoded by the browser;
//   - elsewhere (Node, a Worker), WAV files, read by wav.js as libsndfile reads them.
// PCM ({samples, sampleRate}) works anywhere.
import { decodeToMono, downmix, EmptyAudioError, flacStart, SAMPLE_RATE } from './decode.js';
import { readWav } from './wav.js';

const INPUT_KINDS = 'a File, a Blob, an ArrayBuffer, a typed array of file bytes, or {samples: Float32Array, sampleRate}';

// module(): the WebAssembly module in use (asked for each time: it may be disposed of while a file
// is read), whose resample(samples, fromRate, toRate) is the one resampler every path below uses
// (librosa's), and whose decodeAudio(bytes) -> {samples, sampleRate} reads FLAC.
export async function monoSamples(input, module) {
  const resample = (samples, from, to) => module().resample(samples, from, to);
  if (isPcm(input)) return atModelRate(pcmSamples(input), input.sampleRate, resample);
  const bytes = await fileBytes(input);
  if (flacStart(bytes) >= 0) {
    const flac = module().decodeAudio(new Uint8Array(bytes));
    return atModelRate(flac.samples, flac.sampleRate, resample);
  }
  if (typeof OfflineAudioContext === 'function') return decodeToMono(bytes, resample);
  const wav = readWav(bytes);
  if (!wav) {
    throw new Error('Not a WAV or FLAC file this package can read (WAV: 8-, 16-, 24- or 32-bit PCM, or 32-bit '
      + 'float). Outside a browser window only WAV and FLAC files are decoded: decode other formats first '
      + 'and pass {samples, sampleRate}.');
  }
  if (wav.frames === 0) throw new EmptyAudioError();
  return atModelRate(downmix(wav.channels()), wav.sampleRate, resample);
}

function isPcm(input) {
  return input !== null && typeof input === 'object' && 'samples' in input && 'sampleRate' in input;
}

function pcmSamples({ samples, sampleRate }) {
  if (!(samples instanceof Float32Array)) throw new TypeError('samples must be a Float32Array of mono audio');
  if (!(Number.isFinite(sampleRate) && sampleRate > 0)) throw new RangeError(`sampleRate must be a positive number of Hz, not ${sampleRate}`);
  return samples;
}

// A copy of the file's bytes as an ArrayBuffer of its own (decodeAudioData detaches what it is given).
async function fileBytes(input) {
  if (typeof Blob === 'function' && input instanceof Blob) return input.arrayBuffer();
  if (input instanceof ArrayBuffer) return input.slice(0);
  if (ArrayBuffer.isView(input)) return input.buffer.slice(input.byteOffset, input.byteOffset + input.byteLength);
  throw new TypeError(`Expected ${INPUT_KINDS}; got ${describe(input)}.`);
}

const describe = (value) => (value === null ? 'null' : typeof value === 'object' ? value.constructor?.name ?? 'an object' : typeof value);

function atModelRate(samples, rate, resample) {
  return rate === SAMPLE_RATE ? samples : resample(samples, rate, SAMPLE_RATE);
}
