// The package's API (index.d.ts): a Sonotype is one WebAssembly instance with its model. The
// entry points (browser.js, node.js) say where the module's binary and the default model come
// from; everything else is the same everywhere. It wraps the module's few calls (sonotype.d.ts)
// and adds none.
import createSonotype from './sonotype.js';
import { monoSamples } from './audio.js';

// platform: {instantiate(createSonotype): Promise<module> (how this runtime finds the binary),
//            defaultModel: URL, readBytes(URL | string): Promise<Uint8Array>}
export function defineSonotype(platform) {
  return class Sonotype {
    #module;
    #model;
    #modelBytes;  // kept to load the model again into a fresh instance after a crash

    // Use Sonotype.create(): a Sonotype needs a module and a model before it can be used.
    constructor(module, token) {
      if (token !== CREATING) throw new TypeError('Use `await Sonotype.create()` to make a Sonotype');
      this.#module = module;
    }

    static async create({ model } = {}) {
      const sonotype = new Sonotype(await platform.instantiate(createSonotype), CREATING);
      await sonotype.loadModel(model ?? platform.defaultModel);
      return sonotype;
    }

    get version() { return this.#live().version(); }
    get model() { return this.#model; }

    // model: the bytes of a .sono blob (ArrayBuffer, typed array, Blob) or where to read them
    // (URL, or a string: a URL, or in Node a file path). On failure the previous model stays.
    async loadModel(model) {
      const bytes = await bytesOf(model, platform).catch((error) => { throw prefixed('Could not read the model', error); });
      this.#model = this.#live().loadModel(bytes);
      this.#modelBytes = bytes;
      return this.#model;
    }

    // input: a File, Blob, ArrayBuffer or typed array of an audio file's bytes, or
    // {samples: Float32Array, sampleRate}. Resolves with the module's Analysis.
    classify(input) {
      return this.#withSamples(input, (samples) => this.#live().analyse(samples));
    }

    // The 57 GTZAN features of the whole input (as `sonotype features` gives them).
    features(input) {
      return this.#withSamples(input, (samples) => this.#live().features(samples));
    }

    // The n songs of `collection` most like song number `query`, nearest first and the query left
    // out, ranked as `sonotype similar` ranks them (the module's similar()). A song is a
    // classify() result, or its windows' raw features one after another (57 per window).
    similar(collection, query, n = 10) {
      return this.#live().similar(collection.map(songFeatures), query, n);
    }

    // A personal model of the user's own genres (the module's train(), as `sonotype train`):
    // each example is {genre, name?} with either `features` (the song's 57 features: numbers,
    // or what features() or classify() gave) or `input` (an audio file or PCM, whose features()
    // are computed here). Resolves with {blob, report}: the .sono bytes, which create() and
    // loadModel() take, and the cross-validation report. The model in use does not change.
    async train(examples) {
      const features = [], genres = [], names = [];
      for (const [i, example] of Array.from(examples).entries()) {
        const file = typeof File === 'function' && example.input instanceof File;
        const name = example.name ?? (file ? example.input.name : `song ${i + 1}`);
        let values = example.features;
        if (example.input !== undefined) {
          // A File's errors start with its name already (classify() and features() say it).
          values = await this.features(example.input).catch((error) => { throw file ? error : prefixed(name, error); });
        }
        values = Array.from(values?.features ?? values ?? []);
        if (values.length !== 57) throw new Error(`${name}: expected its 57 features or its audio, got ${values.length} values`);
        features.push(...values);
        genres.push(String(example.genre));
        names.push(name);
      }
      return this.#live().train(features, genres, names);
    }

    // Releases the WebAssembly instance; any later call throws.
    dispose() {
      this.#module = null;
    }

    async #withSamples(input, use) {
      try {
        // The module's resampler (librosa's, as the page and the command line use it) and FLAC reader.
        return use(await monoSamples(input, () => this.#live()));
      } catch (error) {
        if (error instanceof WebAssembly.RuntimeError) await this.#restart();
        throw typeof File === 'function' && input instanceof File ? prefixed(input.name, error) : error;
      }
    }

    // A trap (out of memory, say) leaves the instance unusable: the next input gets a fresh one
    // with the same model.
    async #restart() {
      this.#module = await platform.instantiate(createSonotype);
      this.#model = this.#module.loadModel(this.#modelBytes);
    }

    #live() {
      if (!this.#module) throw new Error('This Sonotype was disposed of: create another');
      return this.#module;
    }
  };
}

const CREATING = Symbol('Sonotype.create');

// An Analysis becomes its windows' features joined, as the module's similar() takes a song.
function songFeatures(song) {
  if (!song?.windows) return song;
  const joined = new Float64Array(song.windows.reduce((n, w) => n + w.features.length, 0));
  let at = 0;
  for (const { features } of song.windows) { joined.set(features, at); at += features.length; }
  return joined;
}

function prefixed(what, error) {
  return new Error(`${what}: ${error.message}`, { cause: error });
}

async function bytesOf(source, platform) {
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  if (typeof Blob === 'function' && source instanceof Blob) return new Uint8Array(await source.arrayBuffer());
  if (source instanceof URL || typeof source === 'string') return platform.readBytes(source);
  throw new TypeError('a model is the bytes of a .sono file (ArrayBuffer, typed array, Blob) or its URL');
}
