#!/usr/bin/env bash
# Installs the Debian packages the end-to-end tests drive (influxdb, prometheus, chromium, tinyproxy) when missing.
set -euo pipefail
need=()
command -v influxd >/dev/null 2>&1 || need+=(influxdb)
command -v prometheus >/dev/null 2>&1 || [ -x /usr/bin/prometheus ] || need+=(prometheus)
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
# a real proxy for test/proxy.test.ts
command -v tinyproxy >/dev/null 2>&1 || [ -x /usr/bin/tinyproxy ] || need+=(tinyproxy)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else echo "missing ${need[*]} and not root: install them with apt-get" >&2; exit 0; fi
  echo "installing ${need[*]} (apt-get)…" >&2
  $SUDO apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# uvicorn (PyPI): the ASGI server behind vLLM, SGLang and LiteLLM, for the idle-connection test
# (test/idle-connections.test.ts): it closes idle keep-alive connections after 5 s without a hint
if command -v python3 >/dev/null 2>&1 && ! python3 -c 'import uvicorn' >/dev/null 2>&1; then
  echo "installing uvicorn (pip)…" >&2
  python3 -m pip install -q --disable-pip-version-check 'uvicorn==0.55.0' >/dev/null 2>&1 || python3 -m pip install -q --disable-pip-version-check uvicorn >/dev/null 2>&1 || echo "could not install uvicorn: the idle-connection test against it will be skipped" >&2
fi
