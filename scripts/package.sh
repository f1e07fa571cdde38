#!/usr/bin/env bash
# Builds a release archive of ssopick for one target, the same way here and
# in the release workflow:
#
#   scripts/package.sh --bin target/TARGET/release/ssopick --target TARGET [--out dist] [--docs-bin BIN]
#
# The archive `ssopick-VERSION-TARGET.tar.gz` (`.zip` for Windows) holds one
# folder with the binary, shell completions, man pages, README, CHANGELOG and
# the licenses; `ARCHIVE.sha256` beside it holds its checksum. Completions and
# man pages come from running the binary (or --docs-bin, a binary for this
# machine, when the target's cannot run here).
set -euo pipefail

bin="" target="" out="dist" docs_bin=""
while [ $# -gt 0 ]; do
    case "$1" in
        --bin) bin="$2"; shift 2 ;;
        --target) target="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --docs-bin) docs_bin="$2"; shift 2 ;;
        *) echo "package.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
if [ -z "$bin" ] || [ -z "$target" ]; then
    echo "usage: package.sh --bin PATH --target TRIPLE [--out DIR] [--docs-bin PATH]" >&2
    exit 2
fi
[ -x "$bin" ] || { echo "package.sh: $bin is not an executable" >&2; exit 2; }
docs_bin="${docs_bin:-$bin}"

root="$(cd "$(dirname "$0")/.." && pwd)"
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1)"
name="ssopick-$version-$target"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
dir="$stage/$name"
mkdir -p "$dir/completions" "$dir/man"

case "$target" in
    *windows*) exe="ssopick.exe" ;;
    *) exe="ssopick" ;;
esac
cp "$bin" "$dir/$exe"
chmod 755 "$dir/$exe"
for shell in bash zsh fish powershell elvish; do
    "$docs_bin" completions "$shell" > "$dir/completions/ssopick.$shell"
done
"$docs_bin" man --dir "$dir/man" > /dev/null
cp "$root/README.md" "$root/CHANGELOG.md" "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$dir/"

sha256() {
    if command -v sha256sum > /dev/null; then sha256sum "$1" | cut -d' ' -f1
    else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

case "$target" in
    *windows*)
        archive="$name.zip"
        rm -f "$out/$archive"
        if command -v 7z > /dev/null; then (cd "$stage" && 7z a -tzip -bd "$out/$archive" "$name" > /dev/null)
        else (cd "$stage" && zip -qr "$out/$archive" "$name"); fi ;;
    *)
        archive="$name.tar.gz"
        # Stable order and owners, so the same inputs give the same bytes.
        # (BSD tar on macOS lacks --sort: plain tar there.)
        if tar --version 2> /dev/null | grep -q GNU; then
            (cd "$stage" && tar --sort=name --owner=0 --group=0 --numeric-owner -czf "$out/$archive" "$name")
        else
            (cd "$stage" && tar -czf "$out/$archive" "$name")
        fi ;;
esac
echo "$(sha256 "$out/$archive")  $archive" > "$out/$archive.sha256"
echo "$out/$archive"
