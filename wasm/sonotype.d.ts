// TypeScript declarations for sonotype.js, the ES module that Emscripten builds from wasm/api.cpp.
//
//   import createSonotype from './build/sonotype.js';
//   const sonotype = await createSonotype();
//   sonotype.loadModel(new Uint8Array(await (await fetch('build/gtzan.sono')).arrayBuffer()));
//   const { label, proba } = sonotype.analyse(samples);  // mono Float32Array at 22050 Hz
//   sonotype.resample(samplesAt44k, 44100, 22050);         // librosa.load's resampling
//
// Every method is synchronous and throws an Error whose message says what went wrong (a malformed
// model blob; audio that is empty, shorter than 3 s, not finite or silent; no model loaded).
// Results are plain objects and typed arrays that belong to the caller: they can be kept, posted
// to another thread or structured-cloned, and need no delete().

/** What a loaded model classifies, and how its training features were computed. */
export interface ModelInfo {
  /** The genres, in the order of every probability array. */
  labels: string[];
  /** The 57 feature names, in the order of `features` and of classifyFeatures' input. */
  featureNames: string[];
  pipeline: {
    /** Hz of the audio that analyse() expects (22050 for GTZAN models). */
    sampleRate: number;
    nFft: number;
    hopLength: number;
    /** Length in seconds of the clips the model was trained on: analyse() classifies windows this long. */
    windowSeconds: number;
  };
}

/** Probabilities of each member of the model's top-level vote or stack, one per label, under its
 *  node name in the model graph: logistic, kw_logistic and kw_pca_hgb for the default model. */
export interface BaseProbabilities {
  [name: string]: Float64Array;
}

/** The ensemble's answer for one feature vector. */
export interface Prediction {
  /** One probability per label; they sum to 1. */
  proba: Float64Array;
  /** Index of the most probable label. */
  top: number;
  /** labels[top]. */
  label: string;
  /** What each member of the model's top-level vote or stack said (empty for a single estimator). */
  base: BaseProbabilities;
  /** How unlike the model's training music the features are; null when the model's blob has no
   *  novelty entries (novelty unknown). */
  novelty: Novelty | null;
}

/** Novelty: the mean distance from the features, in the model's standardised space, to the
 *  nearest training examples. When `novel`, "this does not sound like the music the model was
 *  trained on": the probabilities are still given, but describe something the model never heard. */
export interface Novelty {
  score: number;
  /** A high percentile of the training examples' own scores (stored in the model). */
  threshold: number;
  /** score > threshold. */
  novel: boolean;
}

/** One analysis window of a song: the ensemble's answer for that stretch. */
export interface AnalysisWindow {
  /** Start and end of the window in seconds from the beginning of the audio. */
  start: number;
  end: number;
  /** Quieter than -90 dBFS throughout: its answer is shown but left out of the song's. */
  silent: boolean;
  proba: Float64Array;
  top: number;
  label: string;
  /** The window's own novelty (null when unknown). */
  novelty: Novelty | null;
  /** The window's 57 features (ModelInfo.featureNames order). */
  features: Float64Array;
}

/** Milliseconds of computation inside the module, per feature stage. */
export interface FeatureTimings {
  stft: number; spectral: number; chroma: number; mfcc: number; hpss: number; tempo: number;
  /** All stages. */
  total: number;
}

/** Milliseconds of computation inside the module, summed over the windows (when workers share
 *  a song, its wall-clock time is shorter). */
export interface AnalysisTimings extends FeatureTimings {
  /** Computing the 57 features of every window (the stages' total). */
  features: number;
  /** Running the ensemble on every window and combining the windows. */
  classify: number;
  /** features + classify. */
  total: number;
}

/** One window's features, as features() returns them and classifySong() takes them back. */
export interface WindowFeatures {
  /** The window's 57 features (ModelInfo.featureNames order). */
  features: Float64Array;
  timings: FeatureTimings;
}

/** A window of a song in samples: [begin, end). */
export interface SampleRange {
  begin: number;
  end: number;
}

/** What classifySong() takes for each window: its range and what features() gave for it. The
 *  features may be any array of 57 numbers; timings are only summed into the answer's, and
 *  missing ones count as 0. */
export interface WindowInput extends SampleRange {
  features: Float64Array | ArrayLike<number>;
  timings?: Partial<FeatureTimings>;
}

/** The result for a whole song: the probabilities of its windows that are not silent averaged,
 *  plus every window on its own.
 *  Windows are as long as the model's training clips (ModelInfo.pipeline.windowSeconds); audio up
 *  to 1.5 windows long is one window, longer audio is covered by evenly spaced windows. */
export interface Analysis extends Prediction {
  /** Base estimators' probabilities averaged over the windows. */
  base: BaseProbabilities;
  windows: AnalysisWindow[];
  /** The median of the windows' novelty scores, leaving silent windows out (null when unknown). */
  novelty: Novelty | null;
  /** The 57 features (ModelInfo.featureNames order) of the first window: for a clip no longer
   *  than the model's window, the features of the whole clip. */
  features: Float64Array;
  timings: AnalysisTimings;
}

/** One song of a collection, as similar() finds it. */
export interface SimilarSong {
  /** Its index in the collection passed to similar(). */
  index: number;
  /** Euclidean distance to the query song in the model's standardised feature space (the scaled
   *  space the KNN uses), between the songs' points: each song's point is the mean of its
   *  non-silent windows' standardised features. */
  distance: number;
  /** 1 / (1 + distance / sqrt(57)), in (0, 1]: 1 for identical features, 0.5 when the songs differ
   *  by one training standard deviation per feature (root mean square). */
  similarity: number;
}

/** One cross-validated configuration of a personal model. */
export interface TrainCandidate {
  /** e.g. "logistic regression C=0.3", "distance-weighted KNN k=7". */
  model: string;
  kind: 'logistic' | 'knn' | 'average';
  /** LogisticRegression's C (logistic and average), KNN's k (knn and average); 0 otherwise. */
  C: number;
  k: number;
  /** Share of the songs whose out-of-fold genre was right. */
  accuracy: number;
}

/** What train() learnt about the user's genres. */
export interface TrainReport {
  /** The genres, sorted: the model's labels and the order of every array here. */
  labels: string[];
  songsPerGenre: number[];
  /** "5-fold stratified", or "leave-one-out" when a genre has fewer than 10 songs. */
  cvScheme: string;
  /** Every configuration tried, in order. */
  tried: TrainCandidate[];
  /** The one in the blob. */
  chosen: TrainCandidate;
  /** confusion[true][predicted]: out-of-fold song counts of the chosen configuration. */
  confusion: number[][];
  /** Each song's out-of-fold genre (index in labels) and its probability, in input order: the
   *  songs the model is least sure of have the lowest. */
  cvPredicted: number[];
  cvConfidence: Float64Array;
  /** Milliseconds the training took. */
  trainMs: number;
}

export interface TrainResult {
  /** The .sono model: loadModel() and `sonotype classify --model` read it. */
  blob: Uint8Array;
  report: TrainReport;
}

export interface SonotypeModule {
  /** The Sonotype release this module was built from, e.g. "0.1.0". */
  version(): string;
  /** Reads a .sono model blob and makes it the model in use. Throws an Error starting with
   *  "model blob: " when the blob is malformed; the previous model then stays in use. */
  loadModel(blob: Uint8Array): ModelInfo;
  /** Mono PCM at `from` Hz resampled to `to` Hz exactly as librosa 0.8.1's load() and resample()
   *  do (resampy's kaiser_best filter): ceil(length * to / from) samples, the same as the command
   *  line gives. Returns the samples unchanged (copied) when the rates are equal. Throws for rates
   *  that are not whole numbers from 1 to 1000000 Hz, or audio too short to give a sample. */
  resample(samples: Float32Array, from: number, to: number): Float32Array;
  /** Reads an audio file that the module decodes itself, a FLAC file (native FLAC, 8 to 32 bits),
   *  to mono at the file's own rate: the samples libsndfile gives the command line (x / 2^(bits-1),
   *  then the mean of the channels as librosa.to_mono), for resample() to bring to the model's
   *  rate. Throws for bytes that are not FLAC or whose header is damaged, a file with no samples,
   *  one that decodes to fewer samples than its header says (cut short or damaged), or one longer
   *  than an hour. */
  decodeAudio(bytes: Uint8Array): { samples: Float32Array; sampleRate: number };
  /** Classifies mono PCM at the model's sample rate (22050 Hz): the 57 GTZAN features of each
   *  window, as librosa 0.8.1 computes them, then the ensemble. Throws for empty audio, audio
   *  shorter than 3 s, samples that are not finite, silence (every window quieter than
   *  -90 dBFS), or when no model is loaded. */
  analyse(samples: Float32Array): Analysis;
  /** analyse() in three steps, for callers with several module instances (one per worker):
   *  songWindows(samples.length) says where the windows lie (throwing, as analyse() does, for
   *  empty or too short audio); features() of each `samples.subarray(begin, end)` can run in any
   *  instance; classifySong() of the ranges with their features, in song order, gives exactly
   *  analyse()'s answer (timings aside). */
  songWindows(length: number): SampleRange[];
  /** The 57 features of mono PCM at 22050 Hz. Throws for empty audio or non-finite samples. */
  features(samples: Float32Array): WindowFeatures;
  /** Throws for no windows, a window without a valid begin and end or 57 finite features, and,
   *  as analyse() does, when every window is silent. */
  classifySong(windows: WindowInput[]): Analysis;
  /** Classifies 57 features computed elsewhere (ModelInfo.featureNames order). */
  classifyFeatures(features: Float64Array | ArrayLike<number>): Prediction;
  /** "More like this": the `n` songs of `collection` nearest to `collection[query]`, nearest first
   *  (equal distances in collection order), the query itself left out. `sonotype similar FILE
   *  --in FOLDER` gives the same list for the same features: it orders a folder's songs by their
   *  relative paths compared as UTF-8 bytes (which matters only for songs at equal distances). Song i is `collection[i]`: the raw
   *  features of all its windows (`Analysis.windows[w].features`, every window, silent ones too:
   *  they are left out inside) one after another, 57 per window. Throws for a query that is not
   *  an index of the collection, a song whose length is not a multiple of 57, non-finite features,
   *  or no model loaded. */
  similar(collection: ArrayLike<Float64Array | ArrayLike<number>>, query: number, n: number): SimilarSong[];
  /** Trains a personal model from songs' features (n x 57 raw values, row-major, ModelInfo.featureNames
   *  order, e.g. Analysis.features), their genres and their names (for messages). Chooses by
   *  cross-validation; does not change the model in use. Throws an Error that says what is wrong
   *  with the songs: fewer than 3 genres, a genre with fewer than 3 songs, a song listed twice,
   *  a feature that is not finite. */
  train(features: Float64Array | ArrayLike<number>, genres: string[], songs: string[]): TrainResult;
}

export interface SonotypeOptions {
  /** The bytes of sonotype.wasm, when it should not be fetched (Node, or a custom loader). */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Where to find sonotype.wasm; by default next to sonotype.js. */
  locateFile?: (path: string, scriptDirectory: string) => string;
}

/** Instantiates the WebAssembly module. Each call makes an independent instance. */
export default function createSonotype(options?: SonotypeOptions): Promise<SonotypeModule>;
