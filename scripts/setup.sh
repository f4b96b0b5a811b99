#!/usr/bin/env bash
# Prepare a fresh machine: system packages (when root), a virtualenv with the project and its test tools.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -e /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || need_apt+=(fonts-liberation2)
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
if [ "${#need_apt[@]}" -gt 0 ] && [ "${THIDUA_SKIP_APT:-0}" != "1" ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "==> apt-get install ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "Thiếu gói hệ thống (cần quyền root để cài): ${need_apt[*]}" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv with $PYTHON"
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
