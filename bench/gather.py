"""CPython's side of the benchmark: asyncio.gather overhead on this machine.

Prints JSON: for each N, the median over REPEATS of (wall - 100 ms) for
gather of N `asyncio.sleep(0.1)`, and a sequential 20 x 50 ms run.
"""
import asyncio
import json
import statistics
import sys
import time

REPEATS = 3


async def gather_overhead_ms(n: int) -> float:
    start = time.perf_counter()
    await asyncio.gather(*(asyncio.sleep(0.1) for _ in range(n)))
    return (time.perf_counter() - start) * 1000 - 100


async def sequential_overhead_ms(n: int, ms: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        await asyncio.sleep(ms / 1000)
    return (time.perf_counter() - start) * 1000 - n * ms


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10, 100, 1000, 10000]
    out = {"python": sys.version.split()[0], "gather": {}, "sequential_20x50": None}
    for n in sizes:
        runs = [asyncio.run(gather_overhead_ms(n)) for _ in range(REPEATS)]
        out["gather"][str(n)] = statistics.median(runs)
    runs = [asyncio.run(sequential_overhead_ms(20, 50)) for _ in range(REPEATS)]
    out["sequential_20x50"] = statistics.median(runs)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
