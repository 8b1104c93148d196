"""Machine-speed calibration: a plain CPython loop of 10^7 additions, timed.

    python3 calibrate.py

Run it right before a timing of run.py, so that timings taken on different days (or on a
busy machine) can be put side by side. BENCHMARKS.md's earlier sessions timed the loop at
module level (global variables, slower), so both are printed.
"""

import time

start = time.time()
total = 0
for i in range(10**7):
    total += i
at_module_level = time.time() - start


def in_a_function():
    start = time.time()
    total = 0
    for i in range(10**7):
        total += i
    return time.time() - start


print(
    f"10^7 additions in a Python loop: {at_module_level:.3f} s at module level "
    f"(as BENCHMARKS.md's sessions 6-12), {in_a_function():.3f} s in a function"
)
