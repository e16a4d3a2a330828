#!/usr/bin/env bash
# fuzz/seed.sh OUT: the seed corpora of the fuzz targets, from real archives.
#   OUT/archive  small image archives: fixtures/third-party and build/fixture-images (<= 256 KiB)
#   OUT/layer    layer blobs taken out of them (<= 256 KiB; plain, gzip and zstd)
#   OUT/json     their manifest.json, index.json, manifests and configs, each prefixed with the
#                role byte fuzz_json.cc reads (1 manifest.json, 2 index.json, 3 blob, 4 config)
# Also the hostile regression inputs under tests/hostile/regressions/ when there are any.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=${1:?usage: fuzz/seed.sh OUT}
max=$((256 * 1024))
mkdir -p "$out/archive" "$out/layer" "$out/json"

sources=()
for d in "$root/fixtures/third-party" "$root/build/fixture-images"; do
  [ -d "$d" ] || continue
  for f in "$d"/*.tar; do
    [ -f "$f" ] && [ "$(stat -c %s "$f")" -le "$max" ] && sources+=("$f")
  done
done
if [ -d "$root/tests/hostile/regressions" ]; then
  for f in "$root"/tests/hostile/regressions/*; do
    [ -f "$f" ] || continue
    case $(basename "$f") in
      archive-*) cp "$f" "$out/archive/" ;;
      layer-*) cp "$f" "$out/layer/" ;;
      json-*) cp "$f" "$out/json/" ;;
    esac
  done
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
for f in "${sources[@]}"; do
  n=$((n + 1))
  cp "$f" "$out/archive/$n-$(basename "$f")"
  x="$tmp/$n"
  mkdir -p "$x"
  tar -xf "$f" -C "$x" 2>/dev/null || true
  while IFS= read -r -d '' b; do
    size=$(stat -c %s "$b")
    [ "$size" -le "$max" ] || continue
    name="$n-$(echo "${b#"$x"/}" | tr '/' '_')"
    magic=$(head -c 4 "$b" | od -An -tx1 | tr -d ' \n')
    ustar=$(dd if="$b" bs=1 skip=257 count=5 2>/dev/null | tr -d '\0')
    if [ "${magic:0:2}" = 7b ] || [ "${magic:0:2}" = 5b ]; then  # '{' or '['

      case $(basename "$b") in
        manifest.json) role='\001' ;;
        index.json) role='\002' ;;
        *)
          # OCI manifests and nested indexes name a config or manifests; the rest are configs.
          if grep -q '"layers"\|"manifests"' "$b"; then role='\003'; else role='\004'; fi ;;
      esac
      { printf "$role"; cat "$b"; } > "$out/json/$name"
    elif [ "${magic:0:4}" = 1f8b ] || [ "$magic" = 28b52ffd ] ||
         [ "$ustar" = ustar ]; then
      cp "$b" "$out/layer/$name"
    fi
  done < <(find "$x" -type f -print0)
done
echo "seed: $(ls "$out/archive" | wc -l) archives, $(ls "$out/layer" | wc -l) layers," \
     "$(ls "$out/json" | wc -l) JSON documents in $out"
