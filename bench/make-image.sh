#!/usr/bin/env bash
# bench/make-image.sh [OUTDIR]
#
# Writes the permdoctor reference image (issue 5), deterministically, into OUTDIR
# (default /var/tmp/pd-bench; several GiB, kept out of the repository):
#   pd-bench.docker.tar  `docker save`-style archive (skopeo docker-archive:, uncompressed layers)
#   pd-bench.oci.tar     OCI archive (skopeo oci-archive:, gzip layers as umoci wrote them)
#   pd-bench.oci/        the OCI archive extracted (its gzip layer blobs feed the gzip floors)
#   image.txt            layer sizes and entry counts, archive sizes and digests
#
# The six layer tars are written by gen_layers.py (fixed seeds, fixed mtimes, fixed owners: no
# host file or clock enters them), assembled into an OCI layout by umoci (init, new, config,
# raw add-layer: umoci gzips each layer), then written out by skopeo, so both layouts are the
# real ones those tools produce. The whole thing takes a few minutes and about 7 GiB of disk
# at the peak (the layer tars are deleted at the end).
#
# Cached: OUTDIR/image.stamp holds a hash of this script and gen_layers.py; when it matches
# and the outputs exist nothing is done. Delete the stamp (or OUTDIR) to rebuild.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
OUTDIR=${1:-/var/tmp/pd-bench}
die() { echo "make-image: $*" >&2; exit 1; }

for t in python3 umoci skopeo tar sha256sum df; do
  command -v "$t" >/dev/null || die "missing tool: $t (see bench/README)"
done

mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
DOCKER=$OUTDIR/pd-bench.docker.tar
OCI=$OUTDIR/pd-bench.oci.tar
OCIDIR=$OUTDIR/pd-bench.oci
STAMP=$OUTDIR/image.stamp

hash=$(cat "$here/make-image.sh" "$here/gen_layers.py" | sha256sum | cut -d' ' -f1)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$hash" ] && [ -f "$DOCKER" ] && [ -f "$OCI" ] \
   && [ -f "$OCIDIR/index.json" ] && [ -f "$OUTDIR/image.txt" ]; then
  echo "make-image: cached in $OUTDIR (generator $(cut -c1-12 "$STAMP"))"
  exit 0
fi

exec 9>"$OUTDIR/.lock"
flock -n 9 || die "another make-image.sh is writing $OUTDIR"

# About 7 GiB at the peak: layer tars 2.2, OCI layout 0.9, docker archive 2.2, OCI archive and
# its extraction 0.9 each.
avail_kib=$(df -Pk "$OUTDIR" | awk 'NR==2 { print $4 }')
[ "$avail_kib" -ge $((8 * 1024 * 1024)) ] ||
  die "need 8 GiB free in $OUTDIR, have $((avail_kib / 1024)) MiB"

rm -rf "$STAMP" "$DOCKER" "$OCI" "$OCIDIR" "$OUTDIR/image.txt" "$OUTDIR/work"
work=$OUTDIR/work
mkdir -p "$work"
t0=$(date +%s)

echo "make-image: writing layer tars"
python3 "$here/gen_layers.py" "$work/layers" >/dev/null

CREATED=2024-01-01T00:00:00Z
L=$work/oci
umoci init --layout "$L"
umoci new --image "$L:pd-bench"
umoci config --image "$L:pd-bench" --no-history --created "$CREATED" --author pd-bench \
  --os linux --architecture amd64 --config.user 1000:1000 --config.workingdir /srv/app \
  --config.env PATH=/usr/local/bin:/usr/bin:/bin --config.entrypoint /srv/app/start.sh
steps=(
  "COPY base / # accounts, programs and libraries"
  "RUN npm ci # many small files"
  "COPY models /opt/models # large files"
  "RUN chmod -R g+w node_modules/... # mode changes only"
  "RUN rm -rf /srv/app/.cache # deletes a directory"
  "COPY final / # users, start script, config"
)
for i in 1 2 3 4 5 6; do
  echo "make-image: umoci raw add-layer layer$i.tar ($(du -h "$work/layers/layer$i.tar" | cut -f1))"
  umoci raw add-layer --image "$L:pd-bench" --history.created "$CREATED" \
    --history.author pd-bench --history.created_by "${steps[$((i - 1))]}" "$work/layers/layer$i.tar"
  rm -f "$work/layers/layer$i.tar"
done
umoci gc --layout "$L"

echo "make-image: skopeo copy to docker-archive: and oci-archive:"
skopeo --insecure-policy copy -q "oci:$L:pd-bench" "docker-archive:$DOCKER:localhost/pd-bench:latest"
skopeo --insecure-policy copy -q "oci:$L:pd-bench" "oci-archive:$OCI:pd-bench"
rm -rf "$L"

mkdir -p "$OCIDIR"
tar -xf "$OCI" -C "$OCIDIR"

{
  echo "generator $hash"
  cat "$work/layers/layers.txt"
  echo "docker-archive $(stat -c %s "$DOCKER") bytes sha256:$(sha256sum <"$DOCKER" | cut -d' ' -f1)"
  echo "oci-archive $(stat -c %s "$OCI") bytes sha256:$(sha256sum <"$OCI" | cut -d' ' -f1)"
  echo "tools $(umoci --version | head -1); $(skopeo --version)"
} >"$OUTDIR/image.txt"
rm -rf "$work"
echo "$hash" >"$STAMP"
cat "$OUTDIR/image.txt"
echo "make-image: done in $(($(date +%s) - t0)) s"
