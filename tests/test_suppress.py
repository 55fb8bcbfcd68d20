# SPDX-License-Identifier: MIT
from __future__ import annotations

import textwrap

import pytest

from promptlint.suppress import add_ignore_comments, parse_suppressions


def src(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


# --------------------------------------------------------------------------- reading


def test_codes_on_a_line() -> None:
    s = parse_suppressions(
        src("""
        a = 1
        r = call()  # promptlint: ignore[PRM201, PRM202]
    """)
    )
    assert s.is_suppressed("PRM201", [2])
    assert s.is_suppressed("PRM202", [2])
    assert not s.is_suppressed("PRM301", [2])
    assert not s.is_suppressed("PRM201", [1])
    assert not s.file_ignored


def test_bare_ignore_silences_every_code_on_its_line() -> None:
    s = parse_suppressions("r = call()  #promptlint:ignore\nq = 2\n")
    assert s.is_suppressed("PRM999", [1])
    assert not s.is_suppressed("PRM999", [2])


def test_any_of_the_given_lines_counts() -> None:
    s = parse_suppressions(
        src("""
        r = client.messages.create(  # promptlint: ignore[PRM201]
            model="claude",
        )
    """)
    )
    assert s.is_suppressed("PRM201", [2, 1])
    assert not s.is_suppressed("PRM201", [2, 3])


def test_directive_after_another_comment() -> None:
    s = parse_suppressions("x = f()  # noqa: E501  # promptlint: ignore[PRM101]\n")
    assert s.is_suppressed("PRM101", [1])


def test_text_in_strings_is_not_a_directive() -> None:
    s = parse_suppressions(
        src('''
        a = "# promptlint: ignore"
        b = """
        # promptlint: ignore-file
        """
    ''')
    )
    assert not s.is_suppressed("PRM201", [1])
    assert not s.file_ignored


@pytest.mark.parametrize("comment", ["# promptlint: ignored", "# promptlint ignore", "# prompt-lint: ignore"])
def test_near_misses_are_not_directives(comment: str) -> None:
    assert not parse_suppressions(f"x = 1  {comment}\n").is_suppressed("PRM201", [1])


def test_ignore_file_in_the_leading_comment_block() -> None:
    s = parse_suppressions(
        src("""
        #!/usr/bin/env python
        # Copyright ...

        # promptlint: ignore-file
        import openai
    """)
    )
    assert s.file_ignored
    assert s.is_suppressed("PRM201", [99])


def test_ignore_file_after_the_module_docstring_counts() -> None:
    s = parse_suppressions(
        src('''
        #!/usr/bin/env python
        """Module docstring,
        on two lines."""

        # promptlint: ignore-file
        import openai
    ''')
    )
    assert s.file_ignored and not s.warnings


def test_ignore_file_after_code_does_not_count_and_says_so() -> None:
    for code in ("import openai\n", '"""Doc.""" + suffix\n', '"""Doc."""\n"""Second string."""\n'):
        s = parse_suppressions(code + "# promptlint: ignore-file\nx = 1\n")
        assert not s.file_ignored, code
        assert not s.is_suppressed("PRM201", [3])
        (warning,) = s.warnings
        assert warning.line == code.count("\n") + 1
        assert "after the first statement" in warning.message


def test_noqa_with_prm_codes_is_honoured() -> None:
    s = parse_suppressions("a = f()  # noqa: PRM402\nb = f()  # NOQA:E501,PRM101 PRM201\nc = f()  # noqa\n")
    assert s.is_suppressed("PRM402", [1]) and not s.is_suppressed("PRM401", [1])
    assert s.is_suppressed("PRM101", [2]) and s.is_suppressed("PRM201", [2])
    # A bare `# noqa` is usually for another linter: it silences nothing of ours.
    assert not s.is_suppressed("PRM402", [3])


def test_unclosed_bracket_is_malformed_and_silences_nothing() -> None:
    s = parse_suppressions("a = f()  # promptlint: ignore[PRM402\nb = 1  # promptlint: ignore-file[PRM1\n")
    for code in ("PRM402", "PRM101", "PRM999"):
        assert not s.is_suppressed(code, [1, 2])
    assert not s.file_ignored and not s.file_codes
    assert [w.line for w in s.warnings] == [1, 2]
    assert all("no closing `]`" in w.message for w in s.warnings)


def test_unknown_codes_are_warned_about_when_the_known_codes_are_given() -> None:
    source = "a = f()  # promptlint: ignore[PRM402, PRM4O2]\nb = f()  # noqa: PRM999, E501\n"
    assert not parse_suppressions(source).warnings  # without the registry, nothing to compare
    s = parse_suppressions(source, known_codes={"PRM402"})
    assert [(w.line, w.message.split(" in ")[0]) for w in s.warnings] == [
        (1, "unknown rule code PRM4O2"),
        (2, "unknown rule code PRM999"),
    ]
    assert s.is_suppressed("PRM402", [1])  # the known code still counts


def test_ignore_file_with_codes() -> None:
    s = parse_suppressions("# promptlint: ignore-file[PRM101]\nimport openai\n")
    assert not s.file_ignored
    assert s.is_suppressed("PRM101", [2])
    assert not s.is_suppressed("PRM201", [2])


def test_comment_after_a_multiline_string_covers_its_lines() -> None:
    s = parse_suppressions(
        src('''
        r = client.messages.create(system="""You are
        a helpful assistant.
        """)  # promptlint: ignore[PRM201]
        x = 1
    ''')
    )
    assert s.is_suppressed("PRM201", [1])
    assert s.is_suppressed("PRM201", [2])
    assert not s.is_suppressed("PRM201", [4])


def test_comment_after_backslash_continuation_covers_its_lines() -> None:
    s = parse_suppressions("r = client.messages.create \\\n    (model='x')  # promptlint: ignore\n")
    assert s.is_suppressed("PRM201", [1])


def test_untokenizable_source_does_not_raise() -> None:
    source = 'x = f()  # promptlint: ignore[PRM201]\ny = """never closed\nz = 1  # promptlint: ignore\n'
    s = parse_suppressions(source)
    assert s.is_suppressed("PRM201", [1])
    assert not s.is_suppressed("PRM301", [1])


def test_bad_indentation_does_not_raise() -> None:
    s = parse_suppressions("if x:\n        a = 1\n    b = 2  # promptlint: ignore\n")
    assert not s.is_suppressed("PRM201", [1])


# --------------------------------------------------------------------------- writing


def test_adds_comments_and_they_suppress() -> None:
    source = src("""
        import openai
        r = client.create(model="gpt-4")
        s = client.create(model="gpt-4")
    """)
    result = add_ignore_comments(source, {2: {"PRM402", "PRM201"}, 3: {"PRM401"}})
    assert result.splitlines()[1] == 'r = client.create(model="gpt-4")  # promptlint: ignore[PRM201, PRM402]'
    assert result.splitlines()[2] == 's = client.create(model="gpt-4")  # promptlint: ignore[PRM401]'
    compile(result, "app.py", "exec")
    s = parse_suppressions(result)
    assert s.is_suppressed("PRM201", [2]) and s.is_suppressed("PRM402", [2]) and s.is_suppressed("PRM401", [3])
    assert not s.is_suppressed("PRM401", [2])


def test_merges_with_an_existing_directive() -> None:
    result = add_ignore_comments("x = f()  # promptlint: ignore[PRM201]  # why\n", {1: {"PRM101"}})
    assert result == "x = f()  # promptlint: ignore[PRM101, PRM201]  # why\n"


def test_bare_directive_is_left_alone() -> None:
    source = "x = f()  # promptlint: ignore\n"
    assert add_ignore_comments(source, {1: {"PRM101"}}) == source


def test_keeps_another_comment() -> None:
    result = add_ignore_comments("x = f()   # type: ignore\n", {1: {"PRM101"}})
    assert result == "x = f()   # type: ignore  # promptlint: ignore[PRM101]\n"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_keeps_line_endings(newline: str) -> None:
    source = newline.join(["a = 1", "b = f()", "c = 3", ""])
    result = add_ignore_comments(source, {2: {"PRM101"}})
    assert result == newline.join(["a = 1", "b = f()  # promptlint: ignore[PRM101]", "c = 3", ""])


def test_last_line_without_newline() -> None:
    assert add_ignore_comments("a = f()", {1: {"PRM1"}}) == "a = f()  # promptlint: ignore[PRM1]"


def test_line_inside_multiline_string_moves_to_where_it_ends() -> None:
    source = src('''
        r = client.messages.create(model="claude", system="""You are
        # not a comment
        helpful.""", messages=m)
    ''')
    result = add_ignore_comments(source, {1: {"PRM201"}})
    assert result.splitlines()[2] == 'helpful.""", messages=m)  # promptlint: ignore[PRM201]'
    assert result.splitlines()[1] == "# not a comment"
    compile(result, "app.py", "exec")
    assert parse_suppressions(result).is_suppressed("PRM201", [1])


def test_backslash_continuation_moves_to_the_last_line() -> None:
    source = "r = client.create \\\n    (model='x')\n"
    result = add_ignore_comments(source, {1: {"PRM201"}})
    assert result == "r = client.create \\\n    (model='x')  # promptlint: ignore[PRM201]\n"
    compile(result, "app.py", "exec")
    assert parse_suppressions(result).is_suppressed("PRM201", [1])


def test_lines_after_a_tokenize_error_are_left_alone() -> None:
    source = 'a = f()\nb = """never closed\nc = 3\n'
    result = add_ignore_comments(source, {1: {"PRM201"}, 2: {"PRM202"}, 3: {"PRM203"}})
    assert result == 'a = f()  # promptlint: ignore[PRM201]\nb = """never closed\nc = 3\n'


def test_lines_out_of_range_are_skipped() -> None:
    assert add_ignore_comments("a = 1\n", {5: {"PRM201"}, 0: {"PRM201"}}) == "a = 1\n"


def test_form_feed_does_not_split_lines() -> None:
    source = "a = 1\n\x0cb = f()\n"
    assert add_ignore_comments(source, {2: {"PRM1"}}) == "a = 1\n\x0cb = f()  # promptlint: ignore[PRM1]\n"


def test_source_without_directive_text_is_not_tokenized(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tokenizing is pure Python; a module that names no directive must skip it.
    import promptlint.suppress as suppress

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("tokenized a source without directives")

    monkeypatch.setattr(suppress.tokenize, "generate_tokens", fail)
    for source in ("r = call()  # a comment\n", "r = call()  # noqa: E501 (another linter's)\n", "# PRM101 is a code\n"):
        assert parse_suppressions(source) == suppress.Suppressions()
