// Turns an audio file into what the classifier reads: mono float32 samples at 22050 Hz, as
// librosa.load(path, sr=22050, mono=True) gives the Python pipeline the model was trained with.
import { readWav } from './wav.js';

export const SAMPLE_RATE = 22050;

// The rates an OfflineAudioContext accepts (the Web Audio specification's minimum range).
const MIN_CONTEXT_RATE = 8000;
const MAX_CONTEXT_RATE = 96000;

// A WAV is read sample for sample (wav.js). Anything else is decoded by the browser at the rate
// its header gives (storedRate below), so that the browser does not resample it. The mono samples
// are then resampled as librosa does by resample(samples, rate, SAMPLE_RATE), which the caller
// runs off the main thread (the WebAssembly module's resample() in a worker). Rejects with a
// DecodeError when the browser cannot decode the file, and with an EmptyAudioError when it holds
// no samples (a WAV with an empty data chunk, which browsers call undecodable).
export async function decodeToMono(fileBytes, resample) {
  const { samples, rate } = await decodeAtOwnRate(fileBytes);
  return rate === SAMPLE_RATE ? samples : resample(samples, rate, SAMPLE_RATE);
}

async function decodeAtOwnRate(fileBytes) {
  const wav = readWav(fileBytes);
  if (wav?.frames === 0) throw new EmptyAudioError();
  if (wav) return { samples: downmix(wav.channels()), rate: wav.sampleRate };

  const ownRate = storedRate(fileBytes);
  const flacBits = flacSampleBits(fileBytes);
  // A rate the context cannot take (or an unknown one) is left to the browser's resampler.
  const rate = ownRate >= MIN_CONTEXT_RATE && ownRate <= MAX_CONTEXT_RATE ? ownRate : SAMPLE_RATE;
  const context = new OfflineAudioContext({ numberOfChannels: 1, length: 1, sampleRate: rate });
  const byteLength = fileBytes.byteLength;  // decodeAudioData detaches the buffer
  let audio;
  try {
    audio = await context.decodeAudioData(fileBytes);
  } catch (cause) {
    throw new DecodeError(cause, byteLength);
  }
  if (audio.length === 0) throw new EmptyAudioError();
  const channels = Array.from({ length: audio.numberOfChannels }, (_, c) => audio.getChannelData(c));
  if (flacBits) channels.forEach((channel) => rescaleAsLibsndfile(channel, flacBits));
  return { samples: downmix(channels), rate };
}

// Chromium decodes integer FLAC samples x to x / (2^(B-1) - 1) when positive and x / 2^(B-1) when
// negative (B = 16, or 32 for deeper samples, which it widens to 32 bits), where libsndfile
// (librosa's soundfile, the CLI) divides by 2^(B-1) throughout, as for WAV (wav.js). Positive
// samples are put back on that scale; for 16-bit files this restores libsndfile's samples exactly.
function rescaleAsLibsndfile(channel, bits) {
  const full = 2 ** ((bits <= 16 ? 16 : 32) - 1);
  for (let i = 0; i < channel.length; i++) {
    if (channel[i] > 0) channel[i] = Math.round(channel[i] * (full - 1)) / full;
  }
}

// Where an ID3v2 tag that opens the file ends (its size is 4 x 7 bits, after a 10-byte header,
// and a 10-byte footer when flag bit 4 is set), or 0 when there is none. Taggers put one before
// MP3 frames and, now and then, before a FLAC stream.
function id3End(b) {
  if (b.length < 10 || String.fromCharCode(...b.subarray(0, 3)) !== 'ID3') return 0;
  return 10 + ((b[6] << 21) | (b[7] << 14) | (b[8] << 7) | b[9]) + (b[5] & 0x10 ? 10 : 0);
}

// Where the "fLaC" signature of a FLAC file starts (0, or after an ID3v2 tag, which libsndfile
// and dr_flac skip too), or -1 for a file that is not FLAC.
export function flacStart(bytes) {
  const b = new Uint8Array(bytes);
  const at = id3End(b);
  return at + 4 <= b.length && String.fromCharCode(...b.subarray(at, at + 4)) === 'fLaC' ? at : -1;
}

// A FLAC file's bits per sample (STREAMINFO: 5 bits, minus one, from bit 4 of byte 20 after the
// signature), or 0 for a file that is not FLAC.
function flacSampleBits(bytes) {
  const at = flacStart(bytes);
  const b = new Uint8Array(bytes);
  return at >= 0 && at + 22 <= b.length ? (((b[at + 20] & 1) << 4) | (b[at + 21] >> 4)) + 1 : 0;
}

// Chromium refuses to decode more than about 2 GB of samples at the file's own rate: about two
// hours of 44.1-kHz stereo, which as an MP3 takes from about 100 MB.
const LONG_RECORDING_BYTES = 100e6;

export class DecodeError extends Error {
  constructor(cause, byteLength) {
    super('This browser cannot decode the file: it is damaged, not audio, or in a format this '
      + `browser does not support (${cause.message || cause.name}).`
      + (byteLength >= LONG_RECORDING_BYTES
        ? ' If it is a recording of two hours or more, it may just be longer than a browser decodes'
          + ' at once: split it into parts.'
        : ''), { cause });
    this.name = 'DecodeError';
  }
}

export class EmptyAudioError extends Error {
  constructor() {
    super('The file holds no audio: it is a valid audio file with no samples in it.');
    this.name = 'EmptyAudioError';
  }
}

// The mean of the channels, as librosa.to_mono: numpy sums in float32, then divides. One channel
// is returned as it is.
export function downmix(channels) {
  if (channels.length === 1) return channels[0];
  const mono = Float32Array.from(channels[0]);
  for (const channel of channels.slice(1)) {
    for (let i = 0; i < mono.length; i++) mono[i] += channel[i];
  }
  for (let i = 0; i < mono.length; i++) mono[i] /= channels.length;
  return mono;
}

// The sample rate the file is stored at, from its header: FLAC, MP3, Ogg (Vorbis and Opus) and
// MP4/M4A. null for anything else or a header this cannot read; the browser then resamples while
// decoding, and the result is only close to librosa's.
const MP3_RATES = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

function storedRate(bytes) {
  const b = new Uint8Array(bytes);
  const view = new DataView(bytes);
  const text = (at, length) => String.fromCharCode(...b.subarray(at, at + length));
  const find = (pattern, limit) => {
    const codes = Array.from(pattern, (c) => c.charCodeAt(0));
    for (let at = 0; at + codes.length <= Math.min(b.length, limit); at++) {
      if (codes.every((code, i) => b[at + i] === code)) return at;
    }
    return -1;
  };
  if (b.length < 32) return null;

  // FLAC: STREAMINFO, the first metadata block, holds the rate in 20 bits at byte 18.
  const flac = flacStart(bytes);
  if (flac >= 0) return flac + 21 <= b.length ? (b[flac + 18] << 12) | (b[flac + 19] << 4) | (b[flac + 20] >> 4) || null : null;

  // Ogg: the first page carries the codec's identification header.
  if (text(0, 4) === 'OggS') {
    const vorbis = find('\x01vorbis', 512);
    if (vorbis >= 0 && vorbis + 16 <= b.length) return view.getUint32(vorbis + 12, true) || null;
    return find('OpusHead', 512) >= 0 ? 48000 : null;  // Opus always decodes at 48 kHz
  }

  // MP4/M4A: the 'mp4a' sample entry holds the rate as 16.16 fixed point, 28 bytes after its type.
  if (text(4, 4) === 'ftyp') {
    const entry = find('mp4a', b.length);
    return entry >= 0 && entry + 30 <= b.length ? view.getUint16(entry + 28) || null : null;
  }

  // MP3: skip an ID3v2 tag, then read the first frame header.
  let at = id3End(b);
  for (const end = Math.min(b.length - 4, at + 65536); at < end; at++) {
    if (b[at] === 0xff && (b[at + 1] & 0xe0) === 0xe0) {
      const version = (b[at + 1] >> 3) & 3;
      const layer = (b[at + 1] >> 1) & 3;
      const rateIndex = (b[at + 2] >> 2) & 3;
      if (version !== 1 && layer !== 0 && rateIndex !== 3) return MP3_RATES[version][rateIndex];
    }
  }
  return null;
}
