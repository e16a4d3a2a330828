#!/usr/bin/env python3
"""The run-time truth the start-up rules are measured against.

Each image below is unpacked as runc would see it (skopeo to an OCI layout, then `umoci unpack`
as root: modes and owners kept, and an OCI runtime config derived from the image config), and
its start command is really run: chroot into the rootfs, chdir to the config's cwd (WORKDIR),
drop to its uid, gid and additional gids (USER), exec args with its env, PATH lookup inside the
image, /proc mounted as runc does. A start that is still running after a few seconds, or exits 0,
started; anything else failed. permdoctor's verdict must match: a failed start has a finding of a
start-up rule (PD101-PD104, PD109, PD110), a start that worked has none.

The Lambda images (LAMBDA_IMAGES) are started as Lambda starts a function: as its user (uid 993,
gid 990, in no passwd), on a read-only root with a fresh /tmp, with AWS_LAMBDA_RUNTIME_API set so
that the entrypoint execs the runtime's bootstrap; a real Python imports the handler
(pd-lambda-python-base). Their verdict also counts PD401-PD403 and PD413.

usage: start_test.py PERMDOCTOR FIXTURE_IMAGES_DIR
Output: "ok - ..." / "not ok - ..." lines and a summary; exit 1 on a mismatch, 77 (skipped)
when not root or skopeo/umoci are missing.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

START_RULES = {"PD101", "PD102", "PD103", "PD104", "PD109", "PD110"}
IMAGES = [
    "pd101-entry-missing", "pd101-ok",
    "pd102-entry-not-exec", "pd102-ok", "pd102-untraversable-ancestor",
    "pd102-root-workdir-relative-ok", "pd102-handover-not-exec", "pd102-handover-ok",
    "pd103-crlf", "pd103-ok",
    "pd104-missing-interp", "pd104-dynamic-ok",
    "pd109-chmod-r-644", "pd109-missing-script", "pd109-ok",
    "pd109-root-workdir-relative-ok", "pd109-root-workdir-absolute", "pd109-handover-unreadable",
    "pd109-handover-ok",
    "pd110-copied-alone", "pd110-transitive", "pd110-ok", "pd110-ld-library-path-ok",
    "pd105-switched-user-unreadable", "pd105-switched-user-ok", "pd105-root-workdir-unreadable",
    "pd105-su-switched-user-unreadable", "pd105-su-switched-user-ok",
    "pd105-script-dir-unreadable", "pd105-script-dir-ok",
]
# Images whose start fails (or must not) for a file the app opens: after the entrypoint switched
# user (gosu, su), relative to a WORKDIR inside /root, or beside the script the interpreter
# runs. PD105 is the verdict there too.
EXTRA_RULES = {
    "pd105-switched-user-unreadable": {"PD105"},
    "pd105-switched-user-ok": {"PD105"},
    "pd105-root-workdir-unreadable": {"PD105"},
    "pd109-root-workdir-relative-ok": {"PD105"},
    "pd105-su-switched-user-unreadable": {"PD105"},
    "pd105-su-switched-user-ok": {"PD105"},
    "pd105-script-dir-unreadable": {"PD105"},
    "pd105-script-dir-ok": {"PD105"},
}
# Started as Lambda starts a function: as Lambda's user, on a read-only root, the entrypoint
# exec'ing the runtime's bootstrap, which imports the handler with a real Python
# (pd-lambda-python-base). The Lambda rules are the verdict too.
LAMBDA_IMAGES = [
    "lambda-py-ok", "lambda-py-unreadable", "lambda-py-dir-no-x", "lambda-py-handler-missing",
    "lambda-py-function-not-defined", "lambda-py-pip-user", "lambda-py-pip-target-ok",
]
LAMBDA_RULES = {"PD401", "PD402", "PD403", "PD413"}
# sbx_user1051, the identity Lambda runs functions as: in no passwd, owner of nothing.
LAMBDA_USER = {"uid": 993, "gid": 990, "additionalGids": []}
LAMBDA_ENV = ["AWS_LAMBDA_RUNTIME_API=127.0.0.1:9001", "AWS_REGION=us-east-1",
              "AWS_LAMBDA_FUNCTION_NAME=harness", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128"]
STARTED_AFTER = 3.0  # seconds


def unpack(archive, work):
    layout = os.path.join(work, "oci")
    bundle = os.path.join(work, "bundle")
    subprocess.run(["skopeo", "copy", "-q", "docker-archive:" + archive, "oci:" + layout + ":x"],
                   check=True)
    subprocess.run(["umoci", "unpack", "--image", layout + ":x", bundle], check=True,
                   stdout=subprocess.DEVNULL)
    with open(os.path.join(bundle, "config.json")) as f:
        return os.path.join(bundle, "rootfs"), json.load(f)["process"]


def start(rootfs, process, log):
    """Runs the process as runc would; returns (started, exit status or None)."""
    pid = os.fork()
    if pid == 0:
        try:
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            os.chroot(rootfs)
            # runc enters the working directory as root, before it drops privileges.
            os.chdir(process.get("cwd") or "/")
            user = process.get("user", {})
            os.setgroups(user.get("additionalGids") or [])
            os.setgid(user.get("gid", 0))
            os.setuid(user.get("uid", 0))
            env = dict(e.split("=", 1) for e in process.get("env", []))
            args = process["args"]
            os.execvpe(args[0], args, env)
        except OSError as e:
            os.write(2, ("exec %s: %s\n" % (process["args"][0], e.strerror)).encode())
            os._exit(126 if e.errno == 13 else 127)
        os._exit(125)
    waited = 0.0
    while waited < STARTED_AFTER:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            code = os.waitstatus_to_exitcode(status)
            return code == 0, code
        time.sleep(0.1)
        waited += 0.1
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return True, None


def verdict(permdoctor, archive, rules):
    out = subprocess.run([permdoctor, "lint", archive, "--format", "json", "-q", "--fail-on",
                          "never"], check=True, capture_output=True, text=True).stdout
    return sorted({f["rule"] for f in json.loads(out)["findings"]
                   if f["rule"] in rules and not f["suppressed"]})


def run(archive, work, lambda_identity):
    """Unpacks the image and starts it; returns (started, exit status, last line it wrote)."""
    rootfs, process = unpack(archive, work)
    log = os.path.join(work, "log")
    proc, tmp = os.path.join(rootfs, "proc"), os.path.join(rootfs, "tmp")
    for d in (proc, tmp):
        os.makedirs(d, exist_ok=True)
    mounts = []
    try:
        if lambda_identity:
            process = dict(process, user=LAMBDA_USER,
                           env=[e for e in process.get("env", []) if not e.startswith("HOME=")]
                           + LAMBDA_ENV)
            # Lambda's root file system is read-only; /tmp is the one writable place.
            subprocess.run(["mount", "--bind", rootfs, rootfs], check=True)
            mounts.append(rootfs)
            subprocess.run(["mount", "-o", "remount,bind,ro", rootfs], check=True)
            subprocess.run(["mount", "-t", "tmpfs", "tmpfs", tmp], check=True)
            mounts.append(tmp)
        # runc mounts /proc in every container (gosu, for one, reads /proc/self/exe).
        subprocess.run(["mount", "-t", "proc", "proc", proc], check=True)
        mounts.append(proc)
        started, code = start(rootfs, process, log)
    finally:
        for m in reversed(mounts):
            subprocess.run(["umount", "-l", m], check=True)
    with open(log, errors="replace") as f:
        said = f.read().strip().splitlines()
    return started, code, said[-1] if said else ""


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    permdoctor, images = sys.argv[1], sys.argv[2]
    missing = [t for t in ("skopeo", "umoci") if not shutil.which(t)]
    if os.geteuid() != 0 or missing:
        print("skip - needs root and %s" % (", ".join(missing) or "nothing else"))
        return 77
    passed = failed = 0
    for name in IMAGES + LAMBDA_IMAGES:
        archive = os.path.join(images, name + ".tar")
        lambda_identity = name in LAMBDA_IMAGES
        with tempfile.TemporaryDirectory(prefix="pd-start-") as work:
            started, code, said = run(archive, work, lambda_identity)
        rules = START_RULES | EXTRA_RULES.get(name, set())
        if lambda_identity:
            rules = rules | LAMBDA_RULES
        found = verdict(permdoctor, archive, rules)
        what = "started" if started else "failed (exit %s: %s)" % (code, said)
        how = " as Lambda's user" if lambda_identity else ""
        line = "%s: %s%s; permdoctor: %s" % (name, what, how, ", ".join(found) or "quiet")
        if bool(found) == (not started):
            passed += 1
            print("ok - " + line)
        else:
            failed += 1
            print("not ok - " + line)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
