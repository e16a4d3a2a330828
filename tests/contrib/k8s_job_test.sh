#!/usr/bin/env bash
# contrib/k8s/lint-images-job.yaml must work as written: each completion index's pod command,
# with Kubernetes' $(JOB_COMPLETION_INDEX) expanded, lints its own line of the image list from a
# real registry and writes that image's JSON report. The registry (tests/remote/servers.sh) is
# plain http on 127.0.0.1, so the test adds --insecure; the list and the report volume are
# temporary folders in place of the ConfigMap and the emptyDir.
#   usage: k8s_job_test.sh PERMDOCTOR_BINARY SOURCE_DIR FIXTURE_IMAGES_DIR
set -uo pipefail
pd=$(realpath "$1") src=$(realpath "$2") fixtures=$(realpath "$3")
work=$(mktemp -d /tmp/pd-k8s-job.XXXXXX)
# shellcheck source=../remote/servers.sh
. "$src/tests/remote/servers.sh"
pd_servers_init "$work/servers" || exit 2
trap 'pd_stop_all; rm -rf "$work"' EXIT
pd_start_registry k8s http || { echo "skip: no registry here"; exit 77; }
host=$PD_REG_K8S_HOST
pd_push "$host" "$fixtures/demo-lambda-unreadable.tar" team/fn:1 || exit 1
pd_push "$host" "$fixtures/healthy-generic.tar" team/api:1 || exit 1

# The Job's pod command and the number of completions, from the manifest as shipped.
python3 - "$src/contrib/k8s/lint-images-job.yaml" >"$work/job" <<'PY' || exit 1
import shlex, sys, yaml
docs = list(yaml.safe_load_all(open(sys.argv[1])))
job = next(d for d in docs if d["kind"] == "Job")
cm = next(d for d in docs if d["kind"] == "ConfigMap")
spec = job["spec"]
assert spec["completionMode"] == "Indexed"
lines = [l for l in cm["data"]["images.txt"].splitlines() if l.strip() and not l.startswith("#")]
assert spec["completions"] == len(lines), "completions must match the ConfigMap's image count"
c = spec["template"]["spec"]["containers"][0]
mounts = {m["name"]: m["mountPath"] for m in c["volumeMounts"]}
assert mounts["images"] == "/config" and mounts["reports"] == "/reports"
print(shlex.join(c["command"] + c.get("args", [])))
PY
command=$(cat "$work/job")
printf 'docker://%s/team/fn:1\n# a comment\ndocker://%s/team/api:1\n' "$host" "$host" >"$work/images.txt"
mkdir -p "$work/reports"
passed=0 failed=0
check() { # WHAT STATUS(0=ok)
  if [ "$2" -eq 0 ]; then echo "ok - $1"; passed=$((passed + 1)); else echo "not ok - $1"; failed=$((failed + 1)); fi
}
for index in 0 1; do
  cmd=${command//\$(JOB_COMPLETION_INDEX)/$index}
  cmd=${cmd//\/config\/images.txt/$work/images.txt}
  cmd=${cmd//\/reports\//$work/reports/}
  cmd=${cmd/\/usr\/local\/bin\/permdoctor/$pd}
  status=0
  eval "$cmd --insecure -q" >"$work/out.$index" 2>"$work/err.$index" || status=$?
  want=$([ $index = 0 ] && echo 1 || echo 0)  # the demo image has an error, the healthy one none
  check "index $index: exit $status (want $want)" $([ "$status" = "$want" ] && echo 0 || echo 1)
  check "index $index: the report names its own image" \
    $(jq -e --arg r "$host/team/$([ $index = 0 ] && echo fn || echo api):1" \
      '.image.references == [$r] and (.image.repoDigest | startswith($r | sub(":1$"; "@sha256:")))' \
      "$work/reports/$index.json" >/dev/null && echo 0 || echo 1)
done
check "index 0 found PD401" $(jq -e '[.findings[].rule] | index("PD401")' "$work/reports/0.json" >/dev/null && echo 0 || echo 1)
status=0
"$pd" lint --images-from "$work/images.txt" --pick 2 -q >/dev/null 2>"$work/err.pick" || status=$?
check "--pick past the list: exit 2, one line" $([ $status = 2 ] && [ "$(wc -l <"$work/err.pick")" = 1 ] && echo 0 || echo 1)
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
