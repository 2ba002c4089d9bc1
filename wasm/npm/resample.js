// Resampling to the model's rate, for PCM and WAV files at another rate. Today it is the
// browser's, as the page's decoding resamples: an OfflineAudioContext at the target rate renders
// the samples. Without Web Audio (Node, Workers) audio must already be at the model's rate.
// When the WebAssembly module gains its exact resampler (librosa's), api.js passes that instead.
export async function webAudioResample(samples, fromRate, toRate) {
  if (samples.length === 0) return samples;  // the module says that it is empty
  if (typeof OfflineAudioContext !== 'function') {
    throw new Error(`The audio is at ${fromRate} Hz and the model reads ${toRate} Hz. Resampling needs Web Audio, `
      + `which this environment (Node or a Worker) does not have: pass audio at ${toRate} Hz.`);
  }
  const length = Math.max(1, Math.ceil((samples.length * toRate) / fromRate));
  const context = new OfflineAudioContext({ numberOfChannels: 1, length, sampleRate: toRate });
  const buffer = context.createBuffer(1, samples.length, fromRate);  // throws for a rate Web Audio cannot hold
  buffer.copyToChannel(samples, 0);
  const source = context.createBufferSource();
  source.buffer = buffer;
  source.connect(context.destination);
  source.start();
  return (await context.startRendering()).getChannelData(0);
}
