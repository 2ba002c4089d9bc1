// TypeScript declarations of the package's entry points (browser.js, node.js: the same API).
// The results are the WebAssembly module's own types (sonotype.d.ts, from wasm/sonotype.d.ts).
import type { Analysis, ModelInfo, SimilarSong, TrainResult, WindowFeatures } from './sonotype.js';

export type {
  Analysis, AnalysisTimings, AnalysisWindow, BaseProbabilities, FeatureTimings, ModelInfo, Prediction, SimilarSong,
  TrainCandidate, TrainReport, TrainResult, WindowFeatures,
} from './sonotype.js';

/** Mono audio samples (any range; 1.0 is full scale) at `sampleRate` Hz. */
export interface PcmAudio {
  samples: Float32Array;
  sampleRate: number;
}

/** An audio file (a File, a Blob, or its bytes), or PCM. FLAC files are read by the module
 *  everywhere, as libsndfile reads them; in a browser window any other format the browser decodes
 *  is read too; in Node and in Workers, WAV files (8/16/24/32-bit PCM, 32-bit float).
 *  Audio at another rate than the model's (22050 Hz) is resampled by the module as librosa.load
 *  resamples it. */
export type AudioInput = Blob | ArrayBuffer | ArrayBufferView | PcmAudio;

/** A .sono model: its bytes, or where to read them (a URL; in Node also a file path). */
export type ModelSource = Blob | ArrayBuffer | ArrayBufferView | URL | string;

/** One song to train a personal model on: its genre, a name for messages (by default a File's
 *  name, or "song N"), and either its 57 features (as numbers, or what features() or classify()
 *  resolved with: classify()'s are its first window's) or its audio. */
export type TrainExample = { genre: string; name?: string } & (
  | { features: ArrayLike<number> | { features: ArrayLike<number> }; input?: undefined }
  | { input: AudioInput; features?: undefined });

export interface CreateOptions {
  /** The model to classify with; by default the GTZAN model that comes with the package. */
  model?: ModelSource;
}

export declare class Sonotype {
  private constructor();
  /** Instantiates the WebAssembly module and loads the model. Rejects when the model cannot be
   *  read or is not a valid .sono blob. */
  static create(options?: CreateOptions): Promise<Sonotype>;
  /** The Sonotype release of the module, e.g. "0.1.0". */
  readonly version: string;
  /** The model in use. */
  readonly model: ModelInfo;
  /** Makes `model` the model in use and resolves with its description. On failure the previous
   *  model stays in use. */
  loadModel(model: ModelSource): Promise<ModelInfo>;
  /** The genre of one song: its windows' answers combined. Rejects, for that input only, with a
   *  message saying why (not audio, empty, shorter than 3 s, not finite, silent); a File's
   *  message starts with its name. */
  classify(input: AudioInput): Promise<Analysis>;
  /** The 57 GTZAN features of the whole input, as librosa 0.8.1 computes them. */
  features(input: AudioInput): Promise<WindowFeatures>;
  /** The n songs of `collection` (default 10) most like `collection[query]`, nearest first, the
   *  query left out: distances in the model's standardised feature space, as `sonotype similar`
   *  ranks them. A song is a classify() result, or its windows' features one after another. */
  similar(collection: ReadonlyArray<Analysis | ArrayLike<number>>, query: number, n?: number): SimilarSong[];
  /** Trains a personal model on the examples (at least 3 genres of at least 3 songs each), as
   *  `sonotype train` does: scaled features, configurations chosen by cross-validation. Resolves
   *  with the .sono `blob` (for create() and loadModel(), and `sonotype classify --model`) and the
   *  `report`; the model in use does not change. Rejects with a message naming the song or the
   *  problem (a song without 57 finite features, undecodable audio, too few genres or songs). */
  train(examples: Iterable<TrainExample>): Promise<TrainResult>;
  /** Releases the WebAssembly instance; later calls throw. */
  dispose(): void;
}
