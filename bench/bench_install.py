"""The default install, before and after, side by side: venv size and the time from a
fresh clone to the demo's first result.

    .venv/bin/python bench/bench_install.py [--before REV] [--after REV] [--keep DIR]

For each revision: `git clone` this checkout at that revision into a temporary folder,
create a fresh venv there, install what the README tells a user to install
(`pip install -e '.[models]'`, as scripts/demo.sh does in a checkout), then run the
demo's main job (`qa score examples …`, the command scripts/demo.sh runs first) until
it prints its summary: that is the first result. Prints the venv's size (`du -s`), the
seconds per step and how much of the venv torch, triton and the nvidia libraries take.

Packages come from wherever pip is configured to take them (its cache, a mirror, an
index): the bench reports pip's cache size before it starts, so the reader knows whether
it was warm. Run it under `nice` on a shared machine; the times include the load.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = [
    ".venv/bin/qa",
    "score",
    "examples",
    "--scorecard",
    "scorecards/inbound_service.yaml",
    "--campaigns",
    "scorecards/campaigns",
    "--config",
    "examples/qa.yaml",
    "--db",
    "out/demo.db",
]
TORCH_PARTS = ("torch", "triton", "nvidia")


def du(path: Path) -> int:
    out = subprocess.run(["du", "-sb", str(path)], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[0])


def site_packages(venv: Path) -> Path:
    return next((venv / "lib").glob("python3*/site-packages"))


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    t = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode not in (0, 1):  # the demo batch holds inputs that fail on purpose
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return time.perf_counter() - t


def measure(rev: str, work: Path, python: str) -> dict[str, float]:
    clone = work / rev.replace("/", "_")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "QA_DB", "QA_CONFIG")}
    env["QA_MODELS_DIR"] = str(work / f"model-cache-{clone.name}")
    figures: dict[str, float] = {}
    t0 = time.perf_counter()
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "checkout", "-q", rev], check=True)
    figures["clone"] = time.perf_counter() - t0
    figures["venv"] = run([python, "-m", "venv", ".venv"], clone, env)
    pip = [".venv/bin/python", "-m", "pip", "install", "-q"]
    figures["pip install"] = run(pip + ["-e", ".[models]"], clone, env)
    (clone / "out").mkdir()
    figures["first result"] = run(DEMO, clone, env)
    figures["clone to first result"] = time.perf_counter() - t0
    venv = clone / ".venv"
    figures["venv bytes"] = du(venv)
    sp = site_packages(venv)
    figures["torch bytes"] = sum(
        du(p) for p in sp.iterdir() if p.name.startswith(TORCH_PARTS) and p.is_dir()
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="HEAD~1", help="revision of the old install")
    parser.add_argument("--after", default="HEAD", help="revision of the new install")
    parser.add_argument("--python", default=shutil.which("python3.11") or sys.executable)
    parser.add_argument("--keep", type=Path, help="work here and keep the clones")
    args = parser.parse_args()
    cache = Path(os.environ.get("PIP_CACHE_DIR", Path.home() / ".cache" / "pip"))
    cache_mb = du(cache) / 1e6 if cache.exists() else 0.0
    print(f"pip cache {cache} before the runs: {cache_mb:.1f} MB; load {os.getloadavg()[0]:.2f}")
    work = args.keep or Path(tempfile.mkdtemp(prefix="qa-install-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = {}
    try:
        for label, rev in (("before", args.before), ("after", args.after)):
            rows[f"{label} ({rev})"] = measure(rev, work, args.python)
            print(f"{label} done; load {os.getloadavg()[0]:.2f}", flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    steps = [
        "clone",
        "venv",
        "pip install",
        "first result",
        "clone to first result",
        "venv bytes",
        "torch bytes",
    ]
    print(f"{'':24}" + "".join(f"{label:>28}" for label in rows))
    for step in steps:
        cells = ""
        for figures in rows.values():
            value = figures[step]
            text = f"{value / 1e9:.2f} GB" if step.endswith("bytes") else f"{value:.0f} s"
            cells += f"{text:>28}"
        print(f"{step:24}{cells}")


if __name__ == "__main__":
    main()
