# SPDX-License-Identifier: MIT
"""Prompt resolution: the static and dynamic segments a prompt expression resolves to.

Each case is a small project whose `app.py` sends `system=<expression>` to Anthropic (the
system prompt is the expression's `PromptText`, untouched by message handling); the case
lists the segments expected, as (kind, text) with adjacent static runs merged, since how a
static run is split is not behaviour. Dynamic segments carry the expression as written.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from promptlint.config import Config
from promptlint.engine import analyze_paths
from promptlint.analysis.results import LLMCall, PromptText, SegmentKind

HEADER = """\
import datetime, inspect, os, random, secrets, sys, textwrap, time, uuid
from datetime import date, datetime as dt
from pathlib import Path
from anthropic import Anthropic

client = Anthropic()
NAME = "World"
BASE = "You are a helpful assistant. "


class Prompts:
    RULES = "Follow the rules."
"""

CALL = """
def ask(question: str, request) -> None:
{setup}
    client.messages.create(model="claude-haiku-4-5", max_tokens=100, messages=[], system={expression})
"""


def analyse(root: Path, files: dict[str, str]) -> list[LLMCall]:
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    analyses, errors, _ = analyze_paths([root], Config(root=root), jobs=1, use_cache=False)
    assert not errors, errors
    return sorted((c for a in analyses for c in a.calls), key=lambda c: (c.filename, c.span.start))


def system_of(
    root: Path, expression: str, setup: str = "", module: str = "", files: dict[str, str] | None = None
) -> PromptText:
    """The system prompt of the one call in a project built around `expression`; `files`
    are other files of the project (relative path -> text)."""
    body = textwrap.indent(textwrap.dedent(setup).strip("\n"), "    ") or "    pass"
    source = HEADER + textwrap.dedent(module) + CALL.format(setup=body, expression=expression)
    calls = analyse(root, {"app.py": source, **(files or {})})
    assert len(calls) == 1
    assert calls[0].system is not None
    return calls[0].system


def canonical(prompt: PromptText) -> list[tuple[str, str]]:
    """(kind, text) per segment, adjacent static segments merged."""
    merged: list[tuple[str, str]] = []
    for segment in prompt.segments:
        if merged and segment.kind is SegmentKind.STATIC and merged[-1][0] == "static":
            merged[-1] = ("static", merged[-1][1] + segment.text)
        else:
            merged.append((segment.kind.value, segment.text))
    return [entry for entry in merged if entry != ("static", "")]


S = "static"

STATIC_CASES: dict[str, tuple[str, str, str, str]] = {
    # name: (module-level code, setup in the function, expression, expected text)
    "literal": ("", "", '"You are terse."', "You are terse."),
    "implicit-concatenation": ("", "", '"You are " "terse, " \'and kind.\'', "You are terse, and kind."),
    "plus": ("", "", 'BASE + "Answer briefly."', "You are a helpful assistant. Answer briefly."),
    "times-int": ("", "", '"=" * 5 + 2 * "ab"', "=====abab"),
    "escapes": ("", "", '"line1\\nline2\\t"', "line1\nline2\t"),
    "raw-string": ("", "", 'r"C:\\\\path"', "C:\\\\path"),
    "fstring-constant": ("", "", 'f"Hello {NAME}! {{braces}}"', "Hello World! {braces}"),
    "fstring-number": ("", "", 'f"Use {3} bullets"', "Use 3 bullets"),
    "format-positional": ("", "", '"Hi {}, I am {}.".format(NAME, "Bot")', "Hi World, I am Bot."),
    "format-keyword": ("", "", '"Hi {who}!".format(who=NAME)', "Hi World!"),
    "percent-tuple": ("", "", '"Hi %s and %s" % (NAME, "you")', "Hi World and you"),
    "percent-dict": ("", "", '"Hi %(n)s, 100%%" % {"n": NAME}', "Hi World, 100%"),
    "percent-single": ("", "", '"Hi %s" % NAME', "Hi World"),
    "dedent": (
        "",
        "",
        'textwrap.dedent("""\n    Line one\n      Line two\n    """)',
        "\nLine one\n  Line two\n",
    ),
    "cleandoc": ("", "", 'inspect.cleandoc("""\n    Line one\n      Line two\n    """)', "Line one\n  Line two"),
    "strip": ("", "", '"  padded  ".strip()', "padded"),
    "join": ("", "", '"\\n".join([BASE, Prompts.RULES])', "You are a helpful assistant. \nFollow the rules."),
    "module-constant-chain": ("ALIAS = BASE\nFULL = ALIAS + Prompts.RULES\n", "", "FULL", "You are a helpful assistant. Follow the rules."),
    "class-constant": ("", "", "Prompts.RULES", "Follow the rules."),
    "annotated-constant": ('TYPED: str = "Typed."\n', "", "TYPED", "Typed."),
    "local-variable": ("", 'prompt = BASE\nprompt += "More."', "prompt", "You are a helpful assistant. More."),
    "str-call": ("", "", 'str("plain")', "plain"),
    "helper-function": (
        'def make_prompt(topic, style="short"):\n    return f"Write a {style} text about {topic}."\n',
        "",
        'make_prompt("cats")',
        "Write a short text about cats.",
    ),
    "helper-keyword-arguments": (
        'def make_prompt(topic, style="short"):\n    return f"Write a {style} text about {topic}."\n',
        "",
        'make_prompt(style="long", topic=NAME)',
        "Write a long text about World.",
    ),
    "helper-default-number": (
        'def make_prompt(n=3):\n    return "Give {} tips.".format(n)\n',
        "",
        "make_prompt()",
        "Give 3 tips.",
    ),
    "helper-nested": (
        'def inner(x):\n    return "<" + x + ">"\ndef outer(y):\n    return inner(y) * 2\n',
        "",
        'outer("a")',
        "<a><a>",
    ),
}


@pytest.mark.parametrize("case", STATIC_CASES)
def test_static_prompt(tmp_path: Path, case: str) -> None:
    module, setup, expression, expected = STATIC_CASES[case]
    prompt = system_of(tmp_path, expression, setup, module)
    assert prompt.is_static, canonical(prompt)
    assert prompt.static_text == expected


def test_method_reads_class_constant_through_self(tmp_path: Path) -> None:
    source = HEADER + textwrap.dedent(
        """
        class Bot:
            PERSONA = "You are Bot. "

            def __init__(self) -> None:
                self.rules = "Be kind."

            def reply(self, text):
                return client.messages.create(
                    model="claude-haiku-4-5", max_tokens=10, messages=[], system=self.PERSONA + self.rules
                )
        """
    )
    calls = analyse(tmp_path, {"app.py": source})
    assert calls[0].system is not None
    assert canonical(calls[0].system) == [(S, "You are Bot. Be kind.")]


# --------------------------------------------------------------------------- imported


IMPORTED_CASES: dict[str, tuple[dict[str, str], str, str]] = {
    "from-import": ({"prompts.py": 'SYSTEM = "From another module."\n'}, "from prompts import SYSTEM", "SYSTEM"),
    "module-import": ({"prompts.py": 'SYSTEM = "From another module."\n'}, "import prompts", "prompts.SYSTEM"),
    "alias": ({"prompts.py": 'SYSTEM = "From another module."\n'}, "from prompts import SYSTEM as S", "S"),
    "class-constant": (
        {"prompts.py": 'class Templates:\n    SYSTEM = "From another module."\n'},
        "from prompts import Templates",
        "Templates.SYSTEM",
    ),
    "package-reexport": (
        {
            "lib/__init__.py": "from lib.text import SYSTEM\n",
            "lib/text.py": 'PART = "From another "\nSYSTEM = PART + "module."\n',
        },
        "from lib import SYSTEM",
        "SYSTEM",
    ),
    "helper-function": (
        {"prompts.py": 'def system_prompt(kind):\n    return f"From another {kind}."\n'},
        "from prompts import system_prompt",
        'system_prompt("module")',
    ),
    "helper-reads-its-own-constants": (
        {"prompts.py": 'WHAT = "module"\ndef system_prompt():\n    return "From another " + WHAT + "."\n'},
        "import prompts",
        "prompts.system_prompt()",
    ),
}


@pytest.mark.parametrize("case", IMPORTED_CASES)
def test_prompt_imported_from_another_module(tmp_path: Path, case: str) -> None:
    files, import_line, expression = IMPORTED_CASES[case]
    prompt = system_of(tmp_path, expression, module=import_line + "\n", files=files)
    assert canonical(prompt) == [(S, "From another module.")]


def test_imported_constant_keeps_its_own_file_and_span(tmp_path: Path) -> None:
    prompt = system_of(tmp_path, "SYSTEM", module="from prompts import SYSTEM\n", files={"prompts.py": '\n\nSYSTEM = "Defined here."\n'})
    (segment,) = prompt.segments
    assert Path(segment.filename or "").name == "prompts.py"
    assert segment.span is not None
    assert (segment.span.start.row, segment.span.start.column) == (3, 10)
    assert (segment.span.end.row, segment.span.end.column) == (3, 25)
    assert segment.literal is not None and segment.literal.body == "Defined here."


# --------------------------------------------------------------------------- files

FILE_CASES: dict[str, tuple[str, str, str]] = {
    # name: (module-level code, setup, expression)
    "open-read": ("", "", 'open("prompts/system.txt").read()'),
    "open-read-encoding": ("", "", 'open("prompts/system.txt", encoding="utf-8").read()'),
    "path-read-text": ("", "", 'Path("prompts/system.txt").read_text()'),
    "dunder-file-parent": ("", "", '(Path(__file__).parent / "prompts" / "system.txt").read_text(encoding="utf-8")'),
    "path-constant": ('PROMPT_FILE = Path(__file__).resolve().parent / "prompts/system.txt"\n', "", "PROMPT_FILE.read_text()"),
    "os-path-join": ('PROMPT_FILE = os.path.join(os.path.dirname(__file__), "prompts", "system.txt")\n', "", "open(PROMPT_FILE).read()"),
    "with-open": ("", 'with open("prompts/system.txt") as handle:\n    text = handle.read()', "text"),
    "helper-with-open": (
        'def load(name):\n    with open(Path(__file__).parent / "prompts" / name, encoding="utf-8") as f:\n        return f.read()\n',
        "",
        'load("system.txt")',
    ),
    "module-level-read": ('SYSTEM = Path("prompts/system.txt").read_text()\n', "", "SYSTEM"),
}


@pytest.mark.parametrize("case", FILE_CASES)
def test_prompt_from_text_file(tmp_path: Path, case: str) -> None:
    module, setup, expression = FILE_CASES[case]
    text = "You are a support agent.\nAnswer in English.\n"
    prompt = system_of(tmp_path, expression, setup, module, files={"prompts/system.txt": text})
    assert canonical(prompt) == [(S, text)]


@pytest.mark.parametrize(
    "expression",
    [
        'open("prompts/missing.txt").read()',  # no such file
        'open("/etc/hostname").read()',  # outside the project
        "open(question).read()",  # not a literal path
    ],
)
def test_unreadable_prompt_file_is_dynamic(tmp_path: Path, expression: str) -> None:
    prompt = system_of(tmp_path, expression)
    assert not prompt.is_static
    assert [s.text for s in prompt.dynamic_segments] == [expression]


def test_prompt_file_is_a_dependency_of_the_calling_file(tmp_path: Path) -> None:
    system_of(tmp_path, 'open("prompts/system.txt").read()', files={"prompts/system.txt": "x"})
    analyses, _, _ = analyze_paths([tmp_path], Config(root=tmp_path), jobs=1, use_cache=False)
    (analysis,) = [a for a in analyses if a.calls]
    assert str((tmp_path / "prompts" / "system.txt").resolve()) in {path for path, _ in analysis.dependencies}


# --------------------------------------------------------------------------- dynamic kinds

DYNAMIC_CASES: dict[str, tuple[str, str, list[tuple[str, str]]]] = {
    # name: (setup, expression, expected canonical segments)
    "argument-fstring": ("", 'f"Q: {question}"', [(S, "Q: "), ("external", "{question}")]),
    "argument-plus": ("", 'BASE + question + "!"', [(S, "You are a helpful assistant. "), ("external", "question"), (S, "!")]),
    "argument-through-local": ("q = question.strip()", 'f"Q: {q}"', [(S, "Q: "), ("external", "{q}")]),
    "augmented-assignment": ('prompt = "Q: "\nprompt += question\nprompt += "?"', "prompt", [(S, "Q: "), ("external", "question"), (S, "?")]),
    "augmented-parameter": ('question += "?"', "question", [("external", "question"), (S, "?")]),
    "request-parameter": ("", 'f"User: {request.json[\'msg\']}"', [(S, "User: "), ("external", "{request.json['msg']}")]),
    "datetime-now": ("", 'f"Now: {datetime.datetime.now()}"', [(S, "Now: "), ("time", "{datetime.datetime.now()}")]),
    "datetime-utcnow-alias": ("", 'f"Now: {dt.utcnow():%H:%M}"', [(S, "Now: "), ("time", "{dt.utcnow():%H:%M}")]),
    "datetime-today": ("", '"Day: " + str(dt.today())', [(S, "Day: "), ("time", "str(dt.today())")]),
    "date-today-format": ("", '"Today is {}.".format(date.today())', [(S, "Today is "), ("time", "date.today()"), (S, ".")]),
    "time-time-local": ("stamp = time.time()", 'f"t={stamp}"', [(S, "t="), ("time", "{stamp}")]),
    "uuid": ("", '"Session %s" % uuid.uuid4()', [(S, "Session "), ("random", "uuid.uuid4()")]),
    "random": ("", 'f"Pick {random.choice([1, 2])}"', [(S, "Pick "), ("random", "{random.choice([1, 2])}")]),
    "secrets": ("", 'f"Nonce {secrets.token_hex(8)}"', [(S, "Nonce "), ("random", "{secrets.token_hex(8)}")]),
    "unknown-call": ("", 'f"Data: {fetch_data()}"', [(S, "Data: "), ("unknown", "{fetch_data()}")]),
    "unknown-environment": ("", 'os.environ["PROMPT"]', [("unknown", 'os.environ["PROMPT"]')]),
    "time-wins-over-argument": (
        "",
        'f"{question} at {datetime.datetime.now()}"',
        [("external", "{question}"), (S, " at "), ("time", "{datetime.datetime.now()}")],
    ),
    "dedent-around-argument": (
        "",
        'textwrap.dedent(f"""\n        Answer:\n        {question}\n        """)',
        [(S, "\nAnswer:\n"), ("external", "{question}"), (S, "\n")],
    ),
}


@pytest.mark.parametrize("case", DYNAMIC_CASES)
def test_dynamic_prompt(tmp_path: Path, case: str) -> None:
    setup, expression, expected = DYNAMIC_CASES[case]
    assert canonical(system_of(tmp_path, expression, setup)) == expected


@pytest.mark.parametrize(
    ("imports", "expression", "kind"),
    [
        ("from flask import request", 'request.json["message"]', "external"),
        ("from flask import request", 'request.form.get("q")', "external"),
        ("import sys", "sys.argv[1]", "external"),
        ("", 'input("> ")', "external"),
        ("from django.utils import timezone", "str(timezone.now())", "time"),
        ("import uuid as u", "str(u.uuid4())", "random"),
    ],
)
def test_dynamic_kind_of_module_level_sources(tmp_path: Path, imports: str, expression: str, kind: str) -> None:
    prompt = system_of(tmp_path, f'"Input: " + {expression}', module=imports + "\n")
    assert canonical(prompt) == [(S, "Input: "), (kind, expression)]


def test_helper_returning_time_makes_the_call_time_dependent(tmp_path: Path) -> None:
    module = "def stamp():\n    return dt.now().isoformat()\n"
    prompt = system_of(tmp_path, 'f"Stamp: {stamp()}"', module=module)
    assert canonical(prompt) == [(S, "Stamp: "), ("time", "{stamp()}")]


def test_helper_with_argument_bound_to_parameter(tmp_path: Path) -> None:
    module = 'def make_prompt(topic):\n    return f"About {topic}."\n'
    prompt = system_of(tmp_path, "make_prompt(question)", module=module)
    assert canonical(prompt) == [(S, "About "), ("external", "{topic}"), (S, ".")]


# --------------------------------------------------------------------------- message lists


def messages_of(root: Path, setup: str, messages: str) -> LLMCall:
    source = HEADER + textwrap.dedent(
        """
        from openai import OpenAI
        oai = OpenAI()
        HISTORY = [
            {"role": "system", "content": "You are a helper."},
            {"role": "user", "content": "Hi"},
            {"role": "assistant", "content": "Hello!"},
        ]

        def chat(question):
        """
    ) + textwrap.indent(textwrap.dedent(setup).strip("\n"), "    ") + f"\n    oai.chat.completions.create(model=\"gpt-4o\", messages={messages})\n"
    calls = analyse(root, {"app.py": source})
    assert len(calls) == 1
    return calls[0]


def roles_and_texts(call: LLMCall) -> list[tuple[str | None, list[tuple[str, str]]]]:
    return [(m.role, canonical(m.content) if m.content else []) for m in call.messages]


def test_message_list_built_with_spread_and_append(tmp_path: Path) -> None:
    call = messages_of(
        tmp_path,
        """
        messages = [*HISTORY]
        messages.append({"role": "user", "content": question})
        """,
        "messages",
    )
    assert call.messages_resolved
    assert roles_and_texts(call) == [
        ("system", [(S, "You are a helper.")]),
        ("user", [(S, "Hi")]),
        ("assistant", [(S, "Hello!")]),
        ("user", [("external", "question")]),
    ]
    assert call.system is not None and call.system.static_text == "You are a helper."


def test_message_list_inline_spread_plus_and_extend(tmp_path: Path) -> None:
    call = messages_of(
        tmp_path,
        """
        extra = [{"role": "user", "content": f"Q: {question}"}]
        messages = [{"role": "user", "content": "overwritten below"}]
        messages = [*HISTORY] + extra
        messages.extend([{"role": "assistant", "content": "ok"}])
        """,
        "messages",
    )
    assert roles_and_texts(call) == [
        ("system", [(S, "You are a helper.")]),
        ("user", [(S, "Hi")]),
        ("assistant", [(S, "Hello!")]),
        ("user", [(S, "Q: "), ("external", "{question}")]),
        ("assistant", [(S, "ok")]),
    ]


def test_message_list_grown_with_augmented_assignment(tmp_path: Path) -> None:
    call = messages_of(
        tmp_path,
        """
        messages = []
        messages += HISTORY
        messages += [{"role": "user", "content": question}]
        """,
        "messages",
    )
    assert call.messages_resolved
    assert [m.role for m in call.messages] == ["system", "user", "assistant", "user"]
    assert roles_and_texts(call)[-1] == ("user", [("external", "question")])


def test_message_content_blocks_and_cache_markers(tmp_path: Path) -> None:
    call = messages_of(
        tmp_path,
        "",
        '[{"role": "system", "content": [{"type": "text", "text": BASE, "cache_control": {"type": "ephemeral"}}]}, '
        '{"role": "user", "content": question}]',
    )
    assert roles_and_texts(call) == [("system", [(S, "You are a helpful assistant. ")]), ("user", [("external", "question")])]
    assert call.messages[0].cache_marked and not call.messages[1].cache_marked


def test_message_list_of_unknown_origin_is_marked_unresolved(tmp_path: Path) -> None:
    call = messages_of(tmp_path, "messages = load_history()", "messages")
    assert not call.messages_resolved


# --------------------------------------------------------------------------- spans


def test_segment_spans_point_at_the_source(tmp_path: Path) -> None:
    prompt = system_of(tmp_path, 'f"Hi {question}!"')
    source = (tmp_path / "app.py").read_text().splitlines()
    row = next(i for i, line in enumerate(source, 1) if 'f"Hi {question}!"' in line)
    column = source[row - 1].index('f"Hi') + 1
    static, dynamic, tail = prompt.segments
    assert dynamic.kind is SegmentKind.EXTERNAL
    assert static.span is not None and dynamic.span is not None and tail.span is not None
    # `Hi ` starts after `f"`; `{question}` right after it, ten characters long.
    assert (static.span.start.row, static.span.start.column) == (row, column + 2)
    assert (dynamic.span.start.row, dynamic.span.start.column) == (row, column + 5)
    assert (dynamic.span.end.row, dynamic.span.end.column) == (row, column + 15)
    assert (tail.span.start.row, tail.span.start.column) == (row, column + 15)
    assert all(Path(s.filename or "").name == "app.py" for s in prompt.segments)


def test_literal_span_and_source_form(tmp_path: Path) -> None:
    prompt = system_of(tmp_path, "BASE")
    (segment,) = prompt.segments
    assert segment.span is not None and segment.literal is not None
    row = HEADER.splitlines().index('BASE = "You are a helpful assistant. "') + 1
    assert (segment.span.start.row, segment.span.start.column) == (row, 8)
    assert segment.literal.quote == '"' and segment.literal.prefix == ""
    assert segment.literal.body == "You are a helpful assistant. "


def test_multiline_segment_spans_rows(tmp_path: Path) -> None:
    prompt = system_of(tmp_path, "LONG", module='LONG = """first\nsecond\nthird"""\n')
    (segment,) = prompt.segments
    assert segment.span is not None
    assert segment.span.end.row - segment.span.start.row == 2
    assert segment.span.end.column == len('third"""') + 1
