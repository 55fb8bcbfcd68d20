# SPDX-License-Identifier: MIT
"""PRM101 verbose-system-prompt: a static system prompt that spends tokens on filler, on
code indentation carried into its text, or on sheer length.

The system prompt is sent with every call, so every token it wastes is paid on every call.
Three kinds of waste, one finding each per prompt at most:

- filler and hedging that `rules/lexicons/filler.yaml` maps to shorter wording or nothing
  (fixed by rewriting the string literal in place);
- the indentation of the code around a triple-quoted literal, carried into the text
  (fixed by dedenting the literal in place);
- a prompt over a token budget (display-only: only a person can decide what to cut).
"""

from __future__ import annotations

import ast
import dataclasses
import io
import os
import re
import tokenize
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from promptlint.tokens import at_most
from promptlint.data import load_yaml
from promptlint.fixes import LineIndex
from promptlint.pricing import lookup
from promptlint.rule import Invalid, Rule, RuleContext, Valid
from promptlint.analysis.results import FileAnalysis, LLMCall, PromptText, Segment, StringLiteral
from promptlint.types import Applicability, Basis, Diagnostic, Edit, Fix, Position, Span, Stake

# Stands for a dynamic segment while the static text is rewritten: neither a word character
# nor whitespace, so no phrase can match across it, yet a deleted phrase may precede it.
_DYNAMIC = "\x00"
# A phrase can nest in another's replacement ("please, please, please"): rewrite until stable.
_MAX_PASSES = 4
# A shared prompt's finding names this many of the calls that send it, then counts the rest.
MAX_CALLS_NAMED = 3


# An example pytest test with filler in its system prompt, used twice by the examples.
_TEST_WITH_FILLER = """
    from openai import OpenAI

    client = OpenAI()

    def test_reply():
        client.chat.completions.create(
            model="gpt-4o",
            messages=[
                {"role": "system", "content": "You are a helpful assistant. Be concise."},
                {"role": "user", "content": "What is 2 + 2?"},
            ],
        )
    """


@dataclass(frozen=True)
class VerboseSystemPromptOptions:
    """`[tool.promptlint.verbose-system-prompt]`."""

    min_tokens_saved: int = 5
    min_share_saved: float = 0.05
    max_tokens: int = 2000
    include_tests: bool = False

    def __post_init__(self) -> None:
        if self.min_tokens_saved < 1:
            raise ValueError("min-tokens-saved must be at least 1")
        if not 0 < self.min_share_saved <= 1:
            raise ValueError("min-share-saved must be a fraction in (0, 1]")
        if self.max_tokens < 1:
            raise ValueError("max-tokens must be at least 1")


class VerboseSystemPrompt(Rule):
    """## What it does
    Checks static system prompts for filler that shorter wording says as well, for code
    indentation carried into the prompt's text, and for prompts over a token budget.

    Filler and hedging are the phrases of `rules/lexicons/filler.yaml`: "Please note that"
    (dropped), "In order to" → "To", "Due to the fact that" → "Because", "It is very
    important that you always make sure to" → "Always", "You are a helpful AI assistant."
    (dropped), stacked "please", and other wordy phrases with plain equivalents. Carried
    indentation is a triple-quoted prompt written in an indented block (or opening with a
    line break) whose lines all share leading whitespace that no `textwrap.dedent` or
    `inspect.cleandoc` removes.

    The system prompt is the one in `system` (Anthropic), `instructions` (OpenAI Responses),
    a leading `system`/`developer` message (OpenAI Chat Completions, LiteLLM), a
    `SystemMessage` (LangChain), `system_instruction` (Google GenAI) or `system_prompt` /
    `instructions` (pydantic-ai). Only its static text is read: dynamic parts (f-string
    fields, arguments) are left out of every count.

    The finding points at the prompt's definition (the string literal holding the filler;
    for indentation the first piece of the prompt; for the budget the longest piece, such
    as the constant an f-string embeds), which may be in another module than the call. A
    prompt gets at most one finding of each kind (filler, indentation, budget), however
    many calls of the run send it, also when they embed it in different f-strings: the
    finding names those calls and is priced with the model most of them use (on a tie,
    the cheaper), counting the text they all send.

    ## Why is this bad?
    The system prompt is sent, and billed, with every call. Filler does not make a model
    follow an instruction better; it costs input tokens and latency on every request and
    dilutes the instructions that matter. Indentation inside a triple-quoted string is sent
    too: a prompt written in a method body pays for eight spaces on every line. A very long
    system prompt multiplies all of this and is worth a deliberate review.

    ## Example
    ```python
    from anthropic import Anthropic

    client = Anthropic()

    class Support:
        def answer(self, question: str):
            system = \"\"\"You are a helpful AI assistant.
            It is very important that you always make sure to cite the policy.
            Please note that refunds take five days.\"\"\"
            return client.messages.create(
                model="claude-sonnet-4-5", max_tokens=512, system=system,
                messages=[{"role": "user", "content": question}],
            )
    ```

    Use instead:
    ```python
    from anthropic import Anthropic

    client = Anthropic()

    SYSTEM = \"\"\"Always cite the policy.
    Refunds take five days.\"\"\"

    class Support:
        def answer(self, question: str):
            return client.messages.create(
                model="claude-sonnet-4-5", max_tokens=512, system=SYSTEM,
                messages=[{"role": "user", "content": question}],
            )
    ```

    ## Fix safety
    Both fixes are unsafe: they change the text the model reads. The filler fix rewrites the
    string literal's body in place, keeping its prefix, quotes and escapes (a `\\t` or `\\n`
    stays an escape; only the characters of the phrase change), also inside
    `textwrap.dedent(...)`; it never edits f-string text, bytes or text read from a file,
    and it edits a literal only when the result evaluates to exactly the rewritten text. A
    phrase that starts a sentence keeps a capital letter. The indentation fix removes the common
    indentation from the continuation lines of a prompt that is a single string literal,
    under the same check; for an f-string or a concatenation it reports without a fix. The
    budget finding is display-only: what to cut is a judgement call.

    ## Options
    - `min-tokens-saved` (default `5`): report filler, and carried indentation, when the
      rewrite saves at least this many tokens per call.
    - `min-share-saved` (default `0.05`): also report filler when the rewrite saves at least
      this share of the prompt's tokens, however few (either threshold is enough).
    - `max-tokens` (default `2000`): the budget for a system prompt's static text. The
      tokens at stake are those over the budget, priced as input tokens per call.
    - `include-tests` (default `false`): also report prompts written in test code
      (`test_*.py`, `*_test.py`, `conftest.py`, or under a `tests`/`test` folder of the
      project). A prompt written there is test data: it is not sent at the volume the
      per-call savings assume.

    ## References
    - [OpenAI: Prompt engineering](https://platform.openai.com/docs/guides/prompt-engineering)
    - [Anthropic: Be clear and direct](https://docs.anthropic.com/en/docs/build-with-claude/prompt-engineering/be-clear-and-direct)
    """

    code = "PRM101"
    name = "verbose-system-prompt"
    Options = VerboseSystemPromptOptions
    fix_applicability = Applicability.UNSAFE

    examples = (
        Valid(
            """
            from openai import OpenAI

            client = OpenAI()

            def reply(question: str):
                return client.chat.completions.create(
                    model="gpt-4o",
                    messages=[
                        {"role": "system", "content": "Answer in one sentence. Cite the policy."},
                        {"role": "user", "content": question},
                    ],
                )
            """
        ),
        Valid(
            """
            from anthropic import Anthropic

            client = Anthropic()

            def reply(question: str):
                return client.messages.create(
                    model="claude-sonnet-4-5",
                    max_tokens=256,
                    system="Answer in one sentence.",
                    messages=[{"role": "user", "content": "Please note that " + question}],
                )
            """
        ),
        Valid(
            """
            from google import genai
            from google.genai import types

            client = genai.Client()

            def reply(question: str, preamble: str):
                return client.models.generate_content(
                    model="gemini-2.5-flash",
                    contents=question,
                    config=types.GenerateContentConfig(system_instruction=f"{preamble} Answer briefly."),
                )
            """
        ),
        Valid(
            """
            import textwrap

            from openai import OpenAI

            client = OpenAI()

            class Bot:
                def reply(self, question: str):
                    instructions = textwrap.dedent(\"\"\"\\
                        Answer in one sentence.
                        Cite the refund policy by section number.
                        Decline questions about other companies.
                        Reply in the language of the question.
                        \"\"\")
                    return client.responses.create(model="gpt-4o", instructions=instructions, input=question)
            """
        ),
        Valid(
            """
            from pydantic_ai import Agent

            agent = Agent("openai:gpt-4o", system_prompt="Reply with the order status only.")

            def status(question: str):
                return agent.run_sync(question)
            """
        ),
        Valid(
            """
            from langchain_core.messages import HumanMessage, SystemMessage
            from langchain_openai import ChatOpenAI

            llm = ChatOpenAI(model="gpt-4o")

            def reply(question: str):
                return llm.invoke([
                    SystemMessage(content="Answer in one sentence."),
                    HumanMessage(content="Please note that in order to help, " + question),
                ])
            """
        ),
        Valid(_TEST_WITH_FILLER, filename="tests/test_reply.py"),  # a prompt written in test code is test data
        Invalid(  # ... unless the project asks for test code too
            _TEST_WITH_FILLER,
            filename="tests/test_reply.py",
            options={"include-tests": True},
            message="System prompt has filler: 9 → 3 tokens (-6) with shorter wording",
            tokens=6,
        ),
        Invalid(  # a prompt of the application's own, sent from a test, is still reported
            """
            from app.prompts import SYSTEM
            from openai import OpenAI

            client = OpenAI()

            def test_reply():
                client.chat.completions.create(
                    model="gpt-4o",
                    messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": "What is 2 + 2?"}],
                )
            """,
            filename="tests/test_reply.py",
            files={"app/__init__.py": "", "app/prompts.py": 'SYSTEM = "You are a helpful assistant. Be concise."\n'},
            message="System prompt has filler: 9 → 3 tokens (-6) with shorter wording",
            tokens=6,
        ),
        Invalid(
            """
            from openai import OpenAI

            client = OpenAI()
            SYSTEM = "Please note that refunds take five days. In order to help, cite the policy."

            def reply(question: str):
                return client.chat.completions.create(
                    model="gpt-4o",
                    messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}],
                )
            """,
            message="System prompt has filler: 17 → 13 tokens (-4) with shorter wording",
            tokens=4,
            fixed="""
            from openai import OpenAI

            client = OpenAI()
            SYSTEM = "Refunds take five days. To help, cite the policy."

            def reply(question: str):
                return client.chat.completions.create(
                    model="gpt-4o",
                    messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}],
                )
            """,
        ),
        Invalid(
            """
            from anthropic import Anthropic

            client = Anthropic()

            def reply(question: str):
                return client.messages.create(
                    model="claude-sonnet-4-5",
                    max_tokens=256,
                    system=r'It is very important that you always make sure to cite the \\policy\\ section.',
                    messages=[{"role": "user", "content": question}],
                )
            """,
            message="System prompt has filler: 17 → 8 tokens (-9) with shorter wording",
            tokens=9,
            fixed="""
            from anthropic import Anthropic

            client = Anthropic()

            def reply(question: str):
                return client.messages.create(
                    model="claude-sonnet-4-5",
                    max_tokens=256,
                    system=r'Always cite the \\policy\\ section.',
                    messages=[{"role": "user", "content": question}],
                )
            """,
        ),
        Invalid(
            """
            from langchain_core.messages import HumanMessage, SystemMessage
            from langchain_openai import ChatOpenAI

            llm = ChatOpenAI(model="gpt-4o")

            def reply(question: str):
                return llm.invoke([
                    SystemMessage(content="You are a helpful AI assistant. Please please answer due to the fact that users wait."),
                    HumanMessage(content=question),
                ])
            """,
            message="(-12) with shorter wording",
            tokens=12,
            fixed="""
            from langchain_core.messages import HumanMessage, SystemMessage
            from langchain_openai import ChatOpenAI

            llm = ChatOpenAI(model="gpt-4o")

            def reply(question: str):
                return llm.invoke([
                    SystemMessage(content="Please answer because users wait."),
                    HumanMessage(content=question),
                ])
            """,
        ),
        Invalid(
            """
            from google import genai
            from google.genai import types

            client = genai.Client()

            class Bot:
                def reply(self, question: str):
                    prompt = \"\"\"
                    Answer in one short paragraph.
                    Cite the refund policy by section number.
                    Decline questions about other companies.
                    Reply in the language of the question.
                    Keep a calm tone.
                    \"\"\"
                    return client.models.generate_content(
                        model="gemini-2.5-flash",
                        contents=question,
                        config=types.GenerateContentConfig(system_instruction=prompt),
                    )
            """,
            message="System prompt carries the code's indentation: 41 → 36 tokens (-5) once dedented",
            tokens=5,
            fixed="""
            from google import genai
            from google.genai import types

            client = genai.Client()

            class Bot:
                def reply(self, question: str):
                    prompt = \"\"\"
            Answer in one short paragraph.
            Cite the refund policy by section number.
            Decline questions about other companies.
            Reply in the language of the question.
            Keep a calm tone.
            \"\"\"
                    return client.models.generate_content(
                        model="gemini-2.5-flash",
                        contents=question,
                        config=types.GenerateContentConfig(system_instruction=prompt),
                    )
            """,
        ),
        Invalid(
            """
            from pydantic_ai import Agent

            agent = Agent("openai:gpt-4o", system_prompt="Follow the style guide. " * 600)

            def reply(question: str):
                return agent.run_sync(question)
            """,
            message="1,001 over the 2,000-token budget",
            tokens=1001,
        ),
        Invalid(
            # One prompt, one finding: sent by two calls, one embedding it in an f-string,
            # it is reported once where it is written, naming both calls.
            """
            from openai import OpenAI

            from prompts import POLICY

            client = OpenAI()

            def reply(question: str, name: str):
                return client.responses.create(model="gpt-5.5", instructions=f"The customer is {name}.\\n{POLICY}", input=question)

            def summarize(text: str):
                return client.responses.create(model="gpt-5.5", instructions=POLICY, input=text)
            """,
            files={"prompts.py": 'POLICY = "Follow the refund policy to the letter. " * 400\n'},
            message="System prompt is 3,201 tokens, 1,201 over the 2,000-token budget; sent by 2 calls: app.py:8, app.py:11",
            tokens=1201,
        ),
        Invalid(
            # A prompt built to be enormous (about 10 MB): its size is computed, not built,
            # and the count is scaled from the part held.
            """
            from openai import OpenAI

            client = OpenAI()
            POLICY = "Follow the refund policy to the letter. " * 250_000

            def answer(question):
                return client.chat.completions.create(
                    model="gpt-4o-mini", messages=[{"role": "system", "content": POLICY}, {"role": "user", "content": question}]
                )
            """,
            message="tokens (too large to count exactly), ",
        ),
    )

    def check_project(self, analyses: Sequence[FileAnalysis], ctx: RuleContext) -> Iterator[Diagnostic]:
        """One finding per prompt and kind of waste, where the prompt is written, naming
        every call of the run that sends it: a prompt embedded in several f-strings is
        still one prompt, anchored where its bulk is written."""
        sent: dict[tuple[str, str, Span], list[tuple[Diagnostic, LLMCall]]] = {}
        for analysis in analyses:
            for call in analysis.calls:
                for kind, diagnostic in self._findings(call, ctx):
                    key = (kind, os.path.abspath(diagnostic.filename), diagnostic.span)
                    sent.setdefault(key, []).append((diagnostic, call))
        for findings in sent.values():
            yield _one_finding(findings, ctx)

    def check_call(self, call: LLMCall, ctx: RuleContext) -> Iterable[Diagnostic]:
        return [diagnostic for _, diagnostic in self._findings(call, ctx)]

    def _findings(self, call: LLMCall, ctx: RuleContext) -> Iterator[tuple[str, Diagnostic]]:
        """The call's findings, each with its kind: "filler", "indentation" or "budget"."""
        system = call.system
        if system is None or not system.static_text.strip():
            return
        options: VerboseSystemPromptOptions = ctx.options
        found = [
            *(("filler", d) for d in self._filler(call, system, ctx, options)),
            *(("indentation", d) for d in self._indentation(call, system, ctx, options)),
            *(("budget", d) for d in self._budget(call, system, ctx, options)),
        ]
        for kind, diagnostic in found:
            if options.include_tests or not ctx.in_test_code(diagnostic.filename):
                yield kind, diagnostic

    # ----------------------------------------------------------------- (a) filler

    def _filler(
        self, call: LLMCall, system: PromptText, ctx: RuleContext, options: VerboseSystemPromptOptions
    ) -> Iterator[Diagnostic]:
        text = _with_placeholders(system)
        shorter = rewrite(text)
        if shorter == text or not shorter.replace(_DYNAMIC, "").strip():
            return
        before = ctx.count_tokens(text.replace(_DYNAMIC, ""), call.model)
        after = ctx.count_tokens(shorter.replace(_DYNAMIC, ""), call.model)
        saved = before.tokens - after.tokens
        if saved <= 0 or (saved < options.min_tokens_saved and saved / before.tokens < options.min_share_saved):
            return
        filename, span, edits = self._filler_site(call, system, ctx)
        fix = None
        if edits:
            fix = Fix("Rewrite the filler in shorter words", Applicability.UNSAFE, edits=tuple(edits))
        message = (
            f"System prompt has filler: {before.tokens:,} → {after.tokens:,} tokens "
            f"(-{saved:,}) with shorter wording"
        )
        yield self.report(filename, span, message, fix=fix, stake=Stake(saved, before.exact, call.model, Basis.INPUT))

    def _filler_site(self, call: LLMCall, system: PromptText, ctx: RuleContext) -> tuple[str, Span, list[Edit]]:
        """Where the filler is defined (the first literal holding some, else the first
        piece of prompt text holding some) and the edits to the literals in that file."""
        with_filler = [s for s in system.segments if not s.kind.is_dynamic and rewrite(s.text) != s.text]
        literals = [_literal_of(s, ctx) for s in with_filler]
        anchor = next((literal for literal in literals if literal is not None), None)
        if anchor is not None:
            filename, span = anchor.filename, anchor.span
        else:
            filename, span = _definition(call, with_filler or list(system.segments))
        edits: list[Edit] = []
        done: set[Span] = set()
        for literal in literals:
            if literal is None or literal.filename != filename or literal.span in done:
                continue
            done.add(literal.span)
            edit = _literal_edit(literal, _rewritten_body(literal), rewrite)
            if edit is not None and not edit.content:
                edit = _drop_empty_literal(literal, system, ctx) or edit
            if edit is not None:
                edits.append(edit)
        return filename, span, edits

    # ----------------------------------------------------------------- (c) indentation

    def _indentation(
        self, call: LLMCall, system: PromptText, ctx: RuleContext, options: VerboseSystemPromptOptions
    ) -> Iterator[Diagnostic]:
        text = _with_placeholders(system)
        indent = _carried_indent(text, system, ctx)
        if not indent:
            return
        dedented = _dedent_continuation(text, indent)
        before = ctx.count_tokens(text.replace(_DYNAMIC, ""), call.model)
        after = ctx.count_tokens(dedented.replace(_DYNAMIC, ""), call.model)
        saved = before.tokens - after.tokens
        if saved < options.min_tokens_saved:
            return
        filename, span = _definition(call, list(system.segments))
        fix = None
        only = system.segments[0] if len(system.segments) == 1 else None
        if only is not None and only.literal is not None and only.literal.filename == filename:
            body = _dedent_continuation(only.literal.body, indent)
            edit = _literal_edit(only.literal, body, lambda value: _dedent_continuation(value, indent))
            if edit is not None:
                fix = Fix("Dedent the prompt's continuation lines", Applicability.UNSAFE, edits=(edit,))
        message = (
            f"System prompt carries the code's indentation: {before.tokens:,} → "
            f"{after.tokens:,} tokens (-{saved:,}) once dedented"
        )
        yield self.report(filename, span, message, fix=fix, stake=Stake(saved, before.exact, call.model, Basis.INPUT))

    # ----------------------------------------------------------------- (b) budget

    def _budget(
        self, call: LLMCall, system: PromptText, ctx: RuleContext, options: VerboseSystemPromptOptions
    ) -> Iterator[Diagnostic]:
        if at_most(system.static_text, call.model) <= options.max_tokens:
            return
        count = ctx.count_tokens(system.static_text, call.model)
        total, exact = count.tokens, count.exact
        if system.omitted:  # text too large to hold: scale the count of the part held
            held = len(system.static_text)
            total, exact = round(count.tokens * (held + system.omitted) / max(held, 1)), False
        over = total - options.max_tokens
        if over <= 0:
            return
        filename, span = _bulk(call, list(system.segments))
        size = f"about {total:,} tokens (too large to count exactly)" if system.omitted else f"{total:,} tokens"
        message = f"System prompt is {size}, {over:,} over the {options.max_tokens:,}-token budget"
        fix = Fix(
            f"Cut the system prompt to {options.max_tokens:,} tokens: drop what the model does anyway, "
            "move rarely needed reference text into retrieval or tools",
            Applicability.DISPLAY_ONLY,
        )
        yield self.report(filename, span, message, fix=fix, stake=Stake(over, exact, call.model, Basis.INPUT))


# --------------------------------------------------------------------------- rewriting


@dataclass(frozen=True)
class _Lexicon:
    """The filler lexicon: each phrase's pattern with the words it is made of (longest
    phrase first) and, by normalized phrase, its replacement and whether it applies only
    at a sentence start."""

    phrases: tuple[tuple[tuple[str, ...], str], ...]
    replacements: dict[str, tuple[str, bool]]

    def pattern_for(self, text: str) -> re.Pattern[str] | None:
        """The lexicon's pattern narrowed to the phrases whose words all occur in `text`
        (None: none do). One pattern of every phrase took ~85 ms to compile, on every run
        with a system prompt; most prompts hold a handful of the phrases, if any. Text
        that is not ASCII gets the whole pattern: case-insensitive matching pairs some
        other letters with ASCII ones (the Kelvin sign with `k`)."""
        if not text.isascii():
            return _pattern(tuple(range(len(self.phrases))))
        lowered = text.lower()
        chosen = tuple(index for index, (words, _) in enumerate(self.phrases) if all(word in lowered for word in words))
        return _pattern(chosen) if chosen else None


@cache
def _lexicon() -> _Lexicon:
    data = load_yaml("lexicons/filler.yaml")
    entries = {phrase: (replacement, False) for phrase, replacement in data["phrases"].items()}
    entries.update({phrase: (replacement, True) for phrase, replacement in data["openers"].items()})
    not_before = "|".join(re.escape(word) for word in data["not_before"])
    phrases = []
    for phrase in sorted(entries, key=len, reverse=True):
        pattern = r"(?<!\w)" + r"\s+".join(re.escape(word) for word in phrase.split())
        if entries[phrase][0]:
            pattern += r"(?!\w)"
        elif phrase[-1].isalnum():
            # A deletion eats the whitespace after it and must be followed by a word.
            pattern += rf"\s+(?=[\w{_DYNAMIC}])(?!(?:{not_before})(?!\w))"
        else:
            pattern += r"\s*"
        phrases.append((tuple(phrase.lower().split()), pattern))
    replacements = {" ".join(phrase.split()): entry for phrase, entry in entries.items()}
    return _Lexicon(tuple(phrases), replacements)


@lru_cache(maxsize=256)
def _pattern(chosen: tuple[int, ...]) -> re.Pattern[str]:
    """One pattern of the chosen phrases, in the lexicon's order (longest first)."""
    phrases = _lexicon().phrases
    return re.compile("|".join(phrases[index][1] for index in chosen), re.IGNORECASE)


@dataclass(frozen=True)
class _Change:
    """Replace `text[start:end]` with `content`."""

    start: int
    end: int
    content: str


@lru_cache(maxsize=4096)  # a prompt's pieces repeat across the calls that share it
def rewrite(text: str) -> str:
    """`text` with every lexicon phrase replaced by its shorter form, keeping the case of a
    sentence start: "In order to" → "To", "IN ORDER TO" → "TO", and a deleted phrase that
    started with a capital capitalizes what follows ("Please note that the..." → "The...").
    A deletion can bring another phrase to a sentence start, so this runs until stable."""
    for _ in range(_MAX_PASSES):
        changes = _changes(text)
        if not changes:
            break
        text = _apply(text, changes)
    return text


def _apply(text: str, changes: list[_Change]) -> str:
    parts: list[str] = []
    cursor = 0
    for change in changes:
        parts.append(text[cursor : change.start])
        parts.append(change.content)
        cursor = change.end
    parts.append(text[cursor:])
    return "".join(parts)


def _changes(text: str) -> list[_Change]:
    """One pass of the lexicon over `text`: ordered, non-overlapping changes."""
    lexicon = _lexicon()
    changes: list[_Change] = []
    cursor = 0
    capitalize_next = False  # a deletion at a capital: the next word takes the capital
    pattern = lexicon.pattern_for(text)
    for match in pattern.finditer(text) if pattern is not None else ():
        found = match.group(0)
        replacement, opener = lexicon.replacements[" ".join(found.split()).lower()]
        if opener and not _starts_sentence(text, match.start()):
            continue
        if capitalize_next and match.start() > cursor:
            changes.extend(_capitalized_word(text, cursor))
            capitalize_next = False
        letters = [c for c in found if c.isalpha()]
        if replacement and len(letters) > 1 and all(c.isupper() for c in letters):
            replacement = replacement.upper()
        elif found[0].isupper() or capitalize_next:
            if replacement:
                replacement = replacement[0].upper() + replacement[1:]
                capitalize_next = False
            else:
                capitalize_next = True
        changes.append(_Change(match.start(), match.end(), replacement))
        cursor = match.end()
    if capitalize_next:
        changes.extend(_capitalized_word(text, cursor))
    return changes


def _capitalized_word(text: str, position: int) -> list[_Change]:
    """Capitalize the word at `position` when it is all lower case (leaves `iPhone`)."""
    word = re.compile(r"\w+").match(text, position)
    if word is None or not word.group(0).islower():
        return []
    return [_Change(position, position + 1, text[position].upper())]


_SENTENCE_END = re.compile(r"(?:\A|[.!?:\n]|(?:\A|\n)[ \t]*(?:[-*•]|\d+[.)]))[ \t]*\Z")


def _starts_sentence(text: str, position: int) -> bool:
    """Whether `position` begins a sentence, a line or a list item."""
    return _SENTENCE_END.search(text, max(0, position - 80), position) is not None


# --------------------------------------------------------------------------- indentation


def _carried_indent(text: str, system: PromptText, ctx: RuleContext) -> str:
    """The indentation every continuation line of the prompt shares, when it is the code's:
    the prompt is written in an indented block and its lines are indented at least that
    far, or its first line is blank so every line of text carries the same indentation."""
    lines = text.split("\n")
    filled = [line for line in lines[1:] if line.strip(" \t")]
    if not filled:
        return ""
    indents = [line[: len(line) - len(line.lstrip(" \t"))] for line in filled]
    common = indents[0]
    for indent in indents[1:]:
        while not indent.startswith(common):
            common = common[:-1]
    if not common:
        return ""
    if not lines[0].strip(" \t"):
        return common
    code_indent = _code_indent(system, ctx)
    return common if code_indent and common.startswith(code_indent) else ""


def _code_indent(system: PromptText, ctx: RuleContext) -> str:
    """The indentation of the source line where the prompt's text starts."""
    first = next((s for s in system.segments if s.filename and s.span), None)
    if first is None or first.filename is None or first.span is None:
        return ""
    lines = ctx.read_source(first.filename).split("\n")
    row = first.span.start.row
    if not 1 <= row <= len(lines):
        return ""
    line = lines[row - 1]
    return line[: len(line) - len(line.lstrip(" \t"))]


def _dedent_continuation(text: str, indent: str) -> str:
    """`text` with `indent` removed from every line after the first; whitespace-only lines
    become empty, as `textwrap.dedent` makes them. Lines lacking the indent are kept."""
    first, *rest = text.split("\n")
    lines = [first]
    for line in rest:
        if not line.strip(" \t"):
            lines.append("")
        elif line.startswith(indent):
            lines.append(line[len(indent) :])
        else:
            lines.append(line)
    return "\n".join(lines)


# --------------------------------------------------------------------------- literals


def _with_placeholders(prompt: PromptText) -> str:
    return "".join(_DYNAMIC if s.kind.is_dynamic else s.text for s in prompt.segments)


def _bulk(call: LLMCall, segments: list[Segment]) -> tuple[str, Span]:
    """Where most of the prompt's text is written: the longest static piece with a known
    place (the constant an f-string embeds), else the call. Calls that embed one long
    prompt in different f-strings share it, so they share one finding."""
    placed = [s for s in segments if not s.kind.is_dynamic and s.filename and s.span]
    if not placed:
        return call.filename, call.span
    longest = max(placed, key=lambda s: len(s.text))
    assert longest.filename is not None and longest.span is not None
    return longest.filename, longest.span


def _one_finding(sent: list[tuple[Diagnostic, LLMCall]], ctx: RuleContext) -> Diagnostic:
    """The single finding for a prompt several calls send.

    It is priced with the model most of those calls use (ties: the cheaper, so the figure
    does not overstate), and its count is that of the call sending the least text with
    that model: the text every call sends. The message names the calls; a wrapper's
    call is not named beside the SDK call it reaches when that one sends the prompt too,
    since both are the same request."""
    calls = {(call.filename, call.span.start): call for _, call in sent}
    sdk_sites = {(os.path.abspath(call.filename), call.span.start) for call in calls.values() if call.via is None}
    calls = {
        key: call
        for key, call in calls.items()
        if call.via is None or not any((os.path.abspath(path), span.start) in sdk_sites for path, span in call.related)
    }
    sent = [(diagnostic, call) for diagnostic, call in sent if (call.filename, call.span.start) in calls]
    if len(calls) == 1:
        return sent[0][0]
    models = Counter(call.model for call in calls.values())
    chosen = min(models, key=lambda model: (-models[model], *_price_order(model, ctx)))
    representative = min(
        (diagnostic for diagnostic, call in sent if call.model == chosen),
        key=lambda d: d.stake.tokens if d.stake is not None else 0,
    )
    root = getattr(ctx.config, "root", None)
    sites = [_site(filename, start, root) for filename, start in sorted(calls)]
    shown = ", ".join(sites[:MAX_CALLS_NAMED]) + (f" and {len(sites) - MAX_CALLS_NAMED} more" if len(sites) > MAX_CALLS_NAMED else "")
    message = f"{representative.message}; sent by {len(calls)} calls: {shown}"
    if len(models) > 1:
        message += f" (priced with {chosen}, the model of {models[chosen]} of them)"
    return dataclasses.replace(representative, message=message)


def _price_order(model: str | None, ctx: RuleContext) -> tuple[int, float, str]:
    """Known prices first, cheaper first, then by name: a deterministic, conservative tie-break."""
    prices = None if model is None else lookup(model, overrides=getattr(ctx.config, "models", None))
    return (0, prices.input, model or "") if prices is not None else (1, 0.0, model or "")


def _site(filename: str, start: Position, root: Path | None) -> str:
    """`app/chat.py:12`: the file as the run names it, or relative to the project root when
    analysis named it by an absolute path inside the root."""
    path = Path(filename)
    if path.is_absolute() and root is not None:
        try:
            path = path.resolve().relative_to(Path(root).resolve())
        except ValueError:  # outside the project: keep the absolute name
            pass
    return f"{path.as_posix()}:{start.row}"


def _definition(call: LLMCall, segments: list[Segment]) -> tuple[str, Span]:
    """The prompt's definition: the first piece of it with a known place, else the call."""
    for segment in segments:
        if not segment.kind.is_dynamic and segment.filename and segment.span:
            return segment.filename, segment.span
    return call.filename, call.span


def _literal_of(segment: Segment, ctx: RuleContext) -> StringLiteral | None:
    """The string literal a static segment comes from: its own, or, for text transformed by
    `textwrap.dedent`/`inspect.cleandoc`/`.strip()`, the one plain literal its span covers."""
    if segment.literal is not None:
        return segment.literal
    if segment.kind.is_dynamic or segment.filename is None or segment.span is None:
        return None
    source = ctx.read_source(segment.filename)
    try:
        index = LineIndex(source)
        code = source[index.offset(segment.span.start) : index.offset(segment.span.end)]
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(code).readline) if t.type not in _TRIVIA]
    except (ValueError, tokenize.TokenError, SyntaxError):
        return None
    if len(tokens) != 1 or tokens[0].type != tokenize.STRING or tokens[0].string != code:
        return None
    match = re.match(r"([A-Za-z]*)('''|\"\"\"|'|\")", code)
    if match is None:
        return None
    prefix, quote = match.groups()
    body = code[len(prefix) + len(quote) : len(code) - len(quote)]
    return StringLiteral(segment.filename, segment.span, prefix, quote, body)


_TRIVIA = frozenset({tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.INDENT, tokenize.DEDENT})


# One escape sequence of a non-raw str literal (an invalid one such as `\p` is two plain
# characters) and a line break, which Python reads as "\n" whatever its form.
_UNIT = re.compile(
    r"""\\(?:\r\n|[\n\r\\'"abfnrtv]|[0-7]{1,3}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|N\{[^}]*\})|\r\n?"""
)


def _units(body: str, raw: bool) -> list[tuple[str, str]]:
    """`body` split into (source, value) pieces, each worth at most one character of the
    string's value, so every offset into the value falls between two pieces."""
    units: list[tuple[str, str]] = []
    cursor = 0
    for match in _UNIT.finditer(body):
        if raw and match.group(0).startswith("\\"):
            continue
        units.extend((c, c) for c in body[cursor : match.start()])
        code = match.group(0)
        if code.startswith("\\\r") or code == "\\\n":
            value = ""  # a backslash-newline continues the line
        elif code.startswith("\r"):
            value = "\n"
        else:
            value = ast.literal_eval(f'"{code}"')
        units.append((code, value))
        cursor = match.end()
    units.extend((c, c) for c in body[cursor:])
    return units


def _rewritten_body(literal: StringLiteral) -> str:
    """`literal`'s body with the lexicon applied to its value, edited in the source text:
    each change replaces the pieces of source that spelled the changed characters."""
    body = literal.body
    raw = "r" in literal.prefix.lower()
    for _ in range(_MAX_PASSES):
        units = _units(body, raw)
        value = "".join(v for _, v in units)
        changes = _changes(value)
        if not changes:
            break
        at: dict[int, int] = {}  # value offset -> index of the first piece starting there
        offset = 0
        for index, (_, piece) in enumerate(units):
            at.setdefault(offset, index)
            offset += len(piece)
        at.setdefault(offset, len(units))
        parts: list[str] = []
        cursor = 0
        for change in changes:
            first, last = at[change.start], at[change.end]
            parts.extend(code for code, _ in units[cursor:first])
            parts.append(change.content)
            cursor = last
        parts.extend(code for code, _ in units[cursor:])
        body = "".join(parts)
    return body


def _drop_empty_literal(literal: StringLiteral, system: PromptText, ctx: RuleContext) -> Edit | None:
    """An edit removing a literal the rewrite empties, with the whitespace after it, when it
    is one piece of an implicit concatenation (`"..." "..."`): an empty `""` left in the
    source would only puzzle its reader."""
    segments = system.segments
    for index, segment in enumerate(segments[:-1]):
        if segment.span != literal.span or segment.filename != literal.filename:
            continue
        following = _literal_of(segments[index + 1], ctx)
        if following is None or following.filename != literal.filename:
            return None
        source = ctx.read_source(literal.filename)
        lines = LineIndex(source)
        try:
            between = source[lines.offset(literal.span.end) : lines.offset(following.span.start)]
        except ValueError:
            return None
        if between.strip():
            return None  # an operator or a comment sits between them
        return Edit(Span(literal.span.start, following.span.start), "")
    return None


def _literal_edit(literal: StringLiteral, body: str, expected: Callable[[str], str]) -> Edit | None:
    """An edit replacing `literal`'s body (prefix and quotes stay as written) with `body`,
    when the new literal denotes exactly `expected` of the old one's value, so escapes and
    quotes are kept honest; bytes and f-strings are never touched."""
    if body == literal.body or any(letter in literal.prefix.lower() for letter in "bf"):
        return None
    old = f"{literal.prefix}{literal.quote}{literal.body}{literal.quote}"
    new = f"{literal.prefix}{literal.quote}{body}{literal.quote}"
    try:
        with warnings.catch_warnings():  # an invalid escape such as "\\p" is the user's to fix
            warnings.simplefilter("ignore", SyntaxWarning)
            if ast.literal_eval(new) != expected(ast.literal_eval(old)):
                return None
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    opening = len(literal.prefix) + len(literal.quote)
    start, end = literal.span.start, literal.span.end
    span = Span(Position(start.row, start.column + opening), Position(end.row, end.column - len(literal.quote)))
    return Edit(span, body)
