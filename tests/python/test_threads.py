"""Threads: the module releases the GIL while it computes, and several threads give exactly the
results of one."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import soundfile

import sonotype
from conftest import dev_clips


def test_four_threads_give_the_results_of_one(shared):
    songs = [soundfile.read(p, dtype="float32")[0] for p in dev_clips()[::5]]
    model = sonotype.Model()
    jobs = {
        "features": lambda y: sonotype.gtzan_features(y, as_array=True).tolist(),
        "segments": lambda y: sonotype.gtzan_features(y[:200000], segments=3, as_array=True).tolist(),
        "classify": lambda y: model.classify(y)["proba"],
        "mfcc": lambda y: sonotype.mfcc(y=y).tolist(),
    }
    for name, job in jobs.items():
        alone = [job(y) for y in songs]
        with ThreadPoolExecutor(4) as pool:
            together = list(pool.map(job, songs * 2))
        assert together == alone * 2, name


def test_the_gil_is_released_during_computation():
    # A Python thread counts while the main thread computes features of 60 s of noise. If the call
    # held the GIL, the counter could not move until it returned.
    y = np.random.default_rng(0).standard_normal(22050 * 60).astype(np.float32) * 0.1
    count, running = [0], [True]

    def counter():
        while running[0]:
            count[0] += 1
            time.sleep(0)

    thread = threading.Thread(target=counter)
    thread.start()
    try:
        time.sleep(0.05)
        before = count[0]
        sonotype.gtzan_features(y)
        during = count[0] - before  # read before this thread gives the GIL up again
    finally:
        running[0] = False
        thread.join()
    assert during > 100
