#!/usr/bin/env bash
# bench/run.sh [OUTDIR]
#
# The end-to-end benchmark of issue 5. Makes (or reuses) the reference image with
# bench/make-image.sh OUTDIR (default /var/tmp/pd-bench), then times, in one run and on the
# same files, N rounds (PD_BENCH_RUNS, default 3) of every row below, rows interleaved within
# a round so that a slow spell of the (shared, noisy) machine hits all of them alike:
#
#   floors      cat of the docker archive, `openssl dgst -sha256` of it, `gzip -dc` and
#               `igzip -dc` of the OCI archive's gzip layer blobs
#   permdoctor  on the docker archive (verify on, and --no-verify), on the same bytes through
#               stdin (redirected file, and a pipe from cat), on the gzip OCI archive
#   DIY         tar -x of the OCI archive, `umoci unpack`, `find` for bad modes
#   context     `igzip -dc | openssl dgst -sha256` of the layers (inflate and hash on 2 cores)
#   registry    (issue 10) the OCI image pushed once, untimed, to a plain-http docker-registry on
#               127.0.0.1 (tests/remote/servers.sh, stopped at exit); floor `skopeo copy` of it to
#               a fresh dir: (tmpfs when there is room), and permdoctor on docker://HOST/bench:1
#               --insecure. Skipped, with a message, without docker-registry, skopeo or curl.
#
# Each command runs under /usr/bin/time -v (peak RSS, user+sys CPU); wall time is taken around
# it. It prints the medians, every figure as a ratio to its floor, and the goals met or not,
# and keeps them in OUTDIR/results/run-<time>.txt (and .tsv, every sample).
#
# Environment: PERMDOCTOR=path uses that binary as it is; otherwise the script configures and
# builds build-bench/permdoctor (Release, ninja -j2) first. PD_BENCH_RUNS=N rounds.
# PD_BENCH_ONLY='cat|sha256|pd-docker' runs only the rows named (a quick look, not a result),
# and the floors they are measured against.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
OUTDIR=${1:-/var/tmp/pd-bench}
N=${PD_BENCH_RUNS:-3}
die() { echo "bench: $*" >&2; exit 1; }
case $N in '' | *[!0-9]* | 0) die "PD_BENCH_RUNS wants a positive number, got '$N'" ;; esac

T_START=$EPOCHREALTIME
for t in cat openssl gzip igzip umoci find tar python3 cmake ninja; do
  command -v "$t" >/dev/null || die "missing tool: $t (see bench/README)"
done
[ -x /usr/bin/time ] || die "missing /usr/bin/time (Debian package: time)"

# ---- the binary -----------------------------------------------------------------------------
if [ -n "${PERMDOCTOR:-}" ]; then
  PD=$PERMDOCTOR
else
  B=$repo/build-bench
  if [ ! -f "$B/build.ninja" ]; then
    cmake -S "$repo" -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPD_TESTS=OFF >/dev/null
  fi
  echo "bench: building $B/permdoctor (ninja -j2)"
  ninja -C "$B" -j2 permdoctor >/dev/null || die "build failed (run: ninja -C $B permdoctor)"
  PD=$B/permdoctor
fi
[ -x "$PD" ] || die "no permdoctor binary at $PD"

# ---- the image ------------------------------------------------------------------------------
"$here/make-image.sh" "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
DOCKER=$OUTDIR/pd-bench.docker.tar
OCI=$OUTDIR/pd-bench.oci.tar
OCIDIR=$OUTDIR/pd-bench.oci
mapfile -t BLOBS < <(python3 - "$OCIDIR" <<'EOF'
import json, sys
d = sys.argv[1]
idx = json.load(open(d + "/index.json"))
m = idx["manifests"][0]["digest"].split(":")[1]
man = json.load(open(d + "/blobs/sha256/" + m))
for l in man["layers"]:
    assert "gzip" in l["mediaType"], l["mediaType"]
    print(d + "/blobs/sha256/" + l["digest"].split(":")[1])
EOF
)
[ ${#BLOBS[@]} -eq 6 ] || die "expected 6 gzip layer blobs in $OCIDIR, found ${#BLOBS[@]}"

RES=$OUTDIR/results
mkdir -p "$RES"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
TSV=$RES/run-$stamp.tsv
TXT=$RES/run-$stamp.txt
tmp=$(mktemp -d /tmp/pd-bench-run.XXXXXX)
# The DIY path unpacks into tmpfs when /dev/shm has room (5 GiB): the best case for it, and it
# keeps the machine's disk (and the writeback of 2 GiB after every round) out of the figures.
# PD_BENCH_DIY_DIR=dir puts it elsewhere (e.g. $OUTDIR/diy to unpack onto the disk).
if [ -n "${PD_BENCH_DIY_DIR:-}" ]; then
  DIY=$PD_BENCH_DIY_DIR
elif [ "$(df -Pk /dev/shm 2>/dev/null | awk 'NR==2 { print $4 }')" -ge $((5 * 1024 * 1024)) ] 2>/dev/null; then
  DIY=/dev/shm/pd-bench-diy
else
  DIY=$OUTDIR/diy
fi
# skopeo-dir's destination: a fresh empty dir for every run, removed after it, outside the timing;
# on tmpfs when it has room (2 GiB), like the DIY row.
if [ "$(df -Pk /dev/shm 2>/dev/null | awk 'NR==2 { print $4 }')" -ge $((2 * 1024 * 1024)) ] 2>/dev/null; then
  SKDIR=/dev/shm/pd-bench-skopeo-dir
else
  SKDIR=$OUTDIR/skopeo-dir
fi
cleanup() { rm -rf "$tmp" "$DIY" "$SKDIR"; }
trap cleanup EXIT

q() { printf '%q ' "$@"; }
BL=$(q "${BLOBS[@]}")
LINT="$(q "$PD") lint"
OPTS="--format json -q --fail-on never"
# The bad modes a DIY check looks for: world-writable (not symlinks), setuid, setgid.
FIND="find $(q "$DIY/bundle/rootfs") \\( ! -type l -perm -0002 \\) -o -perm -4000 -o -perm -2000"

# name S command S floor (row name) S goal ("<= X" ratio, ">= X" speedup, "" none) S note
# (S is the ASCII unit separator: commands contain "|")
S=$'\x1f'
ROWS=(
  "cat${S}cat $(q "$DOCKER") >/dev/null${S}${S}${S}floor: reading the docker archive"
  "sha256${S}openssl dgst -sha256 $(q "$DOCKER") >/dev/null${S}${S}${S}floor: hashing it once"
  "gzip-dc${S}gzip -dc $BL >/dev/null${S}${S}${S}floor: inflating the OCI layers (zlib)"
  "igzip-dc${S}igzip -dc $BL >/dev/null${S}${S}${S}floor: inflating them (ISA-L)"
  "pd-docker${S}$LINT $(q "$DOCKER") $OPTS >$(q "$tmp/docker.json")${S}sha256${S}<= 0.75${S}docker archive, verify on"
  "pd-docker-noverify${S}$LINT $(q "$DOCKER") $OPTS --no-verify >$(q "$tmp/noverify.json")${S}cat${S}<= 3${S}docker archive, --no-verify"
  "pd-stdin${S}$LINT - $OPTS <$(q "$DOCKER") >$(q "$tmp/stdin.json")${S}sha256${S}<= 1.1${S}stdin (< file), verify on"
  "pd-stdin-pipe${S}cat $(q "$DOCKER") | $LINT - $OPTS >$(q "$tmp/pipe.json")${S}sha256${S}${S}stdin (cat file | ), verify on"
  "pd-oci${S}$LINT $(q "$OCI") $OPTS >$(q "$tmp/oci.json")${S}igzip-dc${S}<= 1.0${S}gzip OCI archive, verify on"
  "igzip-sha256${S}igzip -dc $BL | openssl dgst -sha256 >/dev/null${S}igzip-dc${S}${S}context: igzip -dc | openssl (2 cores)"
  "skopeo-dir${S}skopeo copy -q --src-tls-verify=false docker://@REGISTRY@/bench:1 dir:$(q "$SKDIR")${S}${S}${S}floor: skopeo copy from the registry to dir:"
  "pd-registry${S}$LINT docker://@REGISTRY@/bench:1 --insecure $OPTS >$(q "$tmp/registry.json")${S}skopeo-dir${S}<= 1.0${S}registry (plain http), verify on"
  "diy${S}mkdir -p $(q "$DIY/layout") && tar -xf $(q "$OCI") -C $(q "$DIY/layout") && umoci unpack --image $(q "$DIY/layout:pd-bench") $(q "$DIY/bundle") >/dev/null && $FIND | wc -l >$(q "$tmp/diy.count")${S}pd-oci${S}>= 15${S}tar -x + umoci unpack + find"
)

# The rows that need the registry (@REGISTRY@ in their command); skipped without its tools.
REG_ROWS='skopeo-dir|pd-registry'
REG_SKIP=
for t in /usr/bin/docker-registry skopeo curl; do
  command -v "$t" >/dev/null || REG_SKIP="${REG_SKIP:+$REG_SKIP, }no $t"
done
if [ -n "$REG_SKIP" ]; then
  REG_SKIP="rows ${REG_ROWS//|/, } skipped: $REG_SKIP (Debian packages docker-registry skopeo curl)"
  echo "bench: $REG_SKIP" >&2
  kept=()
  for row in "${ROWS[@]}"; do [[ ${row%%$S*} =~ ^(${REG_ROWS})$ ]] || kept+=("$row"); done
  ROWS=("${kept[@]}")
fi

# PD_BENCH_ONLY=REGEX keeps the rows whose name matches, and the floors they are measured against.
if [ -n "${PD_BENCH_ONLY:-}" ]; then
  declare -A want=() floor_of=()
  for row in "${ROWS[@]}"; do
    IFS=$S read -r name _ fl _ <<<"$row"
    floor_of[$name]=$fl
    [[ $name =~ ^(${PD_BENCH_ONLY})$ ]] && want[$name]=1
  done
  [ ${#want[@]} -gt 0 ] || die "PD_BENCH_ONLY=$PD_BENCH_ONLY matches no row${REG_SKIP:+ ($REG_SKIP)}"
  added=
  for ((pass = 0; pass < 3; pass++)); do  # floors of floors (diy -> pd-oci -> igzip-dc)
    for name in "${!want[@]}"; do
      fl=${floor_of[$name]}
      if [ -n "$fl" ] && [ -n "${floor_of[$fl]+set}" ] && [ -z "${want[$fl]:-}" ]; then
        want[$fl]=1
        added="$added $fl"
      fi
    done
  done
  [ -z "$added" ] || echo "bench: PD_BENCH_ONLY: also timing the floor(s)$added"
  kept=()
  for row in "${ROWS[@]}"; do [ -n "${want[${row%%$S*}]:-}" ] && kept+=("$row"); done
  ROWS=("${kept[@]}")
fi

# The registry, when a row needs it: started once, the image pushed once (neither is timed).
REG=
REG_PID=
REGDATA=
for row in "${ROWS[@]}"; do
  [[ ${row%%$S*} =~ ^(${REG_ROWS})$ ]] || continue
  # shellcheck source=../tests/remote/servers.sh
  . "$repo/tests/remote/servers.sh"
  pd_servers_init "$tmp/servers"  # its EXIT trap stops the registry, then runs cleanup
  pd_start_registry bench http || die "could not start the registry (log: $tmp/servers/bench)"
  REG=$PD_REG_BENCH_HOST
  REG_PID=${PD_PGIDS[-1]}  # the last group started; its leader is docker-registry (exec'd)
  REGDATA=$tmp/servers/bench/data
  echo "bench: pushing $OCIDIR to docker://$REG/bench:1 (skopeo, once, not timed)"
  t0=$EPOCHREALTIME
  skopeo --insecure-policy copy -q --dest-tls-verify=false "oci:$OCIDIR" "docker://$REG/bench:1" ||
    die "skopeo could not push $OCIDIR to $REG"
  REG_PUSH_S=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
  break
done

# CPU seconds (user + sys) the registry server has used so far.
reg_cpu() {
  awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$REG_PID/stat"
}

machine() {
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'),"\
       "$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(uname -sr)"
  echo "cpu flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -x -E 'sha_ni|avx2|avx512f|vaes|pclmulqdq' | tr '\n' ' ')"
  echo "tools: $(openssl version | cut -d' ' -f1-2); $(gzip --version | head -1); $(igzip --version 2>&1 | head -1); $(umoci --version)$(
    [ -z "$REG" ] || echo "; $(skopeo --version); docker-registry $(/usr/bin/docker-registry --version 2>/dev/null | awk '{ print $NF }')")"
  echo "permdoctor: $PD ($(grep -m1 CMAKE_BUILD_TYPE: "$(dirname "$PD")/CMakeCache.txt" 2>/dev/null | cut -d= -f2 || echo '?') build, git $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')$( [ -n "$(git -C "$repo" status --porcelain -- src rules CMakeLists.txt ':(exclude)*_test.cc' 2>/dev/null)" ] && echo ' + uncommitted changes in src/ rules/'))"
  local rate
  rate=$(openssl speed -evp sha256 -bytes 65536 -seconds 2 2>/dev/null | awk '/^sha256/ { sub(/k$/, "", $2); print $2 * 1000 }')
  awk -v r="$rate" -v b="$(stat -c %s "$DOCKER")" 'BEGIN {
    printf "in-memory SHA-256 (openssl speed -evp sha256, 64 KiB blocks): %.0f MB/s, i.e. %.2f s for the docker archive'"'"'s bytes\n", r / 1e6, b / r }'
  echo "image: $(stat -c %s "$DOCKER") B docker archive, $(stat -c %s "$OCI") B OCI archive ($(du -cb "${BLOBS[@]}" | tail -1 | cut -f1) B gzip layers); $(grep '^total' "$OUTDIR/image.txt")"
}

# measure ROUND NAME CMD: one sample -> TSV (round, name, wall s, cpu s, peak RSS KiB, and the
# registry server's cpu s during the row when the row uses it)
measure() {
  local round=$1 name=$2 cmd=$3 t0 t1 rc=0 s0= s1=
  cmd=${cmd//@REGISTRY@/$REG}
  [[ $name =~ ^(${REG_ROWS})$ ]] && s0=$(reg_cpu)
  t0=$EPOCHREALTIME
  /usr/bin/time -v -o "$tmp/time" bash -c "set -o pipefail; $cmd" || rc=$?
  t1=$EPOCHREALTIME
  [ -z "$s0" ] || s1=$(reg_cpu)
  if [ "$rc" -ne 0 ]; then
    cat "$tmp/time" >&2
    die "row '$name' failed (exit $rc): $cmd"
  fi
  awk -v r="$round" -v n="$name" -v a="$t0" -v b="$t1" -v s0="$s0" -v s1="$s1" -F': ' '
    /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident/ { m = $2 }
    END { printf "%s\t%s\t%.3f\t%.2f\t%d\t%s\n", r, n, b - a, u + s, m, s0 == "" ? "" : sprintf("%.2f", s1 - s0) }' "$tmp/time" >>"$TSV"
}

echo "bench: $N rounds of ${#ROWS[@]} rows on $OUTDIR (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
{
  echo "# permdoctor end-to-end benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  machine
  echo "command: bench/run.sh $OUTDIR (PD_BENCH_RUNS=$N${PD_BENCH_ONLY:+, PD_BENCH_ONLY='$PD_BENCH_ONLY'})"
  [ -z "$REG_SKIP" ] || echo "$REG_SKIP"
  [ -z "$REG" ] || echo "registry: docker-registry (plain http) on $REG, data in $REGDATA; push of the OCI layout took $REG_PUSH_S s (not timed)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$TXT"
printf 'round\trow\twall_s\tcpu_s\tmaxrss_kib\tserver_cpu_s\n' >"$TSV"

for ((r = 1; r <= N; r++)); do
  # Warm the page cache before every round (the image fits in RAM many times, but the DIY row
  # and other builds on the machine may have pushed some of it out): every row reads cached bytes.
  cat "$DOCKER" "$OCI" "${BLOBS[@]}" >/dev/null
  [ -z "$REGDATA" ] || find "$REGDATA" -type f -exec cat {} + >/dev/null
  echo "round $r: load average $(cut -d' ' -f1-3 /proc/loadavg)" >>"$tmp/loads"
  for row in "${ROWS[@]}"; do
    IFS=$S read -r name cmd _ <<<"$row"
    rm -rf "$DIY" "$SKDIR"
    mkdir -p "$SKDIR"
    sync
    measure "$r" "$name" "$cmd"
    rm -rf "$SKDIR"
    printf '  round %d/%d %-20s %8.2f s\n' "$r" "$N" "$name" "$(tail -1 "$TSV" | cut -f3)"
  done
done
rm -rf "$DIY" "$SKDIR"

# The same findings whatever the input form (the source label differs, so compare counts).
counts=$(for f in docker noverify stdin pipe oci registry; do
  [ -f "$tmp/$f.json" ] || { echo -; continue; }
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=d[0] if isinstance(d,list) else d; print(len(r.get("findings", [])))' "$tmp/$f.json" 2>/dev/null || echo "?"
done | tr '\n' ' ')

T_END=$EPOCHREALTIME
{
  cat "$tmp/loads"
  echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "DIY unpacked into: $DIY"
  [ -z "$REG" ] || echo "skopeo-dir wrote into: $SKDIR"
  echo "findings per permdoctor row (docker, --no-verify, stdin, pipe, oci, registry): $counts"
  [ -f "$tmp/diy.count" ] && echo "DIY find: $(cat "$tmp/diy.count") paths with bad modes"
  echo
  awk -F'\t' -v rows="$(printf '%s\n' "${ROWS[@]}")" -v N="$N" '
    function median(s,    a, n, i, j, t) {
      n = split(s, a, " ")
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    function verdict(x, g,    p) {
      if (g == "") return ""
      split(g, p, " ")
      return (p[1] == "<=" ? x <= p[2] + 0 : x >= p[2] + 0) ? "yes" : "NO"
    }
    NR == 1 { next }
    { W[$2] = W[$2] " " $3; C[$2] = C[$2] " " $4; if ($5 > M[$2]) M[$2] = $5; if ($6 != "") SV[$2] = SV[$2] " " $6 }
    END {
      nr = split(rows, R, "\n")
      for (i = 1; i <= nr; i++) {
        split(R[i], f, "\037"); name[i] = f[1]; floor[i] = f[3]; goal[i] = f[4]; note[i] = f[5]
        w[f[1]] = median(W[f[1]]); c[f[1]] = median(C[f[1]])
      }
      printf "%-19s %7s %7s %8s  %-22s %-8s %-9s %s\n", "row", "wall s", "cpu s", "peak RSS", "ratio wall (cpu)", "goal", "met wall", "what"
      for (i = 1; i <= nr; i++) {
        n = name[i]; rat = "floor"; met = ""
        if (floor[i] != "" && w[floor[i]] > 0) {
          x = w[n] / w[floor[i]]; y = c[n] / c[floor[i]]
          rat = sprintf("%.2fx (%.2fx) %s", x, y, floor[i])
          met = verdict(x, goal[i]); if (met != "") met = met " (" verdict(y, goal[i]) ")"
        }
        printf "%-19s %7.2f %7.2f %6.1f M  %-22s %-8s %-9s %s\n", n, w[n], c[n], M[n] / 1024, rat, goal[i], met, note[i]
        if (n ~ /^pd-/ && M[n] > rss) rss = M[n]
      }
      printf "%-19s %7s %7s %6.1f M  %-22s %-8s %-9s %s\n", "peak RSS, pd rows", "", "", rss / 1024, "", "<= 64M", (rss <= 65536 ? "yes" : "NO"), "the largest of the permdoctor rows"
      for (i = 1; i <= nr; i++) if (SV[name[i]] != "") sv = sv sprintf("%s %.2f s, ", name[i], median(SV[name[i]]))
      if (sv != "") {
        sub(/, $/, "", sv)
        printf "\nregistry server cpu (user + sys of docker-registry during the row, median; not in the\n"
        printf "cpu column above): %s\n", sv
      }
      printf "\nwall, cpu: medians of %d runs (cpu = user + sys of the whole command); peak RSS: the largest run.\n", N
      printf "ratio: this row / its floor, by wall time and (in parentheses) by cpu time; for diy the\n"
      printf "ratio is how many times slower than permdoctor on the same OCI archive (goal: >= 15).\n"
      printf "met wall (cpu): the goal judged on the wall ratio, and on the cpu ratio.\n"
    }' "$TSV"
  awk -v a="$T_START" -v b="$T_END" 'BEGIN { printf "bench/run.sh took %.0f s\n", b - a }'
} >>"$TXT"
cat "$TXT"
echo "bench: results in $TXT (samples: $TSV)"
