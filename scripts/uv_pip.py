"""Run `uv pip install ARGS` with this machine's pip configuration.

    python3.11 scripts/uv_pip.py UV ARGS...

uv does not read pip's configuration files or PIP_* variables, so this hands it pip's
own reading of them (`python -m pip config list`: environment over the [install] section
over [global]): the index, the extra indexes, find-links, constraints (a version cap),
trusted hosts and the certificate bundle. Like pip, uv then takes the best version
found on any of the indexes (`--index-strategy unsafe-best-match`), not the first index
that has the package. Without pip on this interpreter, uv runs with its own settings.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys

# pip's option -> uv's, for the options that decide what is installed and from where.
LISTS = {
    "index-url": "--index-url",
    "extra-index-url": "--extra-index-url",
    "find-links": "--find-links",
    "constraint": "--constraint",
    "trusted-host": "--allow-insecure-host",
}
SECTIONS = ("global", "install", ":env:")  # later ones win, as in pip


def pip_settings() -> dict[str, str]:
    """pip's effective setting per option, as `pip config list` reports them."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pip", "config", "list"],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return {}
    return parse(done.stdout)


def parse(listing: str) -> dict[str, str]:
    """`section.option='value'` lines -> the value that wins for each option."""
    found: dict[str, dict[str, str]] = {}
    for line in listing.splitlines():
        key, sep, raw = line.partition("=")
        section, dot, option = key.rpartition(".")
        if not sep or not dot or section not in SECTIONS:
            continue
        try:
            value = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            value = raw
        found.setdefault(option, {})[section] = str(value)
    return {
        option: next(by[s] for s in reversed(SECTIONS) if s in by) for option, by in found.items()
    }


def uv_arguments(settings: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    args = ["--index-strategy", "unsafe-best-match"]
    env: dict[str, str] = {}
    for option, flag in LISTS.items():
        for value in settings.get(option, "").split():
            args += [flag, value]
    if settings.get("no-index", "").lower() in ("1", "true", "yes", "on"):
        args.append("--no-index")
    if settings.get("cert"):
        env["SSL_CERT_FILE"] = settings["cert"]
    return args, env


def main() -> None:
    uv, *rest = sys.argv[1:]
    args, env = uv_arguments(pip_settings())
    os.execvpe(uv, [uv, "pip", "install", *args, *rest], {**os.environ, **env})


if __name__ == "__main__":
    main()
