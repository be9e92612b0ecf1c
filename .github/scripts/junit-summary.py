"""Publishes JUnit XML on GitHub without a third-party action.

Usage: python3 junit-summary.py FILE_OR_FOLDER...  (folders are searched for junit.xml)

Writes a Markdown table of every test case to $GITHUB_STEP_SUMMARY (stdout when unset) and one
`::error` annotation per failure or error. Exits 1 when a file is not well-formed XML (a report
no reporter can read is a bug), 0 otherwise: the step that ran the tests decides the job's result.
Python's own XML parser (expat) reads the files: strict XML 1.0, nothing to install.
"""

import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def junit_files(args):
    for arg in args:
        path = Path(arg)
        yield from sorted(path.rglob("junit.xml")) if path.is_dir() else [path]


def cases_of(path):
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.iter("testsuite")
    for suite in suites:
        for case in suite.iter("testcase"):
            problem = next((c for c in case if c.tag in ("failure", "error")), None)
            yield {
                "suite": suite.get("name", ""),
                "name": case.get("name", ""),
                "classname": case.get("classname", ""),
                "time": float(case.get("time") or 0),
                "kind": problem.tag if problem is not None else "passed",
                "type": problem.get("type", "") if problem is not None else "",
                "message": problem.get("message", "") if problem is not None else "",
                "detail": (problem.text or "") if problem is not None else "",
            }


def cell(text):
    return text.replace("|", "\\|").replace("\n", " ")


def command_data(text):
    """A workflow command's data: %, CR and LF escaped, as the runner expects."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def command_property(text):
    return command_data(text).replace(":", "%3A").replace(",", "%2C")


ICON = {"passed": "✅ passed", "failure": "❌ failure", "error": "⚠️ error"}


def summary(cases, sources):
    counts = {kind: sum(c["kind"] == kind for c in cases) for kind in ICON}
    lines = [
        "### Chaos experiments",
        "",
        f"{len(cases)} test(s) from {len(sources)} junit.xml: "
        f"{counts['passed']} passed, {counts['failure']} failed, {counts['error']} error(s)",
        "",
        "| suite | test | class | time | result |",
        "|---|---|---|---:|---|",
    ]
    for c in cases:
        result = ICON[c["kind"]] + (f": {c['message']}" if c["message"] else "")
        row = [c["suite"], c["name"], c["classname"], f"{c['time']:.1f} s", result]
        lines.append("| " + " | ".join(cell(v) for v in row) + " |")
    for c in (c for c in cases if c["detail"]):
        lines += ["", f"<details><summary>{cell(c['classname'])} {cell(c['name'])}: {c['type']}</summary>", "", "```"]
        lines += [c["detail"].replace("```", "'''"), "```", "</details>"]
    return "\n".join(lines) + "\n"


def main(args):
    sources = list(junit_files(args))
    cases = []
    for path in sources:
        try:
            cases += list(cases_of(path))
        except ET.ParseError as error:
            print(f"::error file={command_property(str(path))}::not well-formed XML: {command_data(str(error))}")
            return 1
    if not sources:
        print("::warning::no junit.xml found: the runs wrote no report")
    for c in cases:
        if c["kind"] != "passed":
            title = command_property(f"{c['classname']} {c['name']}: {c['type']}")
            print(f"::error title={title}::{command_data(c['message'])}")
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(summary(cases, sources))
    else:
        sys.stdout.write(summary(cases, sources))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
