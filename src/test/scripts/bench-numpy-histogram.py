#!/usr/bin/env python3
"""numpy.histogram on the same float32 array as HistogramCollectionBenchmark (the anchor of that benchmark).

Usage: bench-numpy-histogram.py target/bench/histogram-input.npy
Prints the best and median time of np.histogram(x, bins=2048, range=(-6, 6)) over 15 runs, and elements/s.
"""
import sys
import time

import numpy as np

x = np.load(sys.argv[1])
assert x.dtype == np.float32
times = []
for _ in range(15):
    t = time.perf_counter()
    np.histogram(x, bins=2048, range=(-6.0, 6.0))
    times.append(time.perf_counter() - t)
times.sort()
print(f"numpy {np.__version__} np.histogram(float32[{x.size}], 2048 bins, fixed range): "
      f"best {times[0] * 1e3:.1f} ms, median {times[len(times) // 2] * 1e3:.1f} ms, "
      f"{x.size / times[len(times) // 2] / 1e9:.3f} G elements/s (median)")
