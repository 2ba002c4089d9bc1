// librosa.load's resampling of one song shared out among workers: the song is cut into parts,
// each resampled on its own (the module's resample(), in a worker), and the outputs put back
// together. The result is identical, sample for sample, to resampling the song whole, because
//  - each part starts and ends a margin beyond the outputs kept from it, so that every kept output
//    sees the same inputs as it would in the whole song (the filter reaches at most 50 zero
//    crossings, about 220 input samples at 96 kHz, to either side); and
//  - each part starts at a multiple of the rate pair's period (from / gcd(from, to) inputs), so its
//    outputs fall on the same filter phases as in the whole song.
// Rate pairs with a long period (e.g. 44101 Hz) are resampled whole: their filter phases are
// computed per output from its time, which a part's offset would round differently.

const MARGIN = 4096;        // input samples beyond each part's kept outputs
const MAX_PERIOD = 4096;    // inputs per period of the rate pair, for a pair to be split
const MIN_PART = 1 << 18;   // inputs; shorter songs are not worth splitting

const gcd = (a, b) => (b === 0 ? a : gcd(b, a % b));

// samples: mono Float32Array at `from` Hz. resample(part, i) resamples part i (of at most `parts`)
// from `from` to `to` Hz and resolves with its Float32Array; a part other than `samples` itself is a
// copy the callee may take. Resolves with the whole song at `to` Hz.
export async function resampleInParts(samples, from, to, parts, resample) {
  const period = from / gcd(from, to);          // inputs per period
  const outputsPerPeriod = to / gcd(from, to);
  const count = Math.min(parts, Math.floor(samples.length / MIN_PART));
  if (count < 2 || period > MAX_PERIOD) return resample(samples, 0);

  const margin = Math.ceil(MARGIN / period) * period;
  const periods = Math.floor(samples.length / period);
  // Part i keeps the outputs of input periods [cuts[i], cuts[i + 1]); the last keeps the rest.
  const cuts = Array.from({ length: count }, (_, i) => Math.round((periods * i) / count) * period);
  const outputs = await Promise.all(cuts.map((cut, i) => {
    const begin = Math.max(0, cut - margin);
    const end = i + 1 < count ? Math.min(samples.length, cuts[i + 1] + margin) : samples.length;
    return resample(samples.slice(begin, end), i).then((y) => ({ y, first: (begin / period) * outputsPerPeriod }));
  }));
  const whole = new Float32Array(outputs.at(-1).first + outputs.at(-1).y.length);
  outputs.forEach(({ y, first }, i) => {
    const keepFrom = (cuts[i] / period) * outputsPerPeriod;
    const keepTo = i + 1 < count ? (cuts[i + 1] / period) * outputsPerPeriod : whole.length;
    whole.set(y.subarray(keepFrom - first, keepTo - first), keepFrom);
  });
  return whole;
}
