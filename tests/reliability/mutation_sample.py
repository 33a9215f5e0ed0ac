"""A seeded random sample of mutmut's mutants of one file, each run against a test command.

mutmut (PyPI, 2.x) generates the mutants; this driver applies one at a time in place,
runs the tests with a time limit, and restores the file (also on Ctrl-C). A full
``mutmut run`` of the storage files takes hours on a 2-core machine; a sample gives the
share killed with its uncertainty in minutes.

    python tests/reliability/mutation_sample.py graphs/checkpointer.py 24 \\
        -- python -m pytest -x -q -p no:cacheprovider tests/test_checkpointer.py -k "not postgres"

``MUTATION_BUDGET_S=280`` stops sampling (file restored, figures printed for the mutants
run so far) once that many seconds have passed; ``MUTATION_SKIP=N`` skips the first N
mutants of the sample (to continue a run that hit its budget).
"""

from __future__ import annotations

import math
import os
import random
import subprocess
import sys
import time
from pathlib import Path


def mutant_ids(path: Path) -> list:
    """mutmut's mutation ids of a file."""
    from mutmut import Context, list_mutations

    return list_mutations(Context(source=path.read_text(), filename=str(path)))


def apply(path: Path, source: str, mid: object) -> str:
    """``source`` with mutant ``mid`` applied ('' when mutmut cannot apply it)."""
    from mutmut import Context, mutate

    try:
        mutated, n = mutate(Context(source=source, filename=str(path), mutation_id=mid))
    except BaseException:  # noqa: BLE001 - mutmut exits on a few constructs it cannot mutate
        return ""
    return mutated if n and mutated != source else ""


def main() -> int:
    sep = sys.argv.index("--")
    path, n = Path(sys.argv[1]), int(sys.argv[2])
    seed = int(sys.argv[3]) if sep > 3 else 0
    cmd = sys.argv[sep + 1 :]
    original = path.read_text()
    allm = mutant_ids(path)
    sample = random.Random(seed).sample(allm, min(n, len(allm)))
    killed, survived = 0, []
    t0 = time.time()
    try:
        budget = float(os.environ.get("MUTATION_BUDGET_S", "inf"))
        skip = int(os.environ.get("MUTATION_SKIP", "0"))
        for i, mid in enumerate(sample):
            if i < skip:
                continue
            if time.time() - t0 > budget:
                print(f"budget of {budget:.0f} s spent after {i} of {len(sample)} mutants", flush=True)
                break
            mutated = apply(path, original, mid)
            if not mutated:
                continue
            path.write_text(mutated)
            try:
                rc = subprocess.run(cmd, capture_output=True, timeout=120).returncode
            except subprocess.TimeoutExpired:
                rc = -1  # a hang counts as caught (the suite would time out)
            if rc != 0:
                killed += 1
            else:
                after = [b for a, b in zip(original.splitlines(), mutated.splitlines()) if a != b][:1]
                survived.append(f"line {mid.line_number + 1}: {mid.line.strip()[:100]}  ->  {(after or ['?'])[0].strip()[:100]}")
            print(f"[{i + 1}/{len(sample)}] {'killed' if rc else 'SURVIVED'} line {mid.line_number + 1}", flush=True)
    finally:
        path.write_text(original)
    k = killed + len(survived)
    p = killed / k if k else 0.0
    half = 1.96 * math.sqrt(p * (1 - p) / k) if k else 0.0
    print(f"{path}: {len(allm)} mutants, sample {k} (seed {seed}): killed {killed} = {p:.0%} (95% CI ±{half:.0%}), {time.time() - t0:.0f} s")
    for s in survived:
        print("  survived:", s)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
