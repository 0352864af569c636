#!/usr/bin/env bash
# Installs the skillgate release this commit of the Action names, for the
# runner's OS and architecture, and refuses it unless its SHA-256 matches.
#
# Which release: action/version, committed with the release, so a workflow
# that pins the Action by commit SHA always gets the binary of that
# release. Which checksum: the release's checksums.txt and, when this commit
# has one, action/checksums.txt (the release workflow commits it on the
# commit the major tag points at); then both must agree, so an archive and
# checksums.txt replaced together on the release are still refused.
#
# Environment (the runner sets all but the last):
#   RUNNER_OS, RUNNER_ARCH   Linux|macOS|Windows, X64|ARM64
#   RUNNER_TEMP              where the binary is unpacked
#   GITHUB_OUTPUT, GITHUB_PATH
#   SKILLGATE_DOWNLOAD_URL   base of the release downloads, default GitHub's (a
#                            mirror, e.g. on GitHub Enterprise Server; tests
#                            point it at a loopback server)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
fail() { echo "::error title=skillgate install::$*" >&2; exit 1; }

version="$(tr -d ' \r\n' <"$here/version")"
[[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+([.+-][0-9A-Za-z.+-]*)?$ ]] ||
  fail "action/version holds \"$version\", not a release tag like v1.2.3"
base="${SKILLGATE_DOWNLOAD_URL:-https://github.com/skillgate/skillgate/releases/download}"

case "${RUNNER_OS:-$(uname -s)}" in
  Linux) os=linux ;;
  macOS | Darwin) os=darwin ;;
  Windows | MINGW* | MSYS* | CYGWIN*) os=windows ;;
  *) fail "no skillgate release for the runner OS \"${RUNNER_OS:-$(uname -s)}\" (there are Linux, macOS and Windows builds)" ;;
esac
case "${RUNNER_ARCH:-$(uname -m)}" in
  X64 | x86_64 | amd64) arch=amd64 ;;
  ARM64 | aarch64 | arm64) arch=arm64 ;;
  *) fail "no skillgate release for the runner architecture \"${RUNNER_ARCH:-$(uname -m)}\" (there are X64 and ARM64 builds)" ;;
esac
ext=tar.gz exe=skillgate
if [ "$os" = windows ]; then ext=zip exe=skillgate.exe; fi
archive="skillgate_${version#v}_${os}_${arch}.${ext}"

dest="${RUNNER_TEMP:?RUNNER_TEMP is not set}/skillgate-$version-$os-$arch"
rm -rf "$dest"
mkdir -p "$dest"
fetch() {
  curl --fail --silent --show-error --location --retry 3 \
    --output "$2" "$base/$version/$1" || fail "downloading $base/$version/$1 failed (see above)"
}
fetch checksums.txt "$dest/checksums.txt"
fetch "$archive" "$dest/$archive"

# sumof FILE LIST: the checksum LIST gives the archive, or nothing.
sumof() { awk -v f="$archive" '$2 == f || $2 == "*" f { print $1; exit }' "$1"; }
want="$(sumof "$dest/checksums.txt")"
[ -n "$want" ] || fail "the release's checksums.txt does not list $archive"
if [ -f "$here/checksums.txt" ]; then
  pinned="$(sumof "$here/checksums.txt")"
  [ -n "$pinned" ] || fail "action/checksums.txt at this commit does not list $archive"
  [ "$pinned" = "$want" ] ||
    fail "the release's checksums.txt says $archive is $want but this commit of the Action recorded $pinned: refusing a release that changed after it was published"
fi
if command -v sha256sum >/dev/null 2>&1; then
  got="$(sha256sum "$dest/$archive" | awk '{print $1}')"
else
  got="$(shasum -a 256 "$dest/$archive" | awk '{print $1}')"
fi
[ "$got" = "$want" ] ||
  fail "$archive does not match its checksum (want sha256 $want, got $got): refusing to run it; re-run the job, and report it if it persists"

if [ "$ext" = zip ]; then
  unzip -q -o "$dest/$archive" "$exe" -d "$dest" || fail "unpacking $archive failed"
else
  tar -xzf "$dest/$archive" -C "$dest" "$exe" || fail "unpacking $archive failed"
fi
rm -f "$dest/$archive" "$dest/checksums.txt"
bin="$dest/$exe"
chmod +x "$bin"

# The binary must say it is the release it was downloaded as.
# (All of the output first: head closing the pipe early could kill it.)
out="$("$bin" version)" || fail "$bin does not run on this runner"
reported="${out%%$'\n'*}"
[ "$reported" = "skillgate $version" ] || fail "$archive holds a binary that reports \"$reported\", not \"skillgate $version\""

echo "installed $reported ($os/$arch, sha256 $got) at $bin"
if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "path=$bin" >>"$GITHUB_OUTPUT"; fi
if [ -n "${GITHUB_PATH:-}" ]; then echo "$dest" >>"$GITHUB_PATH"; fi
