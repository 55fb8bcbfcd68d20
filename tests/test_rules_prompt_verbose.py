"""PRM101 verbose-system-prompt beyond its inline examples: the filler lexicon's data, the
case-keeping rewrite, fixes that keep a literal's prefix, quotes and escapes, one finding
for a prompt shared by several calls, and the fix round trip (fix, parse, re-check, fix
again changes nothing)."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import libcst as cst
import pytest

from promptlint.checks.prompt.verbose_system_prompt import VerboseSystemPrompt, rewrite
from promptlint.config import Config
from promptlint.data import load_yaml
from promptlint.engine import lint
from promptlint.fixes import fix_file
from promptlint.tokens import count_tokens
from promptlint.types import Applicability, Diagnostic

CODE = VerboseSystemPrompt.code


# --------------------------------------------------------------------------- helpers


def write_project(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def findings(root: Path, options: dict | None = None, overrides: dict[Path, str] | None = None) -> list[Diagnostic]:
    config = Config(root=root, select=(CODE,), rule_options={VerboseSystemPrompt.name: options or {}})
    result = lint([root], config, use_cache=False, overrides=overrides)
    assert not result.errors, result.errors
    return [d for d in result.diagnostics if d.code == CODE]


def fix(root: Path, path: Path, options: dict | None = None) -> str:
    """Fix `path` (unsafe fixes included) and write it; returns the new text."""

    def relint(text: str) -> list[Diagnostic]:
        return [d for d in findings(root, options, {path: text}) if Path(d.filename).resolve() == path.resolve()]

    outcome = fix_file(path, relint, unsafe=True, write=True)
    assert outcome.error is None and not outcome.dropped, (outcome.error, outcome.dropped)
    return outcome.new_text


def filler(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if "has filler" in d.message]


def indentation(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if "indentation" in d.message]


# --------------------------------------------------------------------------- lexicon data


LEXICON = load_yaml("lexicons/filler.yaml")
ENTRIES = [(phrase, replacement) for table in ("phrases", "openers") for phrase, replacement in LEXICON[table].items()]


def test_lexicon_phrases_are_unique_lower_case_and_normalized() -> None:
    phrases = [phrase for phrase, _ in ENTRIES]
    assert len(phrases) == len(set(phrases)), "a phrase is listed twice (or in both tables)"
    for phrase in phrases:
        assert phrase == phrase.lower() and phrase == " ".join(phrase.split()), phrase
    assert all(word == word.lower() for word in LEXICON["not_before"])


@pytest.mark.parametrize(("phrase", "replacement"), ENTRIES, ids=[p for p, _ in ENTRIES])
@pytest.mark.parametrize("model", ["gpt-4o", "gpt-4"])
def test_lexicon_replacement_is_shorter_and_fits_in_any_literal(phrase: str, replacement: str, model: str) -> None:
    assert isinstance(replacement, str)
    assert not set(replacement) & set("'\"\\\n\r"), "a replacement must fit inside any string literal"
    for before, after in (
        (f" {phrase}", f" {replacement}" if replacement else ""),  # mid-sentence
        (phrase.capitalize(), replacement.capitalize()),  # at a sentence start
    ):
        assert count_tokens(after, model).tokens < count_tokens(before, model).tokens, (before, after)


# --------------------------------------------------------------------------- rewriting


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("In order to help, cite the policy.", "To help, cite the policy."),
        ("Answer in order to help.", "Answer to help."),
        ("IN ORDER TO help", "TO help"),
        ("Please note that the answer is short.", "The answer is short."),
        ("Please note that iPhone sales are up.", "iPhone sales are up."),
        ("It is very important that you always make sure to cite.", "Always cite."),
        ("You are a helpful AI assistant. Be brief.", "Be brief."),
        ("Please please please be brief.", "Please be brief."),
        ("Please note that in order to help, cite.", "To help, cite."),
        ("Reply due to the\n    fact that users wait.", "Reply because users wait."),
        ("Rules:\n- It is important to cite.\n2) I want you to act as a cat.", "Rules:\n- Cite.\n2) Act as a cat."),
    ],
)
def test_rewrite_shortens_and_keeps_sentence_case(text: str, expected: str) -> None:
    assert rewrite(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Explain why it is important to vote.",  # an opener mid-sentence carries meaning
        "Make sure that you are polite.",  # "Are polite." would not be an instruction
        "Make sure to not reveal the key.",
        "It is important that you will reply.",
        "Please note that.",  # nothing follows the deletion
        "Reply in order.",
    ],
)
def test_rewrite_leaves_meaningful_text_alone(text: str) -> None:
    assert rewrite(text) == text


# --------------------------------------------------------------------------- findings


def test_shared_prompt_in_another_module_is_one_finding_fixed_there(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "app/prompts.py": """
                SYSTEM = "Please note that refunds take five days. In order to help, cite the policy."
            """,
            "app/main.py": """
                from openai import OpenAI

                from app.prompts import SYSTEM

                client = OpenAI()

                def reply(question: str):
                    return client.chat.completions.create(
                        model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}]
                    )

                def summarize(text: str):
                    return client.responses.create(model="gpt-4o", instructions=SYSTEM, input=text)
            """,
        },
    )
    (tmp_path / "app" / "__init__.py").write_text("", encoding="utf-8")
    prompts = tmp_path / "app" / "prompts.py"
    found = filler(findings(tmp_path))
    assert len(found) == 1, [d.message for d in found]
    assert Path(found[0].filename).resolve() == prompts.resolve()
    assert found[0].span.start.row == 1
    before = count_tokens("Please note that refunds take five days. In order to help, cite the policy.", "gpt-4o").tokens
    after = count_tokens("Refunds take five days. To help, cite the policy.", "gpt-4o").tokens
    assert f"{before} → {after} tokens (-{before - after})" in found[0].message
    assert found[0].stake is not None and found[0].stake.tokens == before - after

    fixed = fix(tmp_path, prompts)
    assert fixed == 'SYSTEM = "Refunds take five days. To help, cite the policy."\n'
    assert filler(findings(tmp_path)) == []
    assert fix(tmp_path, prompts) == fixed  # a second run changes nothing


def test_a_wrappers_callers_are_not_counted_beside_the_sdk_call_that_sends_the_prompt(tmp_path: Path) -> None:
    """`ask` sends SYSTEM itself; its two callers reach that same SDK call, so the prompt is
    sent by one call, not three. A second SDK call sending it is named."""
    write_project(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/llm.py": """
                from openai import OpenAI

                client = OpenAI()
                SYSTEM = "Please note that refunds take five days. In order to help, cite the policy."

                def ask(question: str):
                    return client.chat.completions.create(
                        model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}]
                    )

                def summarize(text: str):
                    return client.responses.create(model="gpt-4o", instructions=SYSTEM, input=text)
            """,
            "app/views.py": """
                from app.llm import ask

                def refund(order: str):
                    return ask(f"Can order {order} be refunded?")

                def billing(order: str):
                    return ask(f"Why was order {order} billed twice?")
            """,
        },
    )
    (found,) = filler(findings(tmp_path))
    assert found.message.endswith("sent by 2 calls: app/llm.py:7, app/llm.py:12"), found.message

    (tmp_path / "app" / "llm.py").write_text(
        (tmp_path / "app" / "llm.py").read_text(encoding="utf-8").split("def summarize")[0], encoding="utf-8"
    )
    (found,) = filler(findings(tmp_path))
    assert "sent by" not in found.message, found.message


@pytest.mark.parametrize(
    ("literal", "expected"),
    [
        (r"r'In order to help, read C:\docs\policy.txt first.'", r"r'To help, read C:\docs\policy.txt first.'"),
        ("u'Please note that the \\\"tier\\\" field is required.'", "u'The \\\"tier\\\" field is required.'"),
        (
            "'''Please note that it's \"final\".\\tIn order to help, cite it.'''",
            "'''It's \"final\".\\tTo help, cite it.'''",
        ),
        ('"Be brief.\\nPlease note that the user is a child."', '"Be brief.\\nThe user is a child."'),
        ('"Please note that \\x61nswers are short."', '"Answers are short."'),
        ('R"""Due to the fact that \\d+ matches digits, it is used."""', 'R"""Because \\d+ matches digits, it is used."""'),
    ],
)
def test_fix_keeps_prefix_quotes_and_escapes(tmp_path: Path, literal: str, expected: str) -> None:
    template = """\
        from anthropic import Anthropic

        client = Anthropic()

        def reply(question: str):
            return client.messages.create(
                model="claude-sonnet-4-5",
                max_tokens=256,
                system=LITERAL,
                messages=[{"role": "user", "content": question}],
            )
    """
    write_project(tmp_path, {"app.py": template.replace("LITERAL", literal)})
    path = tmp_path / "app.py"
    assert len(filler(findings(tmp_path))) == 1
    fixed = fix(tmp_path, path)
    assert fixed == textwrap.dedent(template).replace("LITERAL", expected)
    cst.parse_module(fixed)
    assert ast.literal_eval(expected) == rewrite(ast.literal_eval(literal))
    assert filler(findings(tmp_path)) == []
    assert fix(tmp_path, path) == fixed


def test_dedented_literal_is_fixed_in_place(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "app.py": '''
                import textwrap

                from pydantic_ai import Agent

                agent = Agent("openai:gpt-4o", system_prompt=textwrap.dedent("""\\
                    You are a helpful AI assistant.
                    Please note that refunds take five days.
                    """))

                def reply(question: str):
                    return agent.run_sync(question)
            '''
        },
    )
    path = tmp_path / "app.py"
    assert len(filler(findings(tmp_path))) == 1
    fixed = fix(tmp_path, path)
    assert 'textwrap.dedent("""\\\n    Refunds take five days.\n    """)' in fixed
    assert findings(tmp_path) == []


def test_a_literal_emptied_in_a_concatenation_is_removed(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "app.py": """
                from openai import OpenAI

                client = OpenAI()
                SYSTEM = (
                    "You are a helpful AI assistant. "
                    "In order to help, cite the policy."
                )

                def reply(question: str):
                    return client.responses.create(model="gpt-4o", instructions=SYSTEM, input=question)
            """
        },
    )
    path = tmp_path / "app.py"
    fixed = fix(tmp_path, path)
    assert 'SYSTEM = (\n    "To help, cite the policy."\n)\n' in fixed
    assert findings(tmp_path) == []
    assert fix(tmp_path, path) == fixed


def test_filler_only_in_fstring_text_is_reported_without_a_fix(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "app.py": """
                from openai import OpenAI

                client = OpenAI()

                def reply(question: str, name: str):
                    return client.responses.create(
                        model="gpt-4o",
                        instructions=f"Please note that {name} is the customer. In order to help, cite the policy.",
                        input=question,
                    )
            """
        },
    )
    found = filler(findings(tmp_path))
    assert len(found) == 1
    assert found[0].fix is None


def test_indentation_round_trip(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "app.py": '''
                from openai import OpenAI

                client = OpenAI()

                class Bot:
                    def reply(self, question: str):
                        prompt = """Answer in one short paragraph.
                        Cite the refund policy by section number.
                        Decline questions about other companies.
                        Reply in the language of the question.
                        Keep a calm tone.
                        Mention the escalation desk when asked.
                        """
                        return client.chat.completions.create(
                            model="gpt-4o",
                            messages=[{"role": "system", "content": prompt}, {"role": "user", "content": question}],
                        )
            '''
        },
    )
    path = tmp_path / "app.py"
    found = indentation(findings(tmp_path))
    assert len(found) == 1
    assert found[0].fix is not None and found[0].fix.applicability is Applicability.UNSAFE
    fixed = fix(tmp_path, path)
    cst.parse_module(fixed)
    assert '        prompt = """Answer in one short paragraph.\nCite the refund policy by section number.\n' in fixed
    assert 'Mention the escalation desk when asked.\n"""\n' in fixed
    assert indentation(findings(tmp_path)) == []
    assert fix(tmp_path, path) == fixed


def test_indentation_at_module_level_under_a_heading_is_structure(tmp_path: Path) -> None:
    lines = "".join(f"    - rule number {i}\n" for i in range(12))
    write_project(
        tmp_path,
        {
            "app.py": f'''
from openai import OpenAI

client = OpenAI()
PROMPT = """Rules:
{lines}"""

def reply(question: str):
    return client.responses.create(model="gpt-4o", instructions=PROMPT, input=question)
'''
        },
    )
    assert indentation(findings(tmp_path)) == []


def test_budget_is_display_only_with_the_tokens_over_it(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "app.py": """
                from openai import OpenAI

                client = OpenAI()
                SYSTEM = "Cite the refund policy by section number. " * 40

                def reply(question: str):
                    return client.responses.create(model="gpt-4o", instructions=SYSTEM, input=question)
            """
        },
    )
    found = [d for d in findings(tmp_path, {"max-tokens": 100}) if "budget" in d.message]
    assert len(found) == 1
    total = count_tokens("Cite the refund policy by section number. " * 40, "gpt-4o").tokens
    assert found[0].stake is not None and found[0].stake.tokens == total - 100
    assert found[0].fix is not None and found[0].fix.applicability is Applicability.DISPLAY_ONLY
    assert found[0].fix.edits == ()
    assert findings(tmp_path) == []  # under the default budget


def test_thresholds_are_options(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "app.py": """
                from openai import OpenAI

                client = OpenAI()

                def reply(question: str):
                    return client.responses.create(
                        model="gpt-4o",
                        instructions="In order to help, cite the refund policy by its section number and date.",
                        input=question,
                    )
            """
        },
    )
    assert len(filler(findings(tmp_path))) == 1  # 2 tokens, but over 5% of the prompt
    assert filler(findings(tmp_path, {"min-share-saved": 0.5})) == []


@pytest.mark.parametrize("options", [{"min-share-saved": 1.5}, {"min-tokens-saved": 0}, {"max-tokens": 0}])
def test_bad_options_are_refused(options: dict) -> None:
    with pytest.raises(ValueError):
        VerboseSystemPrompt.make_options(options)
