// The web consumer of the package (bundled by Vite and by esbuild): Sonotype on the page's own
// thread. The test chooses files in #files and calls window.consumer.classifyChosen().
import { Sonotype } from 'sonotype';

const started = performance.now();
const ready = Sonotype.create().then((sonotype) => ({ sonotype, createMs: performance.now() - started }));

// What a result looks like once it has crossed into the test: plain arrays.
export const summary = (analysis) => ({ label: analysis.label, proba: Array.from(analysis.proba) });
export const chosenFiles = () => [...document.querySelector('#files').files];

async function classifyChosen() {
  const { sonotype, createMs } = await ready;
  const results = [];
  for (const file of chosenFiles()) {
    const begun = performance.now();
    try {
      results.push({ file: file.name, ...summary(await sonotype.classify(file)), ms: performance.now() - begun });
    } catch (error) {
      results.push({ file: file.name, error: error.message });
    }
  }
  return { createMs, labels: sonotype.model.labels, results };
}

window.consumer = { ...window.consumer, classifyChosen };
