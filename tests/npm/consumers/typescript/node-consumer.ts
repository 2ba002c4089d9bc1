// A Node TypeScript consumer (module nodenext, Node's types, no DOM): the same package, by its
// "node" export condition's types.
import { readFile } from 'node:fs/promises';
import { Sonotype, type Analysis } from 'sonotype';

const sonotype = await Sonotype.create({ model: new URL('./custom.sono', import.meta.url) });
const fromFile: Analysis = await sonotype.classify(await readFile('song.wav'));
const fromPcm = await sonotype.classify({ samples: new Float32Array(66150), sampleRate: 22050 });
console.log(fromFile.label, fromPcm.proba[fromPcm.top], sonotype.model.labels.length);
// @ts-expect-error: samples are a Float32Array
await sonotype.classify({ samples: [0, 1], sampleRate: 22050 });
