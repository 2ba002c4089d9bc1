// Many files at once: a pool of module Workers (pool-worker.js), each with its own Sonotype. Each
// input goes to the next free worker, and its answer or its error is its own: a worker that dies
// on an input is replaced, so one bad file never ends the batch.
const defaultSize = () => Math.max(1, Math.min(globalThis.navigator?.hardwareConcurrency || 1, 4));
const disposedError = () => new Error('The pool was disposed of');

export class SonotypePool {
  #model;
  #slots;        // {thread, state: 'starting' | 'ready' | 'failed', job, failure}
  #queue = [];   // {method, input, resolve, reject} not yet given to a worker
  #disposed = false;

  // model: as Sonotype.create() takes it; a URL goes to the workers as a string resolved against
  // the page (a worker would resolve it against its own script).
  constructor({ size = defaultSize(), model } = {}) {
    const where = typeof model === 'string' || model instanceof URL;
    this.#model = where ? new URL(model, globalThis.location?.href).href : model;
    const count = Number.isFinite(size) ? Math.max(1, Math.floor(size)) : defaultSize();
    this.#slots = Array.from({ length: count }, () => ({ job: null }));
    const started = this.#slots.map((slot) => new Promise((resolve) => { slot.onStarted = resolve; }));
    this.#slots.forEach((slot) => this.#spawn(slot));
    // Resolves once every worker has started or failed to; rejects only when none could start,
    // with the first one's reason (a model that does not load, say).
    this.ready = Promise.all(started).then(() => {
      if (this.#slots.every((slot) => slot.state === 'failed')) throw this.#slots[0].failure;
    });
    this.ready.catch(() => {});  // the same reason reaches every input
  }

  get size() { return this.#slots.length; }

  classify(input) { return this.#submit('classify', input); }
  features(input) { return this.#submit('features', input); }

  // Classifies every input; resolves, in their order, with each one's {status: 'fulfilled', value}
  // or {status: 'rejected', reason}, as Promise.allSettled does.
  classifyAll(inputs) {
    return Promise.allSettled(Array.from(inputs, (input) => this.classify(input)));
  }

  // Ends every worker; inputs still waiting or running reject.
  dispose() {
    this.#disposed = true;
    for (const job of this.#queue.splice(0)) job.reject(disposedError());
    for (const slot of this.#slots) {
      slot.thread.terminate();
      slot.job?.reject(disposedError());
      slot.job = null;
    }
  }

  #submit(method, input) {
    if (this.#disposed) return Promise.reject(disposedError());
    return new Promise((resolve, reject) => {
      this.#queue.push({ method, input, resolve, reject });
      this.#next();
    });
  }

  #spawn(slot) {
    const thread = new Worker(new URL('./pool-worker.js', import.meta.url), { type: 'module' });
    Object.assign(slot, { thread, state: 'starting' });
    thread.onmessage = ({ data }) => {
      if ('started' in data) {
        slot.state = data.started ? 'ready' : 'failed';
        if (!data.started) slot.failure = new Error(data.error);
        slot.onStarted();
      } else {
        const { job } = slot;
        slot.job = null;
        if ('error' in data) job.reject(new Error(data.error));
        else job.resolve(data.value);
      }
      this.#next();
    };
    // The thread itself died (its script did not load, or an input exhausted its memory). After
    // a good start it is replaced; the input it held fails.
    thread.onerror = (event) => {
      event.preventDefault();
      thread.terminate();
      const error = new Error(`A Sonotype worker stopped: ${event.message || 'it could not run'}`);
      slot.job?.reject(error);
      slot.job = null;
      if (slot.state === 'ready') {
        this.#spawn(slot);
      } else {
        Object.assign(slot, { state: 'failed', failure: error });
        slot.onStarted();
      }
      this.#next();
    };
    thread.postMessage({ model: this.#model });
  }

  // Gives waiting inputs to free workers; when no worker can run, the inputs fail with the reason.
  #next() {
    if (this.#disposed) return;
    if (this.#slots.every((slot) => slot.state === 'failed')) {
      for (const job of this.#queue.splice(0)) job.reject(this.#slots[0].failure);
      return;
    }
    for (const slot of this.#slots) {
      while (slot.state === 'ready' && !slot.job && this.#queue.length > 0) {
        const job = this.#queue.shift();
        try {
          slot.thread.postMessage({ method: job.method, input: job.input });
          slot.job = job;
        } catch (error) {  // an input that cannot be sent to a Worker (DataCloneError)
          job.reject(new TypeError(`This input cannot be sent to a Worker: ${error.message}`));
        }
      }
    }
  }
}
