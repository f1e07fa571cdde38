#!/bin/sh
# Installs the latest (or a given) ssopick release for this machine into
# ~/.local/bin (or $SSOPICK_INSTALL_DIR), after checking the archive's
# SHA-256 against the release's SHA256SUMS:
#
#   curl -fsSL https://github.com/ssopick/ssopick/releases/latest/download/install.sh | sh
#   sh install.sh --version 0.2.0
set -eu

repo="${SSOPICK_REPO:-https://github.com/ssopick/ssopick}"
dest="${SSOPICK_INSTALL_DIR:-$HOME/.local/bin}"
version=""
while [ $# -gt 0 ]; do
    case "$1" in
        --version) version="$2"; shift 2 ;;
        --to) dest="$2"; shift 2 ;;
        *) echo "install.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) target=x86_64-unknown-linux-musl ;;
    Linux-aarch64 | Linux-arm64) target=aarch64-unknown-linux-musl ;;
    Darwin-x86_64) target=x86_64-apple-darwin ;;
    Darwin-arm64) target=aarch64-apple-darwin ;;
    *) echo "install.sh: no release build for $(uname -s) $(uname -m); use: cargo install ssopick" >&2; exit 1 ;;
esac

fetch() { curl -fsSL --proto '=https' --tlsv1.2 "$1" -o "$2"; }
if [ -z "$version" ]; then
    base="$repo/releases/latest/download"
    tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
    fetch "$base/SHA256SUMS" "$tmp/SHA256SUMS"
    archive="$(grep -o "ssopick-[0-9][^ ]*-$target\.tar\.gz" "$tmp/SHA256SUMS" | head -n 1)"
else
    base="$repo/releases/download/v$version"
    tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
    fetch "$base/SHA256SUMS" "$tmp/SHA256SUMS"
    archive="ssopick-$version-$target.tar.gz"
fi
[ -n "$archive" ] || { echo "install.sh: the release has no archive for $target" >&2; exit 1; }
fetch "$base/$archive" "$tmp/$archive"
want="$(grep " $archive\$" "$tmp/SHA256SUMS" | cut -d' ' -f1)"
if command -v sha256sum > /dev/null; then got="$(sha256sum "$tmp/$archive" | cut -d' ' -f1)"
else got="$(shasum -a 256 "$tmp/$archive" | cut -d' ' -f1)"; fi
if [ -z "$want" ] || [ "$want" != "$got" ]; then
    echo "install.sh: checksum mismatch for $archive; nothing installed" >&2
    exit 1
fi
tar -xzf "$tmp/$archive" -C "$tmp"
mkdir -p "$dest"
install -m 755 "$tmp/${archive%.tar.gz}/ssopick" "$dest/ssopick"
echo "installed $("$dest/ssopick" --version) to $dest/ssopick"
case ":$PATH:" in *":$dest:"*) ;; *) echo "add $dest to your PATH" ;; esac
