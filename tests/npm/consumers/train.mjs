// `node train.mjs FIXTURE WAV OUT.sono`: trains a personal model with the package on the
// fixture's songs (tests/data/train_parity.json: X, y, songs) given in each form train() takes
// (numbers, a features() result, an Analysis-like object), plus the WAV's PCM as audio of one
// more song, writes the blob to OUT.sono and prints, as JSON, the report, the WAV classified by
// the new model, and the errors of training sets train() refuses.
import { readFile, writeFile } from 'node:fs/promises';

import { Sonotype } from 'sonotype';

const [fixturePath, wavPath, outPath] = process.argv.slice(2);
const fixture = JSON.parse(await readFile(fixturePath, 'utf8'));
const sonotype = await Sonotype.create();

const forms = [(x) => x, (x) => Float64Array.from(x), (x) => ({ features: Float64Array.from(x), timings: {} })];
const examples = fixture.X.map((x, i) => ({ features: forms[i % forms.length](x), genre: fixture.y[i], name: fixture.songs[i] }));
examples.push({ input: await readFile(wavPath), genre: 'blues', name: 'the WAV' });
const { blob, report } = await sonotype.train(examples);
await writeFile(outPath, blob);

const mine = await Sonotype.create({ model: blob });
const analysis = await mine.classify(await readFile(wavPath));
const failure = (promise) => promise.then(() => null, (error) => error.message);
const errors = {
  oneGenre: await failure(sonotype.train(examples.map((e) => ({ ...e, genre: 'blues' })))),
  shortRow: await failure(sonotype.train([{ features: [1, 2, 3], genre: 'blues', name: 'three numbers' }, ...examples])),
  badAudio: await failure(sonotype.train([...examples, { input: new Uint8Array(100), genre: 'rock', name: 'noise bytes' }])),
};
console.log(JSON.stringify({ report: { ...report, cvConfidence: Array.from(report.cvConfidence) },
  labels: mine.model.labels, classified: { label: analysis.label, proba: Array.from(analysis.proba) }, errors }));
