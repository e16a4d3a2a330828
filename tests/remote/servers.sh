# shellcheck shell=bash
# Real servers for remote-source tests, on 127.0.0.1 and unix sockets only. Source this file from
# a bash test script, then:
#
#   pd_servers_init DIR             state dir for everything below (created; never deleted by us).
#                                   Installs an EXIT trap that stops every server started here
#                                   (SIGTERM to each process group, up to 10 s, then SIGKILL) and
#                                   then runs the EXIT trap the caller had before. INT/TERM traps
#                                   that `exit` are added only if the caller had none, so the EXIT
#                                   trap also runs on ^C.
#   pd_free_port                    prints a free TCP port on 127.0.0.1.
#   pd_start_registry NAME MODE [TOKEN_SERVER_ARGS...]
#                                   distribution 2.8 (/usr/bin/docker-registry) in DIR/NAME, MODE:
#       http   plain http, no auth.
#       tls    https (own CA, DIR/NAME/ca.pem; cert for IP 127.0.0.1 + DNS localhost), htpasswd
#              (bcrypt) auth: 401 + `WWW-Authenticate: Basic realm="pd-test-registry"`.
#       token  https as above + distribution's `silly` auth: 401 + `WWW-Authenticate: Bearer
#              realm="https://127.0.0.1:P/token",service="pd-test-registry",scope="..."`, where P
#              is token_server.py (same cert) logging to DIR/NAME/token.log. Silly auth admits ANY
#              request that has an Authorization header. Extra args go to token_server.py, e.g.
#              --field access_token|both, --require-auth, --expires-in 300.
#       Sets PD_REG_<NAME>_HOST (127.0.0.1:PORT), PD_REG_<NAME>_CA (ca.pem path, empty for http),
#       PD_REG_<NAME>_CERTDIR (dir holding ca.crt, for skopeo/podman --cert-dir; empty for http),
#       PD_REG_<NAME>_URL (http[s]://HOST), PD_REG_<NAME>_TOKEN_URL (token realm; token mode only),
#       where <NAME> is NAME upper-cased with every non-alphanumeric character turned into `_`.
#       Returns once GET /v2/ answers (any HTTP status); on a 20 s timeout prints the log, returns 1.
#   pd_start_redirect_front NAME UPSTREAM_HOST
#                                   redirect_front.py (ECR-like front + S3-like blob store, see the
#                                   script's docstring) in front of an http-mode registry; log in
#                                   DIR/NAME/front.log. Sets PD_FRONT_<NAME>_HOST and
#                                   PD_FRONT_<NAME>_S3_HOST.
#   pd_push HOST ARCHIVE REPO:TAG [CA]
#                                   skopeo copy of a docker-archive or oci-archive (told apart by
#                                   the archive's content) to docker://HOST/REPO:TAG, as
#                                   tester:s3cret; with CA the TLS certificate is verified against
#                                   it, without CA TLS is not verified (and plain http is allowed).
#                                   Quiet on success; on failure prints skopeo's output, returns 1.
#   pd_start_dockerd                /usr/sbin/dockerd (20.10, starts its own containerd 1.6) with
#                                   data-root DIR/docker/data, vfs, no iptables/bridge/TCP. Sets
#                                   PD_DOCKER_HOST=unix://SOCK, PD_DOCKER_SOCK. The socket and the
#                                   exec-root go under DIR/docker unless DIR is too long for
#                                   sun_path (108 bytes with containerd's sockets inside the
#                                   exec-root); then they go under a new `mktemp -d /tmp/pdd.XXXXXX`
#                                   directory, which the EXIT trap removes (the one thing removed).
#                                   Returns 77 with the reason on stderr when dockerd cannot run
#                                   here (not root, no binary, or it does not come up in 30 s).
#   pd_docker ARGS...               /usr/bin/docker (the 20.10 client) against that daemon.
#   pd_start_podman_service         `podman system service --time=0` with --root/--runroot/--tmpdir
#                                   under DIR/podman, vfs, cgroupfs, file events and locks, its own
#                                   CNI config dir (CONTAINERS_CONF=DIR/podman/containers.conf).
#                                   Sets PD_PODMAN_SOCK. podman rejects a --runroot longer than
#                                   50 characters: when DIR/podman/run would be, the runroot and
#                                   the socket go under a new `mktemp -d /tmp/pdp.XXXXXX` dir
#                                   (symlinked as DIR/podman/short, removed by the EXIT trap).
#                                   Returns 77 with the reason when podman cannot run here.
#   pd_podman ARGS...               podman with the same storage/config, e.g. `pd_podman load -i X`.
#
# Credentials: PD_USER=tester, PD_PASS=s3cret. Python: /usr/bin/python3 if present (stdlib only).
# Call the pd_start_* functions in the current shell, not in $(...) or a pipeline: they set
# variables and record process ids. This file sets no shell options (no set -e/-u/pipefail) and
# works under a caller's `set -euo pipefail`.
# Side effects outside DIR that cannot be avoided: dockerd creates /run/docker/plugins (a fixed
# path in dockerd); nothing else is written outside DIR (and the short socket dir above).

PD_USER=tester
PD_PASS=s3cret
PD_SERVICE=pd-test-registry
PD_REMOTE_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ -x /usr/bin/python3 ]; then PD_PYTHON=/usr/bin/python3; else PD_PYTHON=python3; fi
if [ -x /usr/sbin/dockerd ]; then PD_DOCKERD=/usr/sbin/dockerd; else PD_DOCKERD=/usr/bin/dockerd; fi
PD_DOCKER=/usr/bin/docker
PD_DIR=
PD_PGIDS=()
PD_CLEANUP_DIRS=()
PD_PREV_EXIT_TRAP=

_pd_die() { echo "servers.sh: $*" >&2; return 1; }

# NAME -> the suffix used in variable names.
_pd_var() {
  local v=${1^^}
  v=${v//[^A-Z0-9_]/_}
  printf '%s' "$v"
}

_pd_now_ms() { date +%s%3N; }

pd_servers_init() {
  [ $# -eq 1 ] || { _pd_die "usage: pd_servers_init DIR"; return 1; }
  mkdir -p "$1" || return 1
  PD_DIR=$(cd "$1" && pwd) || return 1
  PD_PGIDS=()
  PD_CLEANUP_DIRS=()
  local prev
  prev=$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT\$//" -e "s/'\\\\''/'/g")
  # A second init keeps the caller's original trap (and does not chain ours to itself).
  [ "$prev" = _pd_on_exit ] || PD_PREV_EXIT_TRAP=$prev
  trap '_pd_on_exit' EXIT
  if [ -z "$(trap -p INT)" ]; then trap 'exit 130' INT; fi
  if [ -z "$(trap -p TERM)" ]; then trap 'exit 143' TERM; fi
  return 0
}

_pd_on_exit() {
  local rc=$?
  pd_stop_all
  if [ -n "$PD_PREV_EXIT_TRAP" ]; then eval "$PD_PREV_EXIT_TRAP"; fi
  exit "$rc"
}

# True while any non-zombie process is left in process group $1.
_pd_group_alive() {
  ps -e -o pgid=,stat= 2>/dev/null | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { found = 1 } END { exit !found }'
}

_pd_stop_group() {
  local pgid=$1 i
  kill -TERM -- "-$pgid" 2>/dev/null || { wait "$pgid" 2>/dev/null || true; return 0; }
  for ((i = 0; i < 100; i++)); do
    _pd_group_alive "$pgid" || break
    sleep 0.1
  done
  if _pd_group_alive "$pgid"; then
    echo "servers.sh: process group $pgid ignored SIGTERM for 10 s, killing it" >&2
    kill -KILL -- "-$pgid" 2>/dev/null || true
  fi
  wait "$pgid" 2>/dev/null || true
  return 0
}

# Stops every server started so far (newest first). Also what the EXIT trap runs.
pd_stop_all() {
  local i pid cmd
  for ((i = ${#PD_PGIDS[@]} - 1; i >= 0; i--)); do
    _pd_stop_group "${PD_PGIDS[i]}"
  done
  PD_PGIDS=()
  # dockerd runs containerd in a session of its own; it normally stops it, but make sure.
  if [ -n "${PD_DOCKER_EXEC_ROOT:-}" ] && [ -f "$PD_DOCKER_EXEC_ROOT/containerd/containerd.pid" ]; then
    pid=$(cat "$PD_DOCKER_EXEC_ROOT/containerd/containerd.pid" 2>/dev/null) || pid=
    cmd=
    if [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ]; then
      cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || cmd=
    fi
    if [[ -n "$cmd" && $cmd == *"$PD_DOCKER_EXEC_ROOT"* ]]; then
      kill -TERM "$pid" 2>/dev/null || true
      for ((i = 0; i < 50; i++)); do _pd_alive "$pid" || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  for i in "${PD_CLEANUP_DIRS[@]}"; do
    case $i in
      /tmp/pdd.* | /tmp/pdp.*) rm -rf --one-file-system -- "$i" 2>/dev/null || true ;;
    esac
  done
  PD_CLEANUP_DIRS=()
  return 0
}

# _pd_spawn LOG CMD... : runs CMD in a new session (so in its own process group), stdout+stderr
# to LOG, stdin from /dev/null; records the process group and sets _PD_PID to its leader.
_pd_spawn() {
  local log=$1 pidfile i
  shift
  [ -n "$PD_DIR" ] || { _pd_die "call pd_servers_init first"; return 1; }
  pidfile=$(mktemp "$PD_DIR/.spawn.XXXXXX") || return 1
  : >"$pidfile"
  # bash -c writes its own pid, then execs CMD with that pid: the session/group leader.
  # shellcheck disable=SC2016
  setsid bash -c 'echo $$ >"$0.tmp" && mv "$0.tmp" "$0" && exec "$@"' "$pidfile" "$@" \
    >>"$log" 2>&1 </dev/null &
  for ((i = 0; i < 100; i++)); do
    [ -s "$pidfile" ] && break
    sleep 0.05
  done
  _PD_PID=$(cat "$pidfile")
  rm -f "$pidfile"
  [ -n "$_PD_PID" ] || { _pd_die "could not start $1"; return 1; }
  PD_PGIDS+=("$_PD_PID")
  return 0
}

_pd_alive() { [ -d "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

pd_free_port() {
  "$PD_PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# _pd_wait_port_file FILE PID SECONDS : waits for a python server to write its port file.
_pd_wait_port_file() {
  local f=$1 pid=$2 n=$(($3 * 10)) i
  for ((i = 0; i < n; i++)); do
    [ -s "$f" ] && return 0
    _pd_alive "$pid" || return 1
    sleep 0.1
  done
  return 1
}

# _pd_make_tls DIR : CA (ca.pem, ca.key) and server cert (server.pem, server.key) for 127.0.0.1
# and localhost, plus certs.d/ca.crt for tools that take a cert dir.
_pd_make_tls() {
  local d=$1 log=$1/openssl.log
  {
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
      -keyout "$d/ca.key" -out "$d/ca.pem" -days 3650 -subj "/CN=permdoctor test CA" \
      -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" &&
      openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -keyout "$d/server.key" -out "$d/server.csr" -subj "/CN=127.0.0.1" &&
      printf '%s\n' "basicConstraints=CA:FALSE" \
        "keyUsage=critical,digitalSignature,keyEncipherment" \
        "extendedKeyUsage=serverAuth" \
        "subjectAltName=IP:127.0.0.1,DNS:localhost" \
        "subjectKeyIdentifier=hash" \
        "authorityKeyIdentifier=keyid,issuer" >"$d/server.ext" &&
      openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
        -CAcreateserial -out "$d/server.pem" -days 3650 -extfile "$d/server.ext"
  } >"$log" 2>&1 || { cat "$log" >&2; _pd_die "openssl failed in $d"; return 1; }
  mkdir -p "$d/certs.d" && cp "$d/ca.pem" "$d/certs.d/ca.crt"
}

pd_start_registry() {
  local name=$1 mode=${2:-} v d port scheme auth="" ca="" certdir="" tport="" i code t0
  [ $# -ge 2 ] || { _pd_die "usage: pd_start_registry NAME http|tls|token [TOKEN_SERVER_ARGS...]"; return 1; }
  shift 2
  [ -n "$PD_DIR" ] || { _pd_die "call pd_servers_init first"; return 1; }
  case $mode in http | tls | token) ;; *) _pd_die "unknown registry mode '$mode'"; return 1 ;; esac
  t0=$(_pd_now_ms)
  v=$(_pd_var "$name")
  d=$PD_DIR/$name
  mkdir -p "$d/data" || return 1
  scheme=http
  if [ "$mode" != http ]; then
    scheme=https
    _pd_make_tls "$d" || return 1
    ca=$d/ca.pem
    certdir=$d/certs.d
  fi
  if [ "$mode" = tls ]; then
    htpasswd -Bbn "$PD_USER" "$PD_PASS" >"$d/htpasswd" 2>"$d/htpasswd.log" ||
      { cat "$d/htpasswd.log" >&2; _pd_die "htpasswd failed"; return 1; }
    auth="auth:
  htpasswd:
    realm: $PD_SERVICE
    path: $d/htpasswd"
  elif [ "$mode" = token ]; then
    rm -f "$d/token.port"
    _pd_spawn "$d/token_server.out" "$PD_PYTHON" "$PD_REMOTE_LIB_DIR/token_server.py" \
      --port 0 --port-file "$d/token.port" --cert "$d/server.pem" --key "$d/server.key" \
      --log "$d/token.log" --user "$PD_USER" --password "$PD_PASS" "$@" || return 1
    if ! _pd_wait_port_file "$d/token.port" "$_PD_PID" 10; then
      cat "$d/token_server.out" >&2
      _pd_die "token server for '$name' did not start"
      return 1
    fi
    tport=$(cat "$d/token.port")
    auth="auth:
  silly:
    realm: https://127.0.0.1:$tport/token
    service: $PD_SERVICE"
  fi
  local unset_env=() e pid attempt ok=0
  # REGISTRY_* variables would override the config file.
  for e in $(compgen -e); do
    [[ $e != REGISTRY_* ]] || unset_env+=(-u "$e")
  done
  # pd_free_port can race with another process taking the port: then try another one. Ready means
  # our process logged "listening on 127.0.0.1:PORT", answers /v2/, and is still alive (a curl
  # answer alone could come from someone else on that port).
  for ((attempt = 1; attempt <= 3; attempt++)); do
    port=$(pd_free_port) || return 1
    {
      echo "version: 0.1"
      echo "log:"
      echo "  level: info"
      echo "  accesslog:"
      echo "    disabled: false"
      echo "storage:"
      echo "  filesystem:"
      echo "    rootdirectory: $d/data"
      echo "  delete:"
      echo "    enabled: true"
      echo "  maintenance:"
      echo "    uploadpurging:"
      echo "      enabled: false"
      echo "http:"
      echo "  addr: 127.0.0.1:$port"
      echo "  secret: pd-test-$RANDOM$RANDOM"
      echo "  headers:"
      echo "    X-Content-Type-Options: [nosniff]"
      if [ "$mode" != http ]; then
        echo "  tls:"
        echo "    certificate: $d/server.pem"
        echo "    key: $d/server.key"
      fi
      [ -z "$auth" ] || echo "$auth"
    } >"$d/config.yml"
    : >"$d/registry.log"
    _pd_spawn "$d/registry.log" env "${unset_env[@]}" \
      /usr/bin/docker-registry serve "$d/config.yml" || return 1
    pid=$_PD_PID
    code=000
    for ((i = 0; i < 200; i++)); do
      _pd_alive "$pid" || break
      if grep -q "listening on 127.0.0.1:$port" "$d/registry.log"; then
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 ${ca:+--cacert "$ca"} \
          "$scheme://127.0.0.1:$port/v2/" 2>/dev/null) || true
        if [ "${code:-000}" != 000 ] && _pd_alive "$pid"; then
          ok=1
          break
        fi
      fi
      sleep 0.1
    done
    [ $ok = 0 ] || break
    code=000
    if ! _pd_alive "$pid" && grep -q 'address already in use' "$d/registry.log"; then
      cp "$d/registry.log" "$d/registry.log.port-taken.$attempt"
      continue
    fi
    break
  done
  if [ "${code:-000}" = 000 ]; then
    echo "----- $d/registry.log" >&2
    cat "$d/registry.log" >&2
    echo "----- $d/config.yml" >&2
    cat "$d/config.yml" >&2
    _pd_die "registry '$name' ($mode) did not start answering $scheme://127.0.0.1:$port/v2/ (it exited, or 20 s passed)"
    return 1
  fi
  printf -v "PD_REG_${v}_HOST" '%s' "127.0.0.1:$port"
  printf -v "PD_REG_${v}_CA" '%s' "$ca"
  printf -v "PD_REG_${v}_CERTDIR" '%s' "$certdir"
  printf -v "PD_REG_${v}_URL" '%s' "$scheme://127.0.0.1:$port"
  printf -v "PD_REG_${v}_TOKEN_URL" '%s' "${tport:+https://127.0.0.1:$tport/token}"
  echo "$mode 127.0.0.1:$port started in $(($(_pd_now_ms) - t0)) ms" >"$d/started"
  return 0
}

pd_start_redirect_front() {
  local name=$1 upstream=${2:-} v d fport s3port
  [ $# -eq 2 ] || { _pd_die "usage: pd_start_redirect_front NAME UPSTREAM_HOST"; return 1; }
  [ -n "$PD_DIR" ] || { _pd_die "call pd_servers_init first"; return 1; }
  v=$(_pd_var "$name")
  d=$PD_DIR/$name
  mkdir -p "$d" || return 1
  rm -f "$d/front.port"
  _pd_spawn "$d/front.out" "$PD_PYTHON" "$PD_REMOTE_LIB_DIR/redirect_front.py" \
    --upstream "$upstream" --port 0 --s3-port 0 --port-file "$d/front.port" \
    --log "$d/front.log" --user "$PD_USER" --password "$PD_PASS" || return 1
  if ! _pd_wait_port_file "$d/front.port" "$_PD_PID" 10; then
    cat "$d/front.out" >&2
    _pd_die "redirect front '$name' did not start"
    return 1
  fi
  read -r fport s3port <"$d/front.port"
  printf -v "PD_FRONT_${v}_HOST" '%s' "127.0.0.1:$fport"
  printf -v "PD_FRONT_${v}_S3_HOST" '%s' "127.0.0.1:$s3port"
  return 0
}

# Prints docker-archive or oci-archive for an image archive (by content), or fails.
pd_archive_format() {
  local list
  list=$(tar -tf "$1" 2>/dev/null) || { _pd_die "cannot list archive $1"; return 1; }
  if grep -qxE '(\./)?manifest\.json' <<<"$list"; then
    echo docker-archive
  elif grep -qxE '(\./)?(oci-layout|index\.json)' <<<"$list"; then
    echo oci-archive
  else
    _pd_die "$1: neither a docker-archive (manifest.json) nor an oci-archive (oci-layout)"
    return 1
  fi
}

pd_push() {
  local host=$1 archive=${2:-} ref=${3:-} ca=${4:-} fmt tls out certdir
  [ $# -ge 3 ] || { _pd_die "usage: pd_push HOST ARCHIVE REPO:TAG [CA]"; return 1; }
  fmt=$(pd_archive_format "$archive") || return 1
  if [ -n "$ca" ]; then
    certdir=$(mktemp -d "${PD_DIR:-/tmp}/.push-certs.XXXXXX") || return 1
    cp "$ca" "$certdir/ca.crt" || return 1
    tls=(--dest-cert-dir "$certdir")
  else
    tls=(--dest-tls-verify=false)
  fi
  local rc=0
  out=$(skopeo --insecure-policy copy --retry-times 0 "${tls[@]}" \
    --dest-creds "$PD_USER:$PD_PASS" "$fmt:$archive" "docker://$host/$ref" 2>&1) || rc=$?
  [ -z "${certdir:-}" ] || rm -rf "$certdir" || true
  if [ $rc -ne 0 ]; then
    printf '%s\n' "$out" >&2
    _pd_die "pd_push $archive -> $host/$ref failed (skopeo exit $rc)"
    return 1
  fi
  return 0
}

# Dir for sockets: under BASE if the longest socket path fits in sun_path, else a short /tmp dir.
# _pd_sock_dir BASE LONGEST_SUFFIX_LEN PREFIX -> prints the dir.
_pd_sock_dir() {
  local base=$1 extra=$2 prefix=$3 dir
  if [ $((${#base} + extra)) -le 100 ]; then
    mkdir -p "$base" && printf '%s' "$base"
  else
    dir=$(mktemp -d "/tmp/$prefix.XXXXXX") || return 1
    printf '%s' "$dir"
  fi
}

pd_start_dockerd() {
  local d sd i t0 pid
  [ -n "$PD_DIR" ] || { _pd_die "call pd_servers_init first"; return 1; }
  if [ "$(id -u)" != 0 ]; then echo "pd_start_dockerd: needs root (uid $(id -u))" >&2; return 77; fi
  if [ ! -x "$PD_DOCKERD" ]; then echo "pd_start_dockerd: no dockerd ($PD_DOCKERD)" >&2; return 77; fi
  if [ ! -x "$PD_DOCKER" ]; then echo "pd_start_dockerd: no docker client ($PD_DOCKER)" >&2; return 77; fi
  command -v containerd >/dev/null || { echo "pd_start_dockerd: no containerd in PATH" >&2; return 77; }
  t0=$(_pd_now_ms)
  d=$PD_DIR/docker
  mkdir -p "$d/data" "$d/client" || return 1
  # Longest socket inside: exec/containerd/containerd.sock.ttrpc (33) + "/exec" (5).
  sd=$(_pd_sock_dir "$d/run" 40 pdd) || return 1
  [ "$sd" = "$d/run" ] || { PD_CLEANUP_DIRS+=("$sd"); ln -sfn "$sd" "$d/run"; }
  PD_DOCKER_EXEC_ROOT=$sd/exec
  PD_DOCKER_SOCK=$sd/docker.sock
  PD_DOCKER_HOST=unix://$PD_DOCKER_SOCK
  # Own config file: no /etc/docker/daemon.json, and the trust key out of /etc/docker.
  printf '{\n  "deprecated-key-path": "%s"\n}\n' "$d/key.json" >"$d/daemon.json"
  local extra=() help
  help=$("$PD_DOCKERD" --help 2>&1) || true
  if [[ $help == *--ip6tables* ]]; then extra+=(--ip6tables=false); fi
  _pd_spawn "$d/dockerd.log" "$PD_DOCKERD" --config-file "$d/daemon.json" \
    --data-root "$d/data" --exec-root "$PD_DOCKER_EXEC_ROOT" --pidfile "$d/dockerd.pid" \
    --storage-driver vfs --iptables=false "${extra[@]}" --bridge=none \
    -H "$PD_DOCKER_HOST" || return 1
  pid=$_PD_PID
  for ((i = 0; i < 300; i++)); do
    if DOCKER_CONFIG=$d/client "$PD_DOCKER" -H "$PD_DOCKER_HOST" version >/dev/null 2>&1; then
      PD_DOCKERD_START_MS=$(($(_pd_now_ms) - t0))
      echo "dockerd started in $PD_DOCKERD_START_MS ms" >"$d/started"
      return 0
    fi
    _pd_alive "$pid" || break
    sleep 0.1
  done
  {
    echo "pd_start_dockerd: dockerd did not come up (log $d/dockerd.log, last lines):"
    tail -n 30 "$d/dockerd.log"
  } >&2
  _pd_stop_group "$pid"
  return 77
}

pd_docker() {
  DOCKER_CONFIG=$PD_DIR/docker/client "$PD_DOCKER" -H "$PD_DOCKER_HOST" "$@"
}

_pd_podman_args() {
  local d=$PD_DIR/podman
  printf '%s\n' --root "$d/root" --runroot "${PD_PODMAN_RUNROOT:-$d/run}" --storage-driver vfs --tmpdir "$d/tmp" \
    --cgroup-manager cgroupfs --events-backend file
}

pd_podman() {
  local args
  mapfile -t args < <(_pd_podman_args)
  CONTAINERS_CONF=$PD_DIR/podman/containers.conf \
    CONTAINERS_STORAGE_CONF=$PD_DIR/podman/storage.conf \
    CONTAINERS_REGISTRIES_CONF=$PD_DIR/podman/registries.conf \
    podman "${args[@]}" "$@"
}

pd_start_podman_service() {
  local d sd i t0 pid
  [ -n "$PD_DIR" ] || { _pd_die "call pd_servers_init first"; return 1; }
  command -v podman >/dev/null || { echo "pd_start_podman_service: no podman" >&2; return 77; }
  if [ "$(id -u)" != 0 ]; then echo "pd_start_podman_service: needs root (uid $(id -u))" >&2; return 77; fi
  t0=$(_pd_now_ms)
  d=$PD_DIR/podman
  mkdir -p "$d/root" "$d/tmp" "$d/cni" "$d/volumes" || return 1
  # podman refuses a --runroot longer than 50 characters (conmon's socket paths live there), and
  # the API socket must fit in sun_path: both go to a short /tmp dir when DIR is too long.
  if [ $((${#d} + 4)) -le 50 ]; then
    sd=$d
  else
    sd=$(mktemp -d /tmp/pdp.XXXXXX) || return 1
    PD_CLEANUP_DIRS+=("$sd")
    ln -sfn "$sd" "$d/short"
  fi
  PD_PODMAN_RUNROOT=$sd/run
  mkdir -p "$PD_PODMAN_RUNROOT" || return 1
  # Files of our own so nothing from /etc or /usr/share/containers changes storage or locking:
  # file locks under --tmpdir instead of /dev/shm/libpod_lock, CNI config (and its lock file)
  # under DIR instead of /etc/cni/net.d.
  cat >"$d/containers.conf" <<EOF
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
lock_type = "file"
tmp_dir = "$d/tmp"
volume_path = "$d/volumes"

[network]
network_backend = "cni"
network_config_dir = "$d/cni"
EOF
  cat >"$d/storage.conf" <<EOF
[storage]
driver = "vfs"
graphroot = "$d/root"
runroot = "$PD_PODMAN_RUNROOT"
EOF
  cat >"$d/registries.conf" <<EOF
unqualified-search-registries = []
short-name-mode = "permissive"
EOF
  PD_PODMAN_SOCK=$sd/podman.sock
  rm -f "$PD_PODMAN_SOCK"
  local args
  mapfile -t args < <(_pd_podman_args)
  _pd_spawn "$d/podman.log" env CONTAINERS_CONF="$d/containers.conf" \
    CONTAINERS_STORAGE_CONF="$d/storage.conf" CONTAINERS_REGISTRIES_CONF="$d/registries.conf" \
    podman "${args[@]}" system service --time=0 "unix://$PD_PODMAN_SOCK" || return 1
  pid=$_PD_PID
  for ((i = 0; i < 300; i++)); do
    if [ -S "$PD_PODMAN_SOCK" ] &&
      curl -sf --max-time 2 --unix-socket "$PD_PODMAN_SOCK" http://d/_ping >/dev/null 2>&1; then
      PD_PODMAN_START_MS=$(($(_pd_now_ms) - t0))
      echo "podman service started in $PD_PODMAN_START_MS ms" >"$d/started"
      return 0
    fi
    _pd_alive "$pid" || break
    sleep 0.1
  done
  {
    echo "pd_start_podman_service: the service did not answer /_ping (log $d/podman.log):"
    tail -n 30 "$d/podman.log"
  } >&2
  _pd_stop_group "$pid"
  return 77
}
