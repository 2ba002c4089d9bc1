// TypeScript declarations of sonotype/pool: many inputs classified at once in module Workers.
import type { Analysis, AudioInput, ModelSource, WindowFeatures } from './index.js';

export interface PoolOptions {
  /** How many Workers: by default one per core, at most 4. */
  size?: number;
  /** As Sonotype.create() takes it; it must survive postMessage (bytes, a Blob, a URL or string). */
  model?: ModelSource;
}

export declare class SonotypePool {
  constructor(options?: PoolOptions);
  /** Resolves when every Worker has started or failed to; rejects only when none could start. */
  readonly ready: Promise<void>;
  readonly size: number;
  /** Sonotype.classify() in the next free Worker. A failure is this input's alone. */
  classify(input: AudioInput): Promise<Analysis>;
  features(input: AudioInput): Promise<WindowFeatures>;
  /** Every input's result or error, in their order. */
  classifyAll(inputs: Iterable<AudioInput>): Promise<PromiseSettledResult<Analysis>[]>;
  /** Ends the Workers; inputs still waiting or running reject. */
  dispose(): void;
}
