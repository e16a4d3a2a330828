#!/usr/bin/python3
"""contrib/ci/*.yml must stay valid and runnable, so the snippets cannot rot silently.

Parses each snippet as YAML, checks the wiring (the SARIF file the lint step writes is the one
uploaded; the code-quality file is the one GitLab collects), then runs the snippet's own lint
commands, exactly as written, with bash against real images: `docker` and `skopeo` are shims
that produce a fixture archive, permdoctor is the built binary. The reports they write are parsed.

usage: ci_snippets_test.py PERMDOCTOR_BINARY SOURCE_DIR FIXTURE_IMAGES_DIR
"""
import json
import os
import shlex
import subprocess
import sys
import shutil
import tempfile

import yaml

permdoctor, src, fixtures = (os.path.realpath(a) for a in sys.argv[1:4])
BROKEN = os.path.join(fixtures, "demo-lambda-unreadable.tar")  # PD401, an error
HEALTHY = os.path.join(fixtures, "healthy-generic.tar")  # no errors
failures = []
scratch = tempfile.mkdtemp(prefix="pd-ci-")


def check(ok, what, detail=""):
    print(("ok:   " if ok else "FAIL: ") + what)
    if not ok:
        failures.append(what)
        if detail:
            print(detail)


def lint_flags(script):
    """The --format/--output pairs of the `permdoctor lint` command in a shell script."""
    text = script.replace("\\\n", " ")
    lines = [line for line in text.splitlines() if "permdoctor lint" in line]
    assert len(lines) == 1, f"expected one permdoctor lint line, got {lines}"
    words = shlex.split(lines[0][lines[0].index("permdoctor lint"):])
    formats = [words[i + 1] for i, w in enumerate(words) if w == "--format"]
    outputs = [words[i + 1] for i, w in enumerate(words) if w in ("--output", "-o")]
    return dict(zip(formats, outputs + [None] * (len(formats) - len(outputs))))


def run_script(script, image, env_extra, dockerfile=None):
    """Runs SCRIPT with bash -eo pipefail in a scratch directory (the checkout: DOCKERFILE, the
    one the image was built from, is its ./Dockerfile); returns (status, out, dir)."""
    work = tempfile.mkdtemp(dir=scratch)
    if dockerfile:
        shutil.copy(dockerfile, os.path.join(work, "Dockerfile"))
    shims = os.path.join(work, ".shims")
    os.makedirs(shims)
    with open(os.path.join(shims, "docker"), "w") as f:
        f.write(f'#!/bin/sh\n[ "$1" = save ] || exit 125\nexec cat "{image}"\n')
    with open(os.path.join(shims, "skopeo"), "w") as f:  # skopeo copy [opts] SRC docker-archive:F
        f.write('#!/bin/sh\n[ "$1" = copy ] || exit 125\n'
                'for a; do last=$a; done\n'
                f'exec cp "{image}" "${{last#docker-archive:}}"\n')
    for name in ("docker", "skopeo"):
        os.chmod(os.path.join(shims, name), 0o755)
    home = os.path.join(work, ".home")
    os.makedirs(os.path.join(home, ".local", "bin"))
    os.symlink(permdoctor, os.path.join(home, ".local", "bin", "permdoctor"))
    os.makedirs(os.path.join(work, ".permdoctor-bin"))
    os.symlink(permdoctor, os.path.join(work, ".permdoctor-bin", "permdoctor"))
    env = dict(os.environ, HOME=home, PATH=shims + ":" + os.environ["PATH"], **env_extra)
    p = subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=work, env=env,
                       capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr, work


def load(name):
    with open(os.path.join(src, "contrib", "ci", name)) as f:
        doc = yaml.safe_load(f)
    check(isinstance(doc, dict), f"{name} parses as a YAML mapping")
    return doc


def github():
    doc = load("github-actions.yml")
    check(doc.get("permissions", {}).get("security-events") == "write",
          "github: permissions allow security-events: write (SARIF upload)")
    steps = doc["jobs"]["permdoctor"]["steps"]
    lint = [s for s in steps if "permdoctor lint" in s.get("run", "")]
    check(len(lint) == 1, "github: one step runs permdoctor lint")
    upload = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    check(len(upload) == 1, "github: one step uploads SARIF")
    step = lint[0]
    check(step.get("shell") == "bash", "github: the lint step uses shell: bash (pipefail)")
    pairs = lint_flags(step["run"])
    check(pairs.get("sarif") == upload[0]["with"]["sarif_file"],
          f"github: SARIF written to the uploaded file ({pairs.get('sarif')})")
    check(pairs.get("markdown") == "$GITHUB_STEP_SUMMARY", "github: markdown goes to the summary")
    check("text" in pairs and pairs["text"] is None, "github: text report on stdout (the log)")

    for image, want in ((BROKEN, 1), (HEALTHY, 0)):
        label = os.path.basename(image)
        env = dict(doc.get("env", {}))
        env = {k: str(v) for k, v in env.items()}
        summary = os.path.join(tempfile.mkdtemp(dir=scratch), "step-summary.md")
        env["GITHUB_STEP_SUMMARY"] = summary
        # The checkout holds the Dockerfile the image was built from, as a repository does.
        dockerfile = os.path.join(src, "fixtures", "images",
                                  os.path.basename(image)[:-len(".tar")], "Dockerfile")
        status, out, work = run_script(step["run"], image, env, dockerfile)
        check(status == want, f"github lint step on {label}: exit {status}, expected {want}", out)
        sarif_path = os.path.join(work, upload[0]["with"]["sarif_file"])
        try:
            sarif = json.load(open(sarif_path))
            results = sarif["runs"][0]["results"]
            check(sarif["version"] == "2.1.0", f"github on {label}: SARIF 2.1.0")
            rules = {r["ruleId"] for r in results}
            check(("PD401" in rules) == (want == 1), f"github on {label}: SARIF results {rules}")
            # Code scanning annotates the Dockerfile line that caused it in the pull request.
            for r in results:
                if r["ruleId"] != "PD401":
                    continue
                loc = r["locations"][0]["physicalLocation"]
                check(loc["artifactLocation"]["uri"] == "Dockerfile"
                      and loc.get("region", {}).get("startLine") == 5,
                      f"github on {label}: PD401 sits on Dockerfile line 5 ({loc})")
        except (OSError, ValueError, KeyError, IndexError) as e:
            check(False, f"github on {label}: no valid SARIF at {sarif_path}: {e}")
        md = open(summary).read() if os.path.exists(summary) else ""
        check("|" in md and ("PD401" in md) == (want == 1),
              f"github on {label}: markdown summary table written")
        check("error" in out and "info" in out, f"github on {label}: text report in the log")


def gitlab():
    doc = load("gitlab-ci.yml")
    job = doc["permdoctor"]
    script = "\n".join(job["script"])
    pairs = lint_flags(script)
    report = job["artifacts"]["reports"]["codequality"]
    check(pairs.get("gitlab") == report, f"gitlab: code-quality report written and collected ({report})")
    check(job["artifacts"].get("when") == "always", "gitlab: report kept when the job fails")
    check("text" in pairs and pairs["text"] is None, "gitlab: text report on stdout (the log)")
    # before_script's last line puts the cached binary on PATH; the rest builds it (not run here).
    setup = [line for line in job["before_script"] if line.startswith("export PATH=")]
    check(len(setup) == 1, "gitlab: before_script puts permdoctor on PATH")

    for image, want in ((BROKEN, 1), (HEALTHY, 0)):
        label = os.path.basename(image)
        env = {k: str(v) for k, v in job.get("variables", {}).items()}
        env.update(CI_REGISTRY_IMAGE="registry.example.com/app", CI_COMMIT_SHORT_SHA="abc123",
                   CI_REGISTRY_USER="u", CI_REGISTRY_PASSWORD="p")
        status, out, work = run_script("\n".join(setup) + "\n" + script, image, env)
        check(status == want, f"gitlab script on {label}: exit {status}, expected {want}", out)
        try:
            issues = json.load(open(os.path.join(work, report)))
            names = {i["check_name"] for i in issues}
            check(all({"description", "fingerprint", "severity", "location"} <= i.keys()
                      for i in issues), f"gitlab on {label}: code-quality fields present")
            check(("PD401" in names) == (want == 1), f"gitlab on {label}: issues {names}")
        except (OSError, ValueError, KeyError, TypeError) as e:
            check(False, f"gitlab on {label}: no valid code-quality report: {e}")


try:
    github()
    gitlab()
finally:
    shutil.rmtree(scratch)
if failures:
    print(f"{len(failures)} check(s) failed", file=sys.stderr)
    sys.exit(1)
print("all CI snippet checks passed")
