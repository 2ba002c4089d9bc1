#!/usr/bin/python3
"""Writes tests/data/resampled_features.json: librosa 0.8.1's 57 features (librosa.load(path),
i.e. soundfile's libsndfile decoding and resampy's kaiser_best resampling to 22050 Hz) of MP3,
FLAC and Ogg files that tests/unit/cli_resampled_test.cpp makes at test time with ffmpeg from GTZAN
dev clips at 44.1 and 48 kHz, stereo.

The clips never enter the repository, and neither do the encoded files: the test re-makes each
file with the same ffmpeg command (bit-exact flags: no random Ogg serial number, no version tag)
and compares only when the file's CRC-32 and size equal the ones recorded here, so the
references always belong to the bytes under test. Another ffmpeg version that encodes
differently makes the test fail and say so; then re-run this script there:
    /usr/bin/python3 tools/make_resampled_features.py [SHARED_DIR]
"""
import json
import pathlib
import subprocess
import sys
import tempfile
import zlib

import numpy as np

exec(open('/tmp/librosa_oracle.py').read())  # noqa: S102 - defines `librosa` (0.8.1)

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / 'tests' / 'data' / 'resampled_features.json'
CLIPS = ['blues.00000', 'classical.00000']
RATES = [44100, 48000]
CODECS = {  # extension: ffmpeg codec arguments
    'mp3': ['-c:a', 'libmp3lame', '-b:a', '192k'],
    'flac': ['-c:a', 'flac', '-sample_fmt', 's16'],
    'ogg': ['-c:a', 'libvorbis', '-q:a', '5'],
}


def ffmpeg_args(source, rate, ext, out):
    # The same list tests/unit/cli_resampled_test.cpp builds.
    return ['ffmpeg', '-v', 'error', '-y', '-i', str(source), '-ar', str(rate), '-ac', '2', *CODECS[ext],
            '-fflags', '+bitexact', '-flags:a', '+bitexact', '-map_metadata', '-1', str(out)]


def gtzan57(y, sr=22050):
    """The Kaggle table's 57 columns as librosa 0.8.1 computes them (see ../shared/README.md)."""
    columns = {}

    def mean_var(name, values):
        columns[f'{name}_mean'] = float(np.mean(values))
        columns[f'{name}_var'] = float(np.var(values))

    mean_var('chroma_stft', librosa.feature.chroma_stft(y=y, sr=sr))
    mean_var('rms', librosa.feature.rms(y=y))
    mean_var('spectral_centroid', librosa.feature.spectral_centroid(y=y, sr=sr))
    mean_var('spectral_bandwidth', librosa.feature.spectral_bandwidth(y=y, sr=sr))
    mean_var('rolloff', librosa.feature.spectral_rolloff(y=y, sr=sr))
    mean_var('zero_crossing_rate', librosa.feature.zero_crossing_rate(y))
    harmonic, percussive = librosa.effects.hpss(y)
    mean_var('harmony', harmonic)
    mean_var('perceptr', percussive)
    columns['tempo'] = float(librosa.beat.beat_track(y=y, sr=sr)[0])
    for i, row in enumerate(librosa.feature.mfcc(y=y, sr=sr), start=1):
        mean_var(f'mfcc{i}', row)
    return columns


def main():
    shared = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ROOT.parent / 'shared')
    files = []
    with tempfile.TemporaryDirectory() as work:
        for clip in CLIPS:
            for rate in RATES:
                for ext in CODECS:
                    name = f'{clip}.{rate}.{ext}'
                    path = pathlib.Path(work) / name
                    subprocess.run(ffmpeg_args(shared / 'data/gtzan/dev_audio' / f'{clip}.wav', rate, ext, path), check=True)
                    data = path.read_bytes()
                    y, sr = librosa.load(str(path), sr=22050)
                    files.append({'clip': clip, 'rate': rate, 'format': ext, 'size': len(data),
                                  'crc32': zlib.crc32(data), 'samples': len(y), 'features': gtzan57(y, sr)})
                    print(name, len(data), len(y), files[-1]['features']['tempo'])
    OUT.write_text(json.dumps({'librosa': librosa.__version__, 'files': files}, indent=1) + '\n')
    print(f'wrote {OUT}')


if __name__ == '__main__':
    main()
