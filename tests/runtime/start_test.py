#!/usr/bin/env python3
"""The run-time truth the start-up rules are measured against.

Each image below is unpacked as runc would see it (skopeo to an OCI layout, then `umoci unpack`
as root: modes and owners kept, and an OCI runtime config derived from the image config), and
its start command is really run: chroot into the rootfs, chdir to the config's cwd (WORKDIR),
drop to its uid, gid and additional gids (USER), exec args with its env, PATH lookup inside the
image, /proc mounted as runc does. A start that is still running after a few seconds, or exits 0,
started; anything else failed. permdoctor's verdict must match: a failed start has a finding of a start-up rule
(PD101-PD104, PD109, PD110), a start that worked has none.

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
]
# Images whose start fails (or must not) for a file the app opens: after the entrypoint switched
# user (gosu), or relative to a WORKDIR inside /root. PD105 is the verdict there too.
EXTRA_RULES = {
    "pd105-switched-user-unreadable": {"PD105"},
    "pd105-switched-user-ok": {"PD105"},
    "pd105-root-workdir-unreadable": {"PD105"},
    "pd109-root-workdir-relative-ok": {"PD105"},
}
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
    for name in IMAGES:
        archive = os.path.join(images, name + ".tar")
        with tempfile.TemporaryDirectory(prefix="pd-start-") as work:
            rootfs, process = unpack(archive, work)
            log = os.path.join(work, "log")
            # runc mounts /proc in every container (gosu, for one, reads /proc/self/exe).
            proc = os.path.join(rootfs, "proc")
            os.makedirs(proc, exist_ok=True)
            subprocess.run(["mount", "-t", "proc", "proc", proc], check=True)
            try:
                started, code = start(rootfs, process, log)
            finally:
                subprocess.run(["umount", "-l", proc], check=True)
            with open(log, errors="replace") as f:
                said = f.read().strip().splitlines()
        rules = verdict(permdoctor, archive, START_RULES | EXTRA_RULES.get(name, set()))
        what = "started" if started else "failed (exit %s: %s)" % (code, said[-1] if said else "")
        if bool(rules) == (not started):
            passed += 1
            print("ok - %s: %s; permdoctor: %s" % (name, what, ", ".join(rules) or "quiet"))
        else:
            failed += 1
            print("not ok - %s: %s; permdoctor: %s" % (name, what, ", ".join(rules) or "quiet"))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
