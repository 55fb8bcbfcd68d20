# SPDX-License-Identifier: MIT
"""JUnit XML, for CI systems that only show test reports: one test suite per file, one
failing test case per finding (and an erroring one per file that could not be checked).
A clean run is one passing suite, so the report never looks like "no tests ran".
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from promptlint.output.common import printable_path, relative_path, report_root

if TYPE_CHECKING:
    from promptlint.output import RenderInput

# Characters XML 1.0 cannot carry at all, escaped or not (ElementTree writes them as-is,
# which would make the whole report unparseable).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _suite(parent: ET.Element, name: str, cases: list[ET.Element]) -> None:
    suite = ET.SubElement(parent, "testsuite", name=_clean(name), tests=str(len(cases)))
    suite.set("failures", str(sum(case.find("failure") is not None for case in cases)))
    suite.set("errors", str(sum(case.find("error") is not None for case in cases)))
    suite.extend(cases)


def render(data: RenderInput, *, color: bool) -> str:
    root_dir = report_root(data.root)
    cases: dict[str, list[ET.Element]] = {}
    for diagnostic in data.diagnostics:
        path = printable_path(relative_path(diagnostic.filename, root_dir))
        start = diagnostic.span.start
        case = ET.Element(
            "testcase",
            name=_clean(f"{diagnostic.code} {diagnostic.name} at {start.row}:{start.column}"),
            classname=_clean(path),
            file=_clean(path),
            line=str(start.row),
        )
        failure = ET.SubElement(
            case, "failure", message=_clean(diagnostic.message), type=diagnostic.code
        )
        failure.text = _clean(f"{path}:{start.row}:{start.column}: {diagnostic.message}")
        cases.setdefault(path, []).append(case)
    for error in data.errors:
        path = printable_path(relative_path(error.filename, root_dir))
        case = ET.Element("testcase", name="check file", classname=_clean(path), file=_clean(path))
        if error.line:
            case.set("line", str(error.line))
        failed = ET.SubElement(case, "error", message=_clean(error.reason), type="FileError")
        where = f"{path}:{error.line}" if error.line else path
        if error.line and error.column:
            where += f":{error.column}"
        failed.text = _clean(f"{where}: {error.reason}")
        cases.setdefault(path, []).append(case)

    report = ET.Element("testsuites", name="promptlint")
    if cases:
        for path in sorted(cases):
            _suite(report, path, cases[path])
    else:
        passed = ET.Element("testcase", name="no problems found", classname="promptlint")
        _suite(report, "promptlint", [passed])
    report.set("tests", str(sum(len(c) for c in cases.values()) or 1))
    report.set("failures", str(len(data.diagnostics)))
    report.set("errors", str(len(data.errors)))
    ET.indent(report)
    xml = ET.tostring(report, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{xml}\n'
