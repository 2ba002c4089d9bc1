// A consumer's own module Worker: the package imported in a Worker (no Web Audio: WAV and FLAC).
import { Sonotype } from 'sonotype';

const ready = Sonotype.create();
onmessage = async ({ data: { index, file } }) => {
  try {
    const analysis = await (await ready).classify(file);
    postMessage({ index, file: file.name, label: analysis.label, proba: Array.from(analysis.proba) });
  } catch (error) {
    postMessage({ index, file: file.name, error: error.message });
  }
};
