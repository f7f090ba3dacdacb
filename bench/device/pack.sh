#!/usr/bin/env bash
# Packs what a bare machine needs to run llmload's whole-process levels (issue #16): this
# machine's node binary, dist/, and the runtime packages dist/ imports — nothing to install
# there. The device tool carries at most 64 MiB per call; measured here: ~40 MB as tar.xz.
#
#   make device-pack          → .device/llmload-device.tar.xz (ignored by git)
#   run (device tool) with carry [".device"]: bash bench/device/levels.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f dist/cli.js ] || { echo "device-pack: dist/ is missing: run make build first" >&2; exit 2; }
# what dist/ imports at run time with --no-typecheck (grep dist for bare imports to check):
# commander, esbuild and its platform binary, gpt-tokenizer, undici, zod, uplot, yaml, and
# @pydantic/genai-prices (loaded on first use, for models outside the seed price table).
# Left out: typescript (--no-typecheck), kubernetes-models, protobufjs, snappy (loaded on first
# use only by plan/k8s and the Prometheus output, which the levels do not use).
PKGS=(commander esbuild @esbuild/linux-x64 gpt-tokenizer undici zod uplot yaml @pydantic/genai-prices)
for p in "${PKGS[@]}"; do [ -d "node_modules/$p" ] || { echo "device-pack: node_modules/$p is missing: run npm ci" >&2; exit 2; }; done
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/node_modules/@esbuild" "$STAGE/node_modules/@pydantic" "$STAGE/bin"
cp "$(command -v node)" "$STAGE/node"
cp -r dist package.json "$STAGE/"
cp bin/llmload.js "$STAGE/bin/"
for p in "${PKGS[@]}"; do cp -r "node_modules/$p" "$STAGE/node_modules/$p"; done
mkdir -p .device
XZ_OPT="-6 -T0" tar -C "$STAGE" -cJf .device/llmload-device.tar.xz .
ls -l .device/llmload-device.tar.xz | awk '{printf "device-pack: .device/llmload-device.tar.xz, %.1f MB (the device tool carries 64 MiB)\n", $5/1e6}'
