"""Check a run's dataset card the way a hub and a user would, on any output folder.

    python bench/card_check.py OUT            # after: taoyu card OUT

1. ``mlcroissant validate`` on ``OUT/croissant.json``: no errors and no warnings;
2. ``mlcroissant`` loads the ``default`` record set, with as many records as the ledger kept;
3. ``datasets.load_dataset(OUT, config)`` for every config of the README's front matter, each with
   the row count its ``dataset_info`` states;
4. the README's funnel and row counts equal the ledger's.

Prints one line per check and exits 1 if any fails. Used for the 100k-document figures in
docs/benchmarks.md (the zh-web recipe over ``../shared/bench/make_corpus.py --n 100000`` output).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

from taoyu.jit import compile_at_first_call
from taoyu.ledger import iter_ledger


def main(out: Path) -> int:
    compile_at_first_call()  # time compiled code, as a long run runs it (taoyu.jit)
    failures = 0

    def report(ok: bool, what: str) -> None:
        nonlocal failures
        failures += not ok
        print(("ok    " if ok else "FAIL  ") + what, flush=True)

    outcomes: Counter[str] = Counter()
    for batch in iter_ledger(out / "ledger", ["outcome"]):
        outcomes.update(batch.column("outcome").to_pylist())
    kept = outcomes["kept"]

    cli = Path(sys.executable).with_name("mlcroissant")
    t = time.perf_counter()
    proc = subprocess.run(
        [str(cli), "validate", "--jsonld", str(out / "croissant.json")], capture_output=True, text=True
    )
    log = proc.stdout + proc.stderr
    clean = proc.returncode == 0 and not [line for line in log.splitlines() if line[:1] in ("W", "E")]
    report(clean, f"mlcroissant validate: rc={proc.returncode} ({time.perf_counter() - t:.1f}s)")
    if not clean:
        print(log)

    import mlcroissant as mlc

    t = time.perf_counter()
    records = sum(1 for _ in mlc.Dataset(jsonld=str(out / "croissant.json")).records(record_set="default"))
    seconds = time.perf_counter() - t
    report(records == kept, f"mlcroissant records: {records:,} (ledger kept {kept:,}, {seconds:.1f}s)")

    import datasets

    text = (out / "README.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n", 2)[1])
    infos = meta["dataset_info"] if isinstance(meta["dataset_info"], list) else [meta["dataset_info"]]
    stated = {i["config_name"]: i["splits"][0]["num_examples"] for i in infos}
    for config in meta["configs"]:
        name = config["config_name"]
        t = time.perf_counter()
        ds = datasets.load_dataset(str(out), name, split="train")
        report(
            ds.num_rows == stated[name],
            f"datasets config {name}: {ds.num_rows:,} rows (card says {stated[name]:,}, "
            f"{time.perf_counter() - t:.1f}s)",
        )
    default = stated.get("default")
    report(default == kept, f"card default rows {default:,} = ledger kept {kept:,}")
    funnel = (
        f"Funnel: {sum(outcomes.values()):,} in = {kept:,} kept + {outcomes['dropped']:,} dropped + "
        f"{outcomes['input_error']:,} input errors."
    )
    report(funnel in text, funnel)
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1])))
