// Turns an audio file into what the classifier reads: mono float32 samples at 22050 Hz, as
// librosa.load(path, sr=22050, mono=True) gives the Python pipeline the model was trained with.
import { readWav } from './wav.js';

export const SAMPLE_RATE = 22050;

// A WAV already at 22050 Hz is read sample for sample (wav.js). Anything else is decoded by the
// browser in a 22050-Hz OfflineAudioContext: decodeAudioData resamples to the rate of its
// context, with the browser's own resampler. Rejects with a DecodeError when the browser cannot
// decode the file, and with an EmptyAudioError when it holds no samples (a WAV with an empty data
// chunk, which browsers call undecodable).
export async function decodeToMono(fileBytes) {
  const wav = readWav(fileBytes);
  if (wav?.frames === 0) throw new EmptyAudioError();
  if (wav?.sampleRate === SAMPLE_RATE) return downmix(wav.channels());

  const context = new OfflineAudioContext({ numberOfChannels: 1, length: 1, sampleRate: SAMPLE_RATE });
  const byteLength = fileBytes.byteLength;  // decodeAudioData detaches the buffer
  let audio;
  try {
    audio = await context.decodeAudioData(fileBytes);
  } catch (cause) {
    throw new DecodeError(cause, byteLength);
  }
  if (audio.length === 0) throw new EmptyAudioError();
  return downmix(Array.from({ length: audio.numberOfChannels }, (_, c) => audio.getChannelData(c)));
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
