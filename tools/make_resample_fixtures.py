#!/usr/bin/python3
"""Writes tests/data/resample_reference.json: what librosa 0.8.1 (with resampy 0.4.2) gives for
known signals, the truth that tests/unit/audio_test.cpp checks core/audio.cpp against.

Run with Debian's python3 and the librosa 0.8.1 oracle (see BRIEF/DEVELOPERS):
    /usr/bin/python3 tools/make_resample_fixtures.py
The signals are sums of sines the C++ test rebuilds sample for sample:
    float32(amplitude * sin(2 * pi * freq * i / rate)) per channel.
"""
import json
import pathlib

import numpy as np

exec(open('/tmp/librosa_oracle.py').read())  # noqa: S102 - defines `librosa` (0.8.1)
import resampy  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parent.parent / 'tests' / 'data' / 'resample_reference.json'


def channel(freq, amplitude, rate, n):
    return (amplitude * np.sin(2 * np.pi * freq * np.arange(n) / rate)).astype(np.float32)


# name, input rate, output rate, filter, samples, [(freq, amplitude)] per channel
CASES = [
    ('sine 1 kHz, 44.1 kHz, odd length', 44100, 22050, 'kaiser_best', 2001, [[(1000, 0.5)]]),
    ('sine 1 kHz, 44.1 kHz, kaiser_fast', 44100, 22050, 'kaiser_fast', 2001, [[(1000, 0.5)]]),
    ('tone 15 kHz, above the new Nyquist', 44100, 22050, 'kaiser_best', 2000, [[(15000, 0.5)]]),
    ('sine 3 kHz, 48 kHz', 48000, 22050, 'kaiser_best', 2400, [[(3000, 0.25)]]),
    ('stereo down-mix, 48 kHz', 48000, 22050, 'kaiser_best', 2401, [[(440, 0.5), (9000, 0.3)], [(660, 0.25), (9000, -0.3)]]),
    ('upsampling 8 kHz', 8000, 22050, 'kaiser_best', 400, [[(1000, 0.7)]]),
    ('upsampling 8 kHz, kaiser_fast', 8000, 22050, 'kaiser_fast', 400, [[(1000, 0.7)]]),
    ('period too long for a table, 44101 Hz', 44101, 22050, 'kaiser_best', 2000, [[(2000, 0.5)]]),
]


def main():
    cases = []
    for name, orig, target, res_type, n, channels in CASES:
        y = np.stack([sum(channel(f, a, orig, n) for f, a in parts) for parts in channels])
        mono = librosa.to_mono(y) if len(channels) > 1 else y[0]
        out = librosa.resample(mono, orig, target, res_type=res_type)
        cases.append({'name': name, 'orig_sr': orig, 'target_sr': target, 'filter': res_type, 'n': n,
                      'channels': [[[f, a] for f, a in parts] for parts in channels],
                      'y': [float(repr(v)) for v in out]})
    # librosa.resample's output length, ceil(n * target / orig), and where resampy refuses.
    lengths = []
    for n, orig, target in [(1, 44100, 22050), (2, 44100, 22050), (3, 48000, 22050), (1, 22050, 44100),
                            (661794, 44100, 22050), (1323589, 48000, 22050), (999, 96000, 22050)]:
        try:
            got = len(librosa.resample(np.zeros(n, np.float32), orig, target))
        except ValueError:
            got = None
        lengths.append({'n': n, 'orig_sr': orig, 'target_sr': target, 'length': got})
    # Entries of resampy's stored filter tables, to check the ones built from the definition.
    tables = {}
    for res_type in ['kaiser_best', 'kaiser_fast']:
        window, precision, _ = resampy.filters.get_filter(res_type)
        index = np.unique(np.concatenate([np.arange(40), np.linspace(0, len(window) - 1, 200).astype(int)]))
        tables[res_type] = {'size': len(window), 'index': index.tolist(), 'value': window[index].tolist()}
    OUT.write_text(json.dumps({'librosa': librosa.__version__, 'resampy': resampy.__version__,
                               'cases': cases, 'lengths': lengths, 'tables': tables}) + '\n')
    print(f'wrote {OUT} ({OUT.stat().st_size} bytes)')


if __name__ == '__main__':
    main()
