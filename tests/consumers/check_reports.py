#!/usr/bin/env python3
"""The reports checked by their consumers' own tools (issue 13). For every NAME.json in DIR, the
other formats written by the same run beside it are checked, each by what reads it:

  NAME.sarif        SARIF Multitool `validate` with the SARIF and GitHub rule sets (npm,
                    installed into tests/consumers/node_modules by scripts/quickstart): no
                    error, and no warning but SARIF2017 ("no region") where there are no lines
                    to point at: a path inside the image, or the image itself (a run artifact)
  NAME.md           rendered by cmark-gfm (GitHub's renderer, raw HTML let through as a step
                    summary does) and by marked: each table cell's text is what the JSON says,
                    character for character, and no element appears that the report did not
                    write (a path's __init__ is no <strong>, <b> no tag)
  NAME.xml          xmllint against junit.xsd; its counts agree with its test cases, and no two
                    test cases share a classname and name (a dashboard would merge them)
  NAME.gitlab.json  the fields GitLab's Code Quality documents: severity from its list, a unique
                    fingerprint, a repository-relative location.path and a first line

usage: check_reports.py [--only sarif|markdown|junit|gitlab] DIR
       (exit 0 when every consumer accepts every report)
"""
import base64
import glob
import html.parser
import json
import os
import platform
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
MULTITOOL = os.environ.get("PD_SARIF_MULTITOOL", os.path.join(
    HERE, "node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"))

ALLOWED = {"h3", "h4", "p", "table", "thead", "tbody", "tr", "th", "td", "code", "br", "a"}
ROW_LIMIT = 50  # markdown_report.cc's kMaxRows


class Tables(html.parser.HTMLParser):
    """The document's headings and tables: cell text with <br> as a newline."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = set()
        self.headings = []  # (text, index of the next table)
        self.tables = []
        self.cell = None
        self.heading = None

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = ""
        elif tag == "br" and self.cell is not None:
            self.cell += "\n"
        elif tag in ("h3", "h4"):
            self.heading = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append(self.cell)
            self.cell = None
        elif tag in ("h3", "h4") and self.heading is not None:
            self.headings.append((self.heading, len(self.tables)))
            self.heading = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
        if self.heading is not None:
            self.heading += data


def escape_control(s):
    return "".join(f"\\x{ord(c):02x}" if ord(c) < 0x20 or ord(c) == 0x7F else c for c in s)


def comparable(s):
    # A byte that is not UTF-8 is \xNN on the page (markdown_report.cc) and U+FFFD in JSON
    # strings: compare what is left.
    return re.sub(r"\\x[89a-f][0-9a-f]", "", s.replace("\ufffd", ""))


def raw_path(finding):
    if "pathBytes" in finding:
        return base64.b64decode(finding["pathBytes"]).decode("utf-8", "backslashreplace")
    return finding["path"]


def source_line(src, origin):
    first = src["instruction"].split("\n")[0]
    if len(first.encode()) > 100:
        first = first.encode()[:99].decode("utf-8", "ignore") + "…"
    out = f'{src["file"]}:{src["line"]}  {first}'
    return out + ("  (base image)" if origin == "base" else "")


def expected_rows(report):
    images = report["images"] if "images" in report else [report]
    out = []
    for im in images:
        name = (im["image"]["references"] or [im["image"]["source"]])[0]
        rows = []
        for f in im["findings"]:
            if f["suppressed"]:
                continue
            where = escape_control(raw_path(f)) if f["path"] is not None else ""
            if f["source"]:
                where += ("\n" if where else "") + escape_control(source_line(f["source"], f["origin"]))
            fix = "\n".join(escape_control(l) for l in f["fix"].split("\n") if l)
            rows.append([f["rule"], where, escape_control(f["message"]), fix])
        if rows:
            out.append((escape_control(name), rows[:ROW_LIMIT]))
    return out


def render(cmd, md):
    return subprocess.run(cmd, input=md, capture_output=True, check=True).stdout.decode("utf-8", "replace")


def check_rendered(renderer, page, expected):
    problems = []
    doc = Tables()
    doc.feed(page)
    doc.close()
    extra = doc.tags - ALLOWED
    if extra:
        problems.append(f"{renderer}: elements the report did not write: {sorted(extra)}")
    # Table 0 is the summary; each image with findings has a heading and a table of its own, in
    # the JSON's order (two images may share a name: pair them in order, not by name).
    headings = [(text, i) for text, i in doc.headings if i > 0 or text != "permdoctor"]
    at = 0
    for name, rows in expected:
        while at < len(headings) and comparable(headings[at][0]) != comparable(name):
            at += 1
        if at == len(headings) or headings[at][1] >= len(doc.tables):
            problems.append(f"{renderer}: no table under the heading {name!r}")
            continue
        table = doc.tables[headings[at][1]][1:]  # without the header row
        at += 1
        if len(table) != len(rows):
            problems.append(f"{renderer}: {name}: {len(table)} rows, the JSON has {len(rows)}")
        for got, want in zip(table, rows):
            got = [comparable(c) for c in got[1:]]  # without the severity icon
            want = [comparable(c) for c in want]
            if got != want:
                problems.append(f"{renderer}: {name}: cell text differs:\n  rendered {got!r}\n  "
                                f"json     {want!r}")
    return problems




def check_markdown(json_path, md_path, counts):
    expected = expected_rows(json.load(open(json_path, encoding="utf-8")))
    counts["rows"] = counts.get("rows", 0) + sum(len(rows) for _, rows in expected)
    md = open(md_path, "rb").read()
    gfm = ["cmark-gfm", "--unsafe", "-e", "table", "-e", "strikethrough", "-e", "autolink",
           "-e", "tagfilter"]
    problems = check_rendered("cmark-gfm", render(gfm, md), expected)
    problems += check_rendered("marked", render(["marked", "--gfm"], md), expected)
    return [f"{md_path}: {p}" for p in problems]


def check_sarif(files):
    """One Multitool run over every file; its own SARIF log lists what it found."""
    if platform.machine() != "x86_64" and "PD_SARIF_MULTITOOL" not in os.environ:
        # npm's Linux build of the Multitool is x86-64 only: elsewhere, say so and check nothing.
        print(f"SARIF Multitool: npm ships it for x86-64 Linux only, not {platform.machine()}: "
              "SARIF not checked (set PD_SARIF_MULTITOOL to a build of your own)")
        return []
    if not os.access(MULTITOOL, os.X_OK):
        return [f"SARIF Multitool is not installed at {MULTITOOL}: scripts/quickstart test "
                "installs it (npm ci in tests/consumers)"]
    folder = os.path.dirname(files[0])
    log = os.path.join(folder, "multitool.sarif")
    if os.path.exists(log):
        os.remove(log)
    # A canary the two rule sets must reject (an invalid URI: SARIF1002; a result without a
    # location: GH1015), so that a Multitool that checked nothing, or not GitHub's rules, fails.
    canary = os.path.join(folder, "canary.sarif")
    with open(canary, "w") as f:
        json.dump({"version": "2.1.0", "runs": [{
            "tool": {"driver": {"name": "canary", "rules": [{"id": "C1"}]}},
            "artifacts": [{"location": {"uri": "not a uri <x>"}}],
            "results": [{"ruleId": "C1", "message": {"text": "canary"}}]}]}, f)
    run = subprocess.run([MULTITOOL, "validate", "--rule-kind", "Sarif;Gh", "--output", log]
                         + files + [canary], capture_output=True, text=True)
    os.remove(canary)
    scanned = re.search(r"Done\. (\d+) files? scanned", run.stdout)
    if run.returncode != 0 or not os.path.exists(log) or not scanned:
        return [f"SARIF Multitool failed ({run.returncode}): {run.stdout[-2000:]}{run.stderr}"]
    problems = []
    if int(scanned.group(1)) != len(files) + 1:
        problems.append(f"SARIF Multitool scanned {scanned.group(1)} of {len(files) + 1} files")
    results = [r for run in json.load(open(log))["runs"] for r in run.get("results", [])]
    caught = set()
    checked = {}
    for r in results:
        if (r.get("locations") or [{}])[0].get("physicalLocation", {}).get(
                "artifactLocation", {}).get("uri", "").endswith("/canary.sarif"):
            caught.add(r["ruleId"])
            continue
        level = r.get("level", "warning")
        if level not in ("error", "warning"):
            continue
        where = (r.get("locations") or [{}])[0].get("physicalLocation", {})
        uri = where.get("artifactLocation", {}).get("uri", "?")
        text = r["message"].get("text") or " ".join(r["message"].get("arguments", []))
        if r["ruleId"] == "SARIF2017" and level == "warning":
            # No region is right only where there are no lines: a path in the image, the image.
            m = re.search(r"runs\[(\d+)\]\.results\[(\d+)\]\.locations\[(\d+)\]",
                          json.dumps(r["message"]))
            path = uri[len("file://"):] if uri.startswith("file://") else uri
            doc = checked.setdefault(path, json.load(open(path, encoding="utf-8")))
            if m:
                run_i, res_i, loc_i = map(int, m.groups())
                loc = doc["runs"][run_i]["results"][res_i]["locations"][loc_i]
                artifact = loc["physicalLocation"]["artifactLocation"]
                if artifact.get("uriBaseId") == "IMAGEROOT" or "index" in artifact:
                    continue
        problems.append(f"{uri}: {level} {r['ruleId']}: {text[:400]}")
    for rule in ("SARIF1002", "GH1015"):
        if rule not in caught:
            problems.append(f"SARIF Multitool did not report {rule} on the canary: is the "
                            "Sarif;Gh rule set running?")
    return problems


def check_junit(files):
    problems = []
    run = subprocess.run(["xmllint", "--noout", "--schema", os.path.join(HERE, "junit.xsd")]
                         + files, capture_output=True, text=True)
    if run.returncode != 0:
        problems += [l for l in run.stderr.splitlines() if not l.endswith(" validates")]
    for f in files:
        root = ET.parse(f).getroot()
        seen, suites = set(), set()
        for suite in root.iter("testsuite"):
            name = suite.get("name")
            if name in suites:
                problems.append(f"{f}: two test suites named {name!r}")
            suites.add(name)
            cases = suite.findall("testcase")
            counts = {"tests": len(cases),
                      "failures": sum(len(c.findall("failure")) for c in cases),
                      "errors": sum(len(c.findall("error")) for c in cases),
                      "skipped": sum(len(c.findall("skipped")) for c in cases)}
            for attr, n in counts.items():
                if suite.get(attr) is not None and int(suite.get(attr)) != n:
                    problems.append(f"{f}: {name}: {attr}={suite.get(attr)} but {n} test cases")
            for c in cases:
                key = (c.get("classname"), c.get("name"))
                if key in seen:
                    problems.append(f"{f}: two test cases {key!r}")
                seen.add(key)
    return problems


def check_gitlab(path, counts):
    problems = []
    issues = json.load(open(path, encoding="utf-8"))
    counts["issues"] = counts.get("issues", 0) + len(issues)
    prints = set()
    for i in issues:
        what = f"{path}: {i.get('check_name')}"
        for field in ("description", "check_name", "fingerprint", "severity", "location"):
            if not i.get(field):
                problems.append(f"{what}: no {field}")
        if i.get("severity") not in ("info", "minor", "major", "critical", "blocker"):
            problems.append(f"{what}: severity {i.get('severity')!r}")
        if i.get("fingerprint") in prints:
            problems.append(f"{what}: fingerprint {i['fingerprint']} twice")
        prints.add(i.get("fingerprint"))
        loc = i.get("location", {})
        p = loc.get("path", "")
        if not p or p.startswith("/") or "://" in p or ".." in p.split("/"):
            problems.append(f"{what}: location.path {p!r} is not a repository-relative path")
        if not isinstance(loc.get("lines", {}).get("begin"), int) or loc["lines"]["begin"] < 1:
            problems.append(f"{what}: location.lines.begin {loc.get('lines')!r}")
    return problems


def main():
    args = sys.argv[1:]
    only = None
    if args[:1] == ["--only"]:
        only, args = args[1], args[2:]
    if only not in (None, "sarif", "markdown", "junit", "gitlab") or len(args) != 1:
        print(__doc__)
        return 2
    folder = args[0]
    reports = sorted(glob.glob(os.path.join(folder, "*.json")))
    reports = [r for r in reports if not r.endswith(".gitlab.json")]
    if not reports:
        print(f"{folder}: no reports")
        return 1
    wanted = lambda kind: only in (None, kind)  # noqa: E731
    problems = []
    sarif, junit = [], []
    counts = {}
    for r in reports:
        base = r[: -len(".json")]
        if wanted("markdown") and os.path.exists(base + ".md"):
            problems += check_markdown(r, base + ".md", counts)
        if wanted("gitlab") and os.path.exists(base + ".gitlab.json"):
            problems += check_gitlab(base + ".gitlab.json", counts)
        if wanted("sarif") and os.path.exists(base + ".sarif"):
            sarif.append(base + ".sarif")
        if wanted("junit") and os.path.exists(base + ".xml"):
            junit.append(base + ".xml")
    # Nothing to check is a failure, not a pass.
    if wanted("markdown") and not counts.get("rows"):
        problems.append("no markdown table row to compare: nothing was checked")
    if wanted("gitlab") and not counts.get("issues"):
        problems.append("no GitLab issue to check: nothing was checked")
    if wanted("sarif") and not sarif:
        problems.append("no SARIF report to check")
    if wanted("junit") and not junit:
        problems.append("no JUnit report to check")
    if sarif:
        problems += check_sarif(sarif)
    if junit:
        problems += check_junit(junit)
    for p in problems:
        print(p)
    print(f"checked {len(reports)} reports ({only or 'every format'}): {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
