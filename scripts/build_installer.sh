#!/usr/bin/env bash
# Build the one-folder app bundle dist/Lectern/ in a clean virtual environment, then check it.
# Usage: scripts/build_installer.sh   (needs python3 with venv; Debian: scripts/install-system-deps.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
venv=build/installer-venv
rm -rf "$venv" build/Lectern dist/Lectern
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet '.[build]'
started=$(date +%s)
"$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN build_installer.spec
echo "built dist/Lectern in $(( $(date +%s) - started )) s, $(du -sm dist/Lectern | cut -f1) MB"
QT_QPA_PLATFORM=offscreen dist/Lectern/Lectern --self-test
