// A TypeScript consumer of the package: `tsc --noEmit` checks it against the package's types.
import { Sonotype, type Analysis, type AudioInput, type ModelInfo, type TrainExample, type TrainReport } from 'sonotype';
import { SonotypePool } from 'sonotype/pool';

export async function genreOf(file: File | ArrayBuffer): Promise<string> {
  const sonotype = await Sonotype.create();
  const info: ModelInfo = sonotype.model;
  const analysis: Analysis = await sonotype.classify(file);
  const p: number = analysis.proba[analysis.top];
  const windows: string[] = analysis.windows.map((w) => `${w.start}-${w.end}: ${w.label}`);
  const features: Float64Array = (await sonotype.features({ samples: new Float32Array(66150), sampleRate: 22050 })).features;
  sonotype.dispose();
  return `${info.labels[analysis.top]} ${p} ${windows.length} ${features.length}`;
}

export async function genres(inputs: AudioInput[]): Promise<(string | Error)[]> {
  const pool = new SonotypePool({ size: 2, model: new URL('https://example.org/custom.sono') });
  const results = await pool.classifyAll(inputs);
  pool.dispose();
  return results.map((r) => (r.status === 'fulfilled' ? r.value.label : (r.reason as Error)));
}

// A personal model from files and from features computed before; its blob makes a Sonotype.
export async function personalModel(files: File[], known: { features: Float64Array; genre: string }[]): Promise<Sonotype> {
  const sonotype = await Sonotype.create();
  const examples: TrainExample[] = [
    ...files.map((file) => ({ input: file, genre: file.name.split('.')[0] })),
    ...known.map(({ features, genre }, i) => ({ features, genre, name: `known ${i}` })),
    { features: await sonotype.features(files[0]), genre: 'mine' },
  ];
  const { blob, report }: { blob: Uint8Array; report: TrainReport } = await sonotype.train(examples);
  console.log(report.chosen.model, report.chosen.accuracy, report.confusion[0][0], report.labels.join());
  return Sonotype.create({ model: blob });
}

export async function misuse(sonotype: Sonotype) {
  // @ts-expect-error: an example has its genre
  await sonotype.train([{ features: new Float64Array(57) }]);
  // @ts-expect-error: an example is its features or its audio, not both
  await sonotype.train([{ features: new Float64Array(57), input: new ArrayBuffer(0), genre: 'a' }]);
  // @ts-expect-error: PCM needs its sample rate
  await sonotype.classify({ samples: new Float32Array(10) });
  // @ts-expect-error: a number is not audio
  await sonotype.classify(42);
  // @ts-expect-error: the result's genre is `label`
  (await sonotype.classify(new ArrayBuffer(0))).genre;
  // @ts-expect-error: a Sonotype is made by Sonotype.create()
  new Sonotype();
}
