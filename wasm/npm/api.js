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

    // Releases the WebAssembly instance; any later call throws.
    dispose() {
      this.#module = null;
    }

    async #withSamples(input, use) {
      try {
        // The module's resampler (librosa's, as the page and the command line use it).
        const samples = await monoSamples(input, (pcm, from, to) => this.#live().resample(pcm, from, to));
        try {
          return use(samples);
        } catch (error) {
          if (error instanceof WebAssembly.RuntimeError) await this.#restart();
          throw error;
        }
      } catch (error) {
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
