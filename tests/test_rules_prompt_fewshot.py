"""PRM102 excess-few-shot-examples beyond its inline examples: how example blocks are read
from prompt text, the token budget, where findings point, options and the display-only fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from promptlint.checks.prompt.excess_few_shot_examples import ExcessFewShotExamples, example_blocks
from promptlint.config import ConfigError, load_config
from promptlint.rule import Invalid, Valid
from promptlint.testing import run_example
from promptlint.tokens import count_tokens


def _findings(example):
    run = run_example(ExcessFewShotExamples, example)
    return [d for d in run.diagnostics if d.code == ExcessFewShotExamples.code]


def _bodies(text: str) -> list[str]:
    return [text[start:end].strip() for start, end in example_blocks(text)]


def test_heading_examples_end_at_the_next_heading_and_the_last_at_its_paragraph() -> None:
    text = "Rules.\n\n## Example 1\nInput: x\n\nOutput: y\n\n## Example 2\nInput: z\n\nOutput: w\n\nNow answer."
    assert _bodies(text) == ["## Example 1\nInput: x\n\nOutput: y", "## Example 2\nInput: z\n\nOutput: w"]


def test_prose_between_examples_is_not_part_of_them() -> None:
    text = "Example 1: a -> x\n\nKeep labels lowercase.\n\nExample 2: b -> y"
    assert _bodies(text) == ["Example 1: a -> x", "Example 2: b -> y"]


def test_tagged_examples_end_at_the_closing_tag() -> None:
    text = 'Intro <example id="1">one</example> middle <EXAMPLE>two</EXAMPLE> tail'
    assert _bodies(text) == ['<example id="1">one</example>', "<EXAMPLE>two</EXAMPLE>"]


def test_plural_heading_and_prose_mentions_are_not_examples() -> None:
    assert example_blocks("Examples:\nFor example: be brief.\nExample usage is below.") == []


def test_input_output_pairs_need_both_lines() -> None:
    text = "Input: a\nOutput: b\nInput: c\n\nInput: d\nOutput: e"
    assert _bodies(text) == ["Input: a\nOutput: b", "Input: d\nOutput: e"]


def test_question_answer_pairs_count_only_once_introduced_as_examples() -> None:
    faq = "Q: refund window?\nA: 30 days.\nQ: shipping?\nA: worldwide.\n"
    assert example_blocks(faq) == []
    assert len(example_blocks("Here are some examples.\n" + faq)) == 2
    # A cue after the pairs does not introduce them.
    assert example_blocks(faq + "\nFollow the example format.") == []


def test_the_style_finding_most_examples_wins() -> None:
    text = "Example 1:\nQ: a\nA: b\nQ: c\nA: d\nExample 2:\nQ: e\nA: f"
    assert len(example_blocks(text)) == 3  # three Q/A pairs under two headings


def test_token_budget_keeps_the_examples_that_fit() -> None:
    # Four examples (under max-examples) of ~600 tokens each: the token budget flags them.
    source = """
        from openai import OpenAI

        client = OpenAI()
        BODY = "lorem ipsum " * 300
        SYSTEM = (
            "Summarize.\\n"
            "<example>" + BODY + "</example>\\n"
            "<example>" + BODY + "</example>\\n"
            "<example>" + BODY + "</example>\\n"
            "<example>" + BODY + "</example>\\n"
        )

        def run(text):
            return client.chat.completions.create(
                model="gpt-4o",
                messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": text}],
            )
        """
    one = count_tokens("<example>" + "lorem ipsum " * 300 + "</example>", "gpt-4o").tokens
    budget = 2 * one + 10  # two examples fit, the third does not
    (finding,) = _findings(Invalid(source, options={"max-example-tokens": budget}))
    assert "the 2 after the first 2" in finding.message
    assert finding.stake is not None and finding.stake.tokens == 2 * one
    assert _findings(Valid(source, options={"max-example-tokens": 4 * one})) == []


def test_examples_in_another_module_are_reported_there() -> None:
    pairs = "".join(
        f'    {{"role": "user", "content": "q{i}"}}, {{"role": "assistant", "content": "a{i}"}},\n' for i in range(7)
    )
    example = Invalid(
        """
        import anthropic
        from shots import SHOTS

        client = anthropic.Anthropic()

        def ask(q):
            return client.messages.create(
                model="claude-sonnet-4-5", max_tokens=100, messages=[*SHOTS, {"role": "user", "content": q}]
            )
        """,
        files={"shots.py": "SHOTS = [\n" + pairs + "]\n"},
    )
    (finding,) = _findings(example)
    assert Path(finding.filename).name == "shots.py"
    assert finding.span.start.row == 7  # the sixth pair's user message
    assert "7 few-shot examples in the message list" in finding.message


def test_a_prompt_shared_by_two_calls_is_reported_once() -> None:
    source = '''
        from openai import OpenAI

        client = OpenAI()
        SYSTEM = """Label it.
        Example 1: a -> x
        Example 2: b -> y
        Example 3: c -> x
        Example 4: d -> y
        Example 5: e -> x
        Example 6: f -> y
        """

        def one(text):
            return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": text}])

        def two(text):
            return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": text}])
        '''
    (finding,) = _findings(Invalid(source))
    assert finding.span.start.row == 4  # the SYSTEM literal holding `Example 6:`
    assert finding.fix is not None and finding.fix.applicability.value == "display-only"
    assert finding.fix.edits == ()


@pytest.mark.parametrize("option", ["max-examples", "max-example-tokens"])
def test_non_positive_options_are_a_configuration_error(tmp_path: Path, option: str) -> None:
    config = tmp_path / "promptlint.toml"
    config.write_text(f'[excess-few-shot-examples]\n{option} = 0\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=option):
        load_config(config)
