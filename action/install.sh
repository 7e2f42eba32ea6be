#!/usr/bin/env bash
# Installs a released pack for this machine, used by action.yml: the archive
# for the runner's platform is downloaded with its published SHA-256 and
# checked, then the release's own cargo-dist installer installs exactly
# those checked bytes (from a file:// address). An installed version is
# kept (the Action caches the folder) and not downloaded again.
#
# Environment (all optional):
#   PACK_VERSION     0.1.0, v0.1.0 or latest (the default)
#   PACK_REPOSITORY  the project's address; default: `repository` in the
#                    Cargo.toml beside this folder, the one place it is set
#   PACK_RELEASES    where release assets are, any address curl reads
#                    (file:// too); default: PACK_REPOSITORY/releases/download
#   PACK_HOME        where to install; default:
#                    ${RUNNER_TOOL_CACHE:-~/.cache}/pack/VERSION/TARGET
# Prints `bin=DIR` last (and adds DIR to $GITHUB_PATH, in GitHub Actions).
# Exits 1 on any failure, a checksum mismatch included, installing nothing.
set -euo pipefail

die() {
    echo "error: $*" >&2
    exit 1
}

here=$(cd "$(dirname "$0")/.." && pwd)
repository=${PACK_REPOSITORY:-$(sed -n 's/^repository *= *"\(.*\)"$/\1/p' "$here/Cargo.toml" | head -n 1)}
[ -n "$repository" ] || die "no repository address: set PACK_REPOSITORY or \`repository\` in Cargo.toml"
releases=${PACK_RELEASES:-$repository/releases/download}

version=${PACK_VERSION:-latest}
if [ "$version" = latest ]; then
    # GitHub answers /releases/latest with a redirect to /releases/tag/vX.Y.Z.
    url=$(curl -fsSL -o /dev/null -w '%{url_effective}' "$repository/releases/latest") ||
        die "cannot find the latest release at $repository/releases/latest"
    version=${url##*/}
    case $version in v[0-9]*) ;; *) die "no release found at $repository/releases/latest" ;; esac
fi
version=${version#v}

case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) target=x86_64-unknown-linux-gnu ;;
    Linux-aarch64 | Linux-arm64) target=aarch64-unknown-linux-gnu ;;
    Darwin-arm64) target=aarch64-apple-darwin ;;
    MINGW*-x86_64 | MSYS*-x86_64 | CYGWIN*-x86_64) target=x86_64-pc-windows-msvc ;;
    *) die "pack publishes no build for $(uname -s) $(uname -m): install it with cargo (see the README)" ;;
esac
case $target in
    *windows*) archive=pack-$target.zip exe=pack.exe ;;
    *) archive=pack-$target.tar.xz exe=pack ;;
esac

home=${PACK_HOME:-${RUNNER_TOOL_CACHE:-$HOME/.cache}/pack/$version/$target}
bin=$home/bin
if [ -x "$bin/$exe" ]; then
    echo "pack $version ($target) is already installed in $bin"
else
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    base=$releases/v$version
    for asset in "$archive" "$archive.sha256" pack-installer.sh; do
        curl -fsSL "$base/$asset" -o "$tmp/$asset" || die "cannot download $base/$asset"
    done
    expected=$(awk 'NR == 1 { print $1 }' "$tmp/$archive.sha256")
    if command -v sha256sum >/dev/null 2>&1; then
        actual=$(sha256sum "$tmp/$archive" | awk '{ print $1 }')
    else
        actual=$(shasum -a 256 "$tmp/$archive" | awk '{ print $1 }')
    fi
    [ -n "$expected" ] && [ "$expected" = "$actual" ] ||
        die "checksum mismatch for $archive: the release says ${expected:-nothing}, the download is $actual"
    echo "checked $archive: sha256 $actual"
    # The installer takes the archive just checked, puts pack in $home/bin
    # and leaves PATH and shell profiles alone.
    PACK_DOWNLOAD_URL="file://$tmp" PACK_INSTALL_DIR="$home" PACK_NO_MODIFY_PATH=1 \
        sh "$tmp/pack-installer.sh" >&2 || die "the installer failed"
    [ -x "$bin/$exe" ] || die "the installer did not put $exe in $bin"
fi
if [ -n "${GITHUB_PATH:-}" ]; then
    echo "$bin" >>"$GITHUB_PATH"
fi
echo "bin=$bin"
