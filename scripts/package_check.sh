#!/usr/bin/env bash
# Build the Debian package and test what it installs, with the source tree out of reach.
#   scripts/package_check.sh [PACKAGE.deb]      (no argument: builds it with scripts/package.sh)
# The .deb is copied to a scratch folder and unpacked there (dpkg-deb -x); its remnant runs
# from there with an environment that names no path into the repository and, when root
# and unshare(1) allow (CI: required), with the repository hidden under an empty tmpfs in a
# private mount namespace. Checks: --version names version and commit; `remnant sample
# --out D` writes files byte-identical to sample_data/; volumetry on them reports
# 1043.118 mL; desktop-file-validate passes on the desktop entry; every flag that
# `remnant CMD --help` shows is in the packaged man page remnant-CMD (man -l), for every
# command; the icons, completions, licences and MIME type are there.
# Needs: dpkg-deb, desktop-file-validate (desktop-file-utils), man (man-db): installed
# with apt if missing.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
need_apt=()
command -v desktop-file-validate >/dev/null || need_apt+=(desktop-file-utils)
command -v man >/dev/null || need_apt+=(man-db)
command -v col >/dev/null || need_apt+=(bsdextrautils)
command -v dpkg-deb >/dev/null || need_apt+=(dpkg)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
deb=${1:-$(bash "$repo/scripts/package.sh")}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/remnant-package-check.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
cp "$deb" "$scratch/"
cd "$scratch"
dpkg-deb -x "$(basename "$deb")" root
mkdir home
fail=0
bad() { echo "package_check: FAIL: $*" >&2; fail=1; }

# the installed remnant, run from the scratch folder with no path into the repository
# in its environment; the repository itself hidden where possible
hide=""
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null \
   && unshare -m sh -c "mount -t tmpfs none '$repo' && test ! -e '$repo/sample_data'" 2>/dev/null; then
  hide="mount -t tmpfs none '$repo' &&"
  echo "package_check: the source tree $repo is hidden (empty tmpfs) while the package runs"
elif [ "${CI:-}" = true ]; then
  bad "cannot hide the source tree (needs root and unshare)"
else
  echo "package_check: NOTE: the source tree is not hidden (needs root and unshare); the environment still names no path into it"
fi
installed() {
  env -i PATH=/usr/bin:/bin HOME="$scratch/home" LANG=C.UTF-8 \
    ${hide:+unshare -m} sh -c "$hide exec \"\$0\" \"\$@\"" "$scratch/root/usr/bin/remnant" "$@"
}

version=$(installed --version)
echo "$ remnant --version"; echo "$version"
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
want_version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$repo/Cargo.toml" | head -1)
[[ $version == "remnant $want_version (commit $commit, built "* ]] || bad "--version: $version (want version $want_version, commit $commit)"

echo "$ remnant sample --out D"
installed sample --out D
for f in ct.nii.gz liver.nii.gz liver_seeds.txt; do
  cmp "D/$f" "$repo/sample_data/$f" && echo "D/$f is byte-identical to sample_data/$f" || bad "D/$f differs from sample_data/$f"
done

echo "$ remnant volumetry --ct D/ct.nii.gz --liver-mask D/liver.nii.gz"
vol=$(installed volumetry --ct D/ct.nii.gz --liver-mask D/liver.nii.gz)
echo "$vol" | grep '^Total liver'
echo "$vol" | grep -Eq '^Total liver +38634 +1043\.118$' || bad "volumetry: $(echo "$vol" | grep '^Total liver' || echo "$vol")"

# a sample folder that cannot be made: one line, exit 1
echo x > a_file
set +e; err=$(installed sample --out a_file/D 2>&1); code=$?; set -e
[[ $code -eq 1 && $err == "remnant: error: a_file/D: cannot create the folder"* ]] || bad "sample --out a_file/D: exit $code: $err"

desktop=root/usr/share/applications/remnant.desktop
echo "$ desktop-file-validate $desktop"
desktop-file-validate "$desktop" && echo "(no output: valid)" || bad "desktop-file-validate $desktop"
grep -qx 'Exec=remnant %f' "$desktop" || bad "Exec line"
grep -qx 'MimeType=application/x-nifti;application/dicom;' "$desktop" || bad "MimeType line"
grep -q 'type="application/x-nifti"' root/usr/share/mime/packages/remnant.xml || bad "NIfTI MIME type"

# every flag of every command's --help is in its packaged man page
mandir=root/usr/share/man/man1
for cmd in "" volumetry convert report phantom session grow score mesh sample; do
  page="$mandir/remnant${cmd:+-$cmd}.1.gz"
  [ -f "$page" ] || { bad "no man page $page"; continue; }
  text=$(LC_ALL=C MANWIDTH=200 man -l "$page" 2>/dev/null | col -b)
  flags=$(installed $cmd --help | grep -oE -- '(^|[ ,[])--?[A-Za-z][A-Za-z0-9-]*' | grep -oE -- '--?[A-Za-z][A-Za-z0-9-]*' | sort -u)
  [ -n "$flags" ] || bad "no flags in remnant $cmd --help"
  missing=()
  for f in $flags; do
    grep -qE -- "(^|[^A-Za-z0-9-])$f([^A-Za-z0-9-]|$)" <<<"$text" || missing+=("$f")
  done
  [ ${#missing[@]} -eq 0 ] || bad "man remnant${cmd:+-$cmd} lacks ${missing[*]}"
  [ "$cmd" = volumetry ] && echo "man remnant-volumetry shows all $(wc -w <<<"$flags") flags of remnant volumetry --help: $(echo $flags)"
done

for s in 16 22 24 32 48 64 128 256 512; do
  [ -s "root/usr/share/icons/hicolor/${s}x${s}/apps/remnant.png" ] || bad "icon ${s}x${s}"
done
for f in usr/share/icons/hicolor/scalable/apps/remnant.svg \
         usr/share/bash-completion/completions/remnant usr/share/zsh/vendor-completions/_remnant \
         usr/share/fish/vendor_completions.d/remnant.fish \
         usr/share/doc/remnant/copyright usr/share/doc/remnant/THIRD-PARTY-LICENSES.txt; do
  [ -s "root/$f" ] || bad "missing $f"
done
grep -q 'Apache License' root/usr/share/doc/remnant/copyright || bad "copyright lacks the Apache licence"
grep -q '^eframe ' root/usr/share/doc/remnant/THIRD-PARTY-LICENSES.txt || bad "third-party licences lack eframe"

if [ $fail -ne 0 ]; then echo "package_check: FAILED" >&2; exit 1; fi
echo "package_check: $(basename "$deb") OK"
