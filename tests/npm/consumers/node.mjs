// The Node consumer of the package: `node node.mjs WAV WAV_AT_44100 READER` prints, as JSON, the
// package's answers for the WAV's bytes and for its PCM (read by READER, the tests' own WAV
// reader), for the WAV at 44.1 kHz (resampled by the module), the errors for bad inputs, and the cold start: from import to the first result.
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

const started = performance.now();
const { Sonotype } = await import('sonotype');

const [wavPath, wav44100Path, readerPath] = process.argv.slice(2);
const { readWav } = await import(pathToFileURL(readerPath).href);
const summary = (analysis) => ({ label: analysis.label, proba: Array.from(analysis.proba) });
const failure = (promise) => promise.then(() => null, (error) => error.message);

const sonotype = await Sonotype.create();
const wav = summary(await sonotype.classify(await readFile(wavPath)));
const coldMs = performance.now() - started;
const { samples, rate } = readWav(wavPath);
const pcm = summary(await sonotype.classify({ samples, sampleRate: rate }));
const features = Array.from((await sonotype.features({ samples, sampleRate: rate })).features);
const similar = sonotype.similar([await sonotype.classify(await readFile(wavPath)),
  await sonotype.classify(await readFile(wav44100Path))], 0, 5);

const otherRate = summary(await sonotype.classify(await readFile(wav44100Path)));
const errors = {
  notAudio: await failure(sonotype.classify(new TextEncoder().encode('not a wav file'))),
  tooShort: await failure(sonotype.classify({ samples: samples.subarray(0, 1000), sampleRate: rate })),
  notPcm: await failure(sonotype.classify({ samples: Array.from(samples.subarray(0, 10)), sampleRate: rate })),
  badModel: await failure(Sonotype.create({ model: new Uint8Array([1, 2, 3]) })),
};
const afterErrors = summary(await sonotype.classify(await readFile(wavPath)));
sonotype.dispose();
errors.disposed = await failure(sonotype.classify({ samples, sampleRate: rate }));

console.log(JSON.stringify({ coldMs, labels: sonotype.model.labels, wav, pcm, otherRate, features, similar, errors, afterErrors }));
