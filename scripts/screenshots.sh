#!/usr/bin/env bash
# Regenerates screenshots/*.svg from the real picker renderer on the demo
# organisation (examples/screens.rs, fixed clock). The committed SVGs are
# compared byte for byte by tests/it/screens.rs. With --png, also writes PNG
# copies next to them (needs rsvg-convert: apt-get install librsvg2-bin).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --quiet --example screens -- screenshots
if [ "${1:-}" = "--png" ]; then
  command -v rsvg-convert >/dev/null || { echo "rsvg-convert is missing: apt-get install librsvg2-bin" >&2; exit 1; }
  for svg in screenshots/*.svg; do
    rsvg-convert --zoom 1.5 "$svg" -o "${svg%.svg}.png"
  done
fi
ls -l screenshots/
