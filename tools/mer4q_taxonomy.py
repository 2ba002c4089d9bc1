#!/usr/bin/python3
"""A teach-your-own taxonomy from the MER-4Q clips (../shared/data/mer4q): the first N clips (in
labels.csv order) of each chosen AllMusic genre, as the path,genre CSV that
`sonotype train --labels` reads (absolute paths).

    /usr/bin/python3 tools/mer4q_taxonomy.py OUT.csv N GENRE... [--mer DIR]

Refuses a genre with fewer than N clips, naming it and its count.
"""
import argparse
import csv
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("per_genre", type=int)
    parser.add_argument("genres", nargs="+")
    parser.add_argument("--mer", default=str(ROOT.parent / "shared/data/mer4q"))
    args = parser.parse_args()
    mer = pathlib.Path(args.mer).resolve()
    with open(mer / "labels.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    chosen = []
    for genre in args.genres:
        clips = [r["file"] for r in rows if r["allmusic_genre"] == genre]
        if len(clips) < args.per_genre:
            sys.exit(f"mer4q_taxonomy: genre {genre!r} has {len(clips)} clips, fewer than {args.per_genre}")
        chosen += [(str(mer / c), genre) for c in clips[:args.per_genre]]
    with open(args.out, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["path", "genre"])
        writer.writerows(chosen)


if __name__ == "__main__":
    main()
