"""The default install, before and after, side by side: venv size and the time from a
fresh clone to the demo's first result.

    .venv/bin/python bench/bench_install.py [--before REV] [--after REV] [--keep DIR]

For each revision: `git clone` this checkout at that revision into a temporary folder,
install as scripts/demo.sh does (`QA_EXTRAS=models bash scripts/setup.sh`: the venv and
the lean default packages), then run the demo's main job (`qa score examples …`, the
command scripts/demo.sh runs first) until it prints its summary: that is the first
result. With --pip, the install is instead `python -m venv` and `pip install -e
'.[models]'`, as a pip user of a checkout would. Prints the venv's size (`du -s`), the
seconds per step and how much of the venv torch, triton and the nvidia libraries take.

Packages come from wherever pip (and uv, which setup.sh hands pip's configuration) are
configured to take them: an index, a mirror, local folders. Each revision gets empty pip
and uv caches of its own, as on a fresh machine. Run it under `nice` on a shared
machine; the times include the load, which is printed.
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


def measure(rev: str, work: Path, python: str, with_pip: bool = False) -> dict[str, float]:
    clone = work / rev.replace("/", "_")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "QA_DB", "QA_CONFIG")}
    env["QA_MODELS_DIR"] = str(work / f"model-cache-{clone.name}")
    env["PIP_CACHE_DIR"] = str(work / f"pip-cache-{clone.name}")
    env["UV_CACHE_DIR"] = str(work / f"uv-cache-{clone.name}")
    env["PYTHON"] = python
    figures: dict[str, float] = {"load": os.getloadavg()[0]}
    t0 = time.perf_counter()
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "checkout", "-q", rev], check=True)
    figures["clone"] = time.perf_counter() - t0
    if with_pip:
        figures["install"] = run([python, "-m", "venv", ".venv"], clone, env)
        pip = [".venv/bin/python", "-m", "pip", "install", "-q"]
        figures["install"] += run(pip + ["-e", ".[models]"], clone, env)
    else:
        figures["install"] = run(
            ["bash", "scripts/setup.sh"], clone, {**env, "QA_EXTRAS": "models"}
        )
    (clone / "out").mkdir()
    figures["first result"] = run(DEMO, clone, env)
    figures["clone to first result"] = time.perf_counter() - t0
    venv = clone / ".venv"
    figures["venv bytes"] = du(venv)
    figures["load"] = max(figures["load"], os.getloadavg()[0])
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
    parser.add_argument("--pip", action="store_true", help="venv + pip install, not setup.sh")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; load {os.getloadavg()[0]:.2f}; empty pip and uv caches")
    work = args.keep or Path(tempfile.mkdtemp(prefix="qa-install-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = {}
    try:
        for label, rev in (("before", args.before), ("after", args.after)):
            rows[f"{label} ({rev})"] = measure(rev, work, args.python, args.pip)
            print(f"{label} done; load {os.getloadavg()[0]:.2f}", flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    steps = [
        "clone",
        "install",
        "first result",
        "clone to first result",
        "venv bytes",
        "torch bytes",
        "load",
    ]
    print(f"{'':24}" + "".join(f"{label:>28}" for label in rows))
    for step in steps:
        cells = ""
        for figures in rows.values():
            value = figures[step]
            text = f"{value / 1e9:.2f} GB" if step.endswith("bytes") else f"{value:.0f} s"
            text = f"{value:.1f}" if step == "load" else text
            cells += f"{text:>28}"
        print(f"{step:24}{cells}")


if __name__ == "__main__":
    main()
