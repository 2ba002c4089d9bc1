#!/usr/bin/python3
"""Classify a whole catalogue of audio files on Dask, or compute its GTZAN features.

    /usr/bin/python3 tools/catalogue.py [--output OUT.csv] [--model M] [--workers N | --scheduler ADDRESS]
                                        [--features [--segments 3]] PATH...

PATH is an audio file, a directory (searched recursively for audio files by extension, in sorted
order) or @LIST, a text file naming one path per line. Each file is one Dask task, on a
LocalCluster of --workers processes (default: one per core) or on the scheduler at --scheduler.
Rows are appended to the CSV as tasks finish (in completion order, not input order), one per file:
  classify  the columns of `sonotype classify --format csv`: path, genre, probability,
            second_genre, each genre's probability, error, novelty, novel;
  features  path, then the row of `sonotype features` (filename, length, the 57 features, label),
            then error; one row per segment with --segments.
A file that fails becomes a row holding its error (the command line's message), and the others
carry on. Running again with the same --output skips the files it already holds, so an
interrupted catalogue resumes where it stopped (a row cut short by the interruption is redone).

The `sonotype` Python module is imported from build/native/python (tools/test.sh builds it).
Workers of another scheduler need it on their PYTHONPATH and the audio files at the same paths;
the model travels to them inside the task graph.
"""
import argparse
import csv
import os
import sys
import time
from pathlib import Path

MODULE_DIR = Path(__file__).resolve().parent.parent / "build" / "native" / "python"
AUDIO_EXTENSIONS = {".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3"}  # what libsndfile decodes


def import_sonotype(module_dir=MODULE_DIR):
    """The sonotype module, from `module_dir` when it is not already importable."""
    try:
        import sonotype
    except ImportError:
        sys.path.insert(0, str(module_dir))
        import sonotype
    return sonotype


# ---------------------------------------------------------------------------- rows -------------

def classify_header(labels):
    return ["path", "genre", "probability", "second_genre", *labels, "error", "novelty", "novel"]


def features_header(feature_names):
    return ["path", "filename", "length", *feature_names, "label", "error"]


def number(x):
    """The shortest text that reads back as x, as the command line prints numbers ("0", not "0.0")."""
    text = repr(float(x))
    return text[:-2] if text.endswith(".0") else text


def error_row(header, path, message):
    row = [path, *[""] * (len(header) - 1)]
    row[header.index("error")] = message
    return row


def classify_row(labels, path, result):
    """A song's row: the genre, its probability, the runner-up, every genre's probability and the
    novelty score, with six decimals as `sonotype classify --format csv` prints them, and whether
    the song is novel ("true"/"false"; both empty for a model without novelty entries)."""
    proba = [result["proba"][label] for label in labels]
    ranked = sorted(range(len(labels)), key=lambda c: -proba[c])  # stable: ties keep the labels' order
    second = labels[ranked[1]] if len(labels) > 1 else ""
    novelty = result["novelty"]
    return [path, result["genre"], f"{result['probability']:.6f}", second, *(f"{p:.6f}" for p in proba), "",
            f"{novelty['score']:.6f}" if novelty else "", ("true" if novelty["novel"] else "false") if novelty else ""]


# ---------------------------------------------------------------------------- tasks ------------
# Each runs on a worker, for one file, and returns that file's rows. Bad input (ValueError, with
# the command line's message) becomes an error row here; anything else is caught by the client.

def classify_task(path, model, module_dir):
    sonotype = import_sonotype(module_dir)
    header = classify_header(model.labels)
    try:
        y, sr = sonotype.load(path, sr=model.sample_rate)  # its message names the file
    except ValueError as error:
        return [error_row(header, path, str(error))]
    try:
        return [classify_row(model.labels, path, model.classify(y, sr))]
    except ValueError as error:
        return [error_row(header, path, f"{path}: {error}")]


def features_task(path, segments, module_dir):
    sonotype = import_sonotype(module_dir)
    header = features_header(sonotype.FEATURE_NAMES)
    try:
        y, sr = sonotype.load(path)
    except ValueError as error:
        return [error_row(header, path, str(error))]
    name, label = Path(path).name, Path(os.path.abspath(path)).parent.name
    try:
        if not segments:
            return [[path, name, len(y), *map(number, sonotype.gtzan_features(y, sr).values()), label, ""]]
        rows = sonotype.gtzan_features(y, sr, segments=segments)
    except ValueError as error:
        return [error_row(header, path, f"{path}: {error}")]
    stem, suffix = os.path.splitext(name)
    length = segments * 22050 - 1
    return [[path, f"{stem}.{d}{suffix}", length, *map(number, row.values()), label, ""] for d, row in enumerate(rows)]


# ---------------------------------------------------------------------------- files ------------

def audio_files(paths):
    """The files named by `paths` (files, directories searched recursively, @LIST files), in order,
    each once. Folders that cannot be read are reported on stderr and skipped."""
    seen, files = set(), []

    def add(path):
        if path not in seen:
            seen.add(path)
            files.append(path)

    def unreadable(error):
        print(f"catalogue: cannot read folder {error.filename}: {error.strerror}", file=sys.stderr)

    for given in paths:
        if given.startswith("@"):
            with open(given[1:], encoding="utf-8") as listing:
                for line in listing:
                    if line.rstrip("\n"):
                        add(line.rstrip("\n"))
        elif os.path.isdir(given):
            found = []
            for folder, subfolders, names in os.walk(given, onerror=unreadable):
                subfolders.sort()
                found += [os.path.join(folder, n) for n in names if Path(n).suffix.lower() in AUDIO_EXTENSIONS]
            for path in sorted(found):
                add(path)
        else:
            add(given)  # a missing file becomes an error row, like any file that cannot be read
    return files


def open_output(path, header):
    """The output CSV opened for appending, and the paths it already holds. A last row cut short
    by an interruption (no final newline) is removed, so that its file is done again."""
    done = set()
    if os.path.exists(path) and os.path.getsize(path) > 0:
        with open(path, "rb+") as f:
            data = f.read()
            if not data.endswith(b"\n"):
                f.truncate(data.rfind(b"\n") + 1)
        with open(path, newline="", encoding="utf-8") as f:
            rows = csv.reader(f)
            existing = next(rows, None)
            if existing is not None and existing != header:
                raise SystemExit(f"catalogue: {path} has other columns than this run writes "
                                 "(another model or mode?); give another --output")
            done = {row[0] for row in rows if row}
    out = open(path, "a", newline="", encoding="utf-8")
    if out.tell() == 0:
        csv.writer(out, lineterminator="\n").writerow(header)
    return out, done


# ---------------------------------------------------------------------------- running ----------

def run(client, files, output, submit, header, log=sys.stderr):
    """Runs submit(path) -> future for each file not yet in `output`, at most a few per worker
    thread at once, appending each file's rows as it finishes. Returns (files done, failed)."""
    from distributed import as_completed

    out, done = open_output(output, header)
    todo = [f for f in files if f not in done]
    print(f"catalogue: {len(todo)} files to do, {len(files) - len(todo)} already in {output}", file=log)
    writer = csv.writer(out, lineterminator="\n")
    in_flight = 2 * sum(client.nthreads().values()) + 4
    pending, paths = iter(todo), {}

    def submit_next(queue):
        path = next(pending, None)
        if path is not None:
            future = submit(path)
            paths[future.key] = path
            queue.add(future)

    queue = as_completed()
    for _ in range(in_flight):
        submit_next(queue)
    failed = finished = 0
    start = time.monotonic()
    with out:
        for future in queue:
            path = paths.pop(future.key)
            try:
                rows = future.result()
            except Exception as error:  # the worker died, or an error that is not bad input
                rows = [error_row(header, path, f"{path}: {type(error).__name__}: {error}")]
            failed += rows[0][header.index("error")] != ""
            finished += 1
            writer.writerows(rows)
            out.flush()
            future.release()
            submit_next(queue)
    elapsed = time.monotonic() - start
    rate = f", {finished / elapsed:.2f} files/s" if finished and elapsed > 0 else ""
    print(f"catalogue: {finished} files done, {failed} failed{rate}", file=log)
    return finished, failed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="audio files, directories, or @LIST files")
    parser.add_argument("-o", "--output", default="catalogue.csv", help="the CSV to append to (default %(default)s)")
    parser.add_argument("--model", default="gtzan", help="a .sono file or the name of one in models/")
    parser.add_argument("--features", action="store_true", help="write the 57 features instead of genres")
    parser.add_argument("--segments", type=int, choices=range(1, 31), metavar="SECONDS",
                        help="with --features: one row per segment (3 gives features_3_sec.csv)")
    cluster = parser.add_mutually_exclusive_group()
    cluster.add_argument("--scheduler", help="address of a running Dask scheduler (default: a LocalCluster)")
    cluster.add_argument("--workers", type=int, default=os.cpu_count(), help="LocalCluster processes (default %(default)s)")
    args = parser.parse_args(argv)

    sonotype = import_sonotype()
    files = audio_files(args.paths)
    # Spawned LocalCluster workers find the module through this, as do their unpickled models.
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(MODULE_DIR), os.environ.get("PYTHONPATH")]))

    if args.features:
        header, task = features_header(sonotype.FEATURE_NAMES), features_task
        argument = lambda client: args.segments
    else:
        try:
            model = sonotype.Model(args.model)  # a bad model stops us before any cluster starts
        except ValueError as error:
            raise SystemExit(f"catalogue: {error}")
        header, task = classify_header(model.labels), classify_task
        argument = lambda client: client.scatter([model], broadcast=True)[0]  # to each worker once, not with every task

    def classify_or_featurise(client):
        shared = argument(client)
        submit = lambda path: client.submit(task, path, shared, str(MODULE_DIR), pure=False)
        return run(client, files, args.output, submit, header)[1]

    from distributed import Client, LocalCluster
    if args.scheduler:
        with Client(args.scheduler) as client:
            failed = classify_or_featurise(client)
    else:  # the client closes before its cluster
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            failed = classify_or_featurise(client)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
