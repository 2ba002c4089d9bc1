// The page's handle on worker.js: each method posts a request and resolves with its answer.
export class Classifier {
  #worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  #pending = new Map();  // request id -> {resolve, reject}
  #nextId = 0;

  // Resolves with {version, model} once the module and the default model are loaded.
  ready = new Promise((resolve, reject) => this.#pending.set('ready', { resolve, reject }));

  constructor() {
    this.#worker.onmessage = ({ data: { id, value, error } }) => {
      const request = this.#pending.get(id);
      this.#pending.delete(id);
      if (error === undefined) request.resolve(value);
      else request.reject(new Error(error));
    };
    // A worker that cannot even start (script missing, module syntax) fails every request.
    this.#worker.onerror = (event) => {
      event.preventDefault();
      const error = new Error(`The classifier could not start: ${event.message || 'worker.js failed to load'}`);
      for (const request of this.#pending.values()) request.reject(error);
      this.#pending.clear();
    };
  }

  // samples: mono Float32Array at 22050 Hz; its buffer moves to the worker (no copy).
  analyse(samples) {
    return this.#call('analyse', samples, [samples.buffer]);
  }

  // bytes: the ArrayBuffer of a .sono file. Resolves with the model's info; on failure the
  // previous model stays in use.
  loadModel(bytes, name) {
    return this.#call('loadModel', { bytes, name }, [bytes]);
  }

  loadDefaultModel() {
    return this.#call('loadDefaultModel');
  }

  #call(method, arg, transfer = []) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, method, arg }, transfer);
    });
  }
}
