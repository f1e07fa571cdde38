#!/usr/bin/env bash
# Regenerates screenshots/*.png from the real picker renderer on the demo
# organisation: ratatui buffer -> SVG (examples/screens.rs) -> PNG (rsvg-convert).
# Needs rsvg-convert (Debian: apt-get install librsvg2-bin) and DejaVu Sans Mono.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v rsvg-convert >/dev/null || { echo "rsvg-convert is missing: apt-get install librsvg2-bin" >&2; exit 1; }
cargo run --quiet --release --example screens -- screenshots
for svg in screenshots/*.svg; do
  rsvg-convert --zoom 1.5 "$svg" -o "${svg%.svg}.png"
  rm "$svg"
done
ls -l screenshots/*.png
