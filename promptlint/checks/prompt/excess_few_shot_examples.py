# SPDX-License-Identifier: MIT
"""PRM102 excess-few-shot-examples: more few-shot examples than a budget, sent on every call."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from promptlint.analysis.prefix import prefix_parts
from promptlint.data import load_yaml
from promptlint.rule import Invalid, Rule, RuleContext, Valid
from promptlint.analysis.results import LLMCall, Message, PromptText, Segment
from promptlint.types import Applicability, Basis, Diagnostic, Fix, Span, Stake

# Stands in for a dynamic segment in the joined prompt text: an example holding one is not
# a static example (it is the request itself, or examples filled in per call).
PLACEHOLDER = "\x00"
ASSISTANT_ROLES = ("assistant", "model")  # Gemini calls the assistant turn "model"
BLANK_LINE = re.compile(r"\n[ \t]*\n")
# How far before a run of unlabelled `input -> output` lines a cue ("Examples:") must be:
# a line or two, not anywhere earlier in a long prompt (rubric rules with arrows are not examples).
ARROW_CUE_REACH = 120


@dataclass(frozen=True)
class Options:
    """`max_examples`: examples allowed per prompt; `max_example_tokens`: their total size;
    `include_tests`: also judge prompts written in test code."""

    max_examples: int = 5
    max_example_tokens: int = 1_500
    include_tests: bool = False

    def __post_init__(self) -> None:
        if self.max_examples < 1:
            raise ValueError("max-examples must be at least 1")
        if self.max_example_tokens < 1:
            raise ValueError("max-example-tokens must be at least 1")


# An example pytest test, used twice by the examples below.
_TEST_WITH_SIX_PAIRS = """
    from openai import OpenAI

    client = OpenAI()

    def test_classify():
        client.chat.completions.create(
            model="gpt-4o",
            messages=[
                {"role": "system", "content": "Label the sentiment."},
                {"role": "user", "content": "great movie"},
                {"role": "assistant", "content": "positive"},
                {"role": "user", "content": "awful plot"},
                {"role": "assistant", "content": "negative"},
                {"role": "user", "content": "it was fine"},
                {"role": "assistant", "content": "neutral"},
                {"role": "user", "content": "loved it"},
                {"role": "assistant", "content": "positive"},
                {"role": "user", "content": "never again"},
                {"role": "assistant", "content": "negative"},
                {"role": "user", "content": "fell asleep halfway"},
                {"role": "assistant", "content": "negative"},
                {"role": "user", "content": "best film this year"},
            ],
        )
    """


@dataclass(frozen=True)
class FewShotExample:
    """One example as sent, and where in the source a user would remove it."""

    text: str
    filename: str
    span: Span


# ----------------------------------------------------------------------------- examples in text


@dataclass(frozen=True)
class _Markers:
    headings: re.Pattern[str]
    tag_open: re.Pattern[str]
    tag_close: re.Pattern[str]
    # input label, output label (at a line start), output label later on the input's line,
    # and whether the pair needs a cue
    pairs: tuple[tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], bool], ...]
    any_label: re.Pattern[str]
    cue: re.Pattern[str]
    arrow_line: re.Pattern[str]
    arrow: re.Pattern[str]


def _label(words: list[str]) -> str:
    """A line opening with one of `words` and a colon, bold or not (`**Input:**`, `Q:`)."""
    alternatives = "|".join(re.escape(word) for word in words)
    return rf"^[ \t]*[*_]{{0,2}}(?:{alternatives})[*_]{{0,2}}[ \t]*:"


@cache
def _markers() -> _Markers:
    """The lexicon's markers compiled once (rules/lexicons/few_shot_markers.yaml)."""
    lexicon = load_yaml("lexicons/few_shot_markers.yaml")
    words = "|".join(re.escape(word) for word in lexicon["headings"])
    headings = re.compile(
        rf"^[ \t]*(?:\#{{1,6}}[ \t]*)?[*_]{{0,2}}(?:{words})(?:[ \t]+\#?\d+)?[*_]{{0,2}}[ \t]*(?:[:.)]|$)",
        re.IGNORECASE | re.MULTILINE,
    )
    tags = "|".join(re.escape(tag) for tag in lexicon["tags"])
    pairs = tuple(
        (
            re.compile(_label([pair["input"]]), re.IGNORECASE | re.MULTILINE),
            re.compile(_label([pair["output"]]), re.IGNORECASE | re.MULTILINE),
            re.compile(rf"[ \t|][ \t]*[*_]{{0,2}}{re.escape(pair['output'])}[*_]{{0,2}}[ \t]*:", re.IGNORECASE),
            bool(pair.get("cue", False)),
        )
        for pair in lexicon["pairs"]
    )
    labels = [pair[side] for pair in lexicon["pairs"] for side in ("input", "output")]
    cues = "|".join(re.escape(word) for word in lexicon["cues"])
    arrows = "|".join(re.escape(arrow) for arrow in lexicon["arrows"])
    return _Markers(
        headings=headings,
        tag_open=re.compile(rf"<(?:{tags})(?:\s[^<>]*)?>", re.IGNORECASE),
        tag_close=re.compile(rf"</(?:{tags})\s*>", re.IGNORECASE),
        pairs=pairs,
        any_label=re.compile(_label(labels), re.IGNORECASE | re.MULTILINE),
        cue=re.compile(rf"\b(?:{cues})\b", re.IGNORECASE),
        # An optional bullet, an optional `Label:`, then input, arrow, output on one line.
        arrow_line=re.compile(
            rf"[ \t]*(?:[-*•][ \t]+)?(?:[*_]{{0,2}}(?P<label>[A-Za-z][\w ]{{0,30}}?)[*_]{{0,2}}[ \t]*:)?"
            rf"[ \t]*\S.*?[ \t](?:{arrows})[ \t]+\S.*"
        ),
        arrow=re.compile(rf"(?<!\S)(?:{arrows})(?!\S)"),
    )


def _block_end(text: str, position: int) -> int:
    """Where an example whose body starts at `position` ends (at the latest; the next
    example's marker ends it sooner): the first blank line after some of its content,
    unless the next paragraph carries on with an input or output label. Multi-paragraph
    examples of other shapes are cut short, which undercounts (conservative)."""
    markers = _markers()
    for gap in BLANK_LINE.finditer(text, position):
        if not text[position : gap.start()].strip():
            continue
        if markers.any_label.match(text, gap.end()):
            continue
        return gap.start()
    return len(text)


def _tag_blocks(text: str) -> list[tuple[int, int]]:
    markers = _markers()
    opens = list(markers.tag_open.finditer(text))
    blocks = []
    for index, opening in enumerate(opens):
        limit = opens[index + 1].start() if index + 1 < len(opens) else len(text)
        closing = markers.tag_close.search(text, opening.end(), limit)
        end = closing.end() if closing is not None else _block_end(text, opening.end())
        blocks.append((opening.start(), min(end, limit)))
    return blocks


def _heading_blocks(text: str) -> list[tuple[int, int]]:
    heads = list(_markers().headings.finditer(text))
    blocks = []
    for index, head in enumerate(heads):
        limit = heads[index + 1].start() if index + 1 < len(heads) else len(text)
        blocks.append((head.start(), min(limit, _block_end(text, head.end()))))
    return blocks


def _pair_blocks(
    text: str, first: re.Pattern[str], second: re.Pattern[str], inline: re.Pattern[str], needs_cue: bool
) -> list[tuple[int, int]]:
    """An input line with an output line after it (before the next input line), or with
    the output label later on the same line; for ambiguous labels only after the text has
    introduced examples."""
    inputs = [match.start() for match in first.finditer(text)]
    if needs_cue and inputs and _markers().cue.search(text, 0, inputs[0]) is None:
        return []
    blocks = []
    for index, start in enumerate(inputs):
        limit = inputs[index + 1] if index + 1 < len(inputs) else len(text)
        line_end = text.find("\n", start)
        output = second.search(text, start, limit) or inline.search(text, start, limit if line_end < 0 else line_end)
        if output is None:
            continue
        blocks.append((start, min(limit, _block_end(text, output.start()))))
    return blocks


def _arrow_blocks(text: str) -> list[tuple[int, int]]:
    """One example per `input -> output` line, in runs of two or more such lines (blank
    lines between them allowed) whose lines share a `Label:` or that a cue introduces just
    before them ("Examples:"); a line with more than one arrow is a chain, not an example."""
    markers = _markers()
    runs: list[list[tuple[int, int, str | None]]] = [[]]
    offset = 0
    for line in text.split("\n"):
        start, offset = offset, offset + len(line) + 1
        if not line.strip():
            continue
        shape = markers.arrow_line.fullmatch(line)
        if shape is None or len(markers.arrow.findall(line)) != 1:
            runs.append([])
            continue
        label = shape.group("label")
        runs[-1].append((start, start + len(line), label.strip().lower() if label else None))
    blocks = []
    for run in runs:
        if len(run) < 2:
            continue
        labels = {label for _, _, label in run}
        introduced = markers.cue.search(text, max(0, run[0][0] - ARROW_CUE_REACH), run[0][0]) is not None
        if (len(labels) == 1 and None not in labels) or introduced:
            blocks.extend((start, end) for start, end, _ in run)
    return blocks


def example_blocks(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of the few-shot examples in a prompt text.

    Each marker style is read on its own and the one finding the most examples wins
    (`Example 1:` headings over `Input:/Output:` pairs inside them count once, not twice).
    """
    candidates = [_tag_blocks(text), _heading_blocks(text), _arrow_blocks(text)]
    candidates.extend(_pair_blocks(text, *pair) for pair in _markers().pairs)
    return max(candidates, key=len)


def _joined(prompt: PromptText) -> tuple[str, list[tuple[int, Segment]]]:
    """The prompt as one string (dynamic parts as placeholders) and each segment's offset."""
    pieces: list[str] = []
    offsets: list[tuple[int, Segment]] = []
    offset = 0
    for segment in prompt.segments:
        piece = PLACEHOLDER if segment.kind.is_dynamic else segment.text
        offsets.append((offset, segment))
        pieces.append(piece)
        offset += len(piece)
    return "".join(pieces), offsets


def _location(offset: int, offsets: list[tuple[int, Segment]], call: LLMCall) -> tuple[str, Span]:
    """Where the text at `offset` is written: the prompt expression (string literal,
    constant or template) holding it, as for the other prompt rules; the call when the
    text has no source position."""
    _, segment = next((item for item in reversed(offsets) if item[0] <= offset), offsets[0])
    if segment.filename is None or segment.span is None:
        return call.filename, call.span
    return segment.filename, segment.span


def text_examples(prompt: PromptText, call: LLMCall) -> list[FewShotExample]:
    """The fully static example blocks of one prompt text, with where each starts."""
    text, offsets = _joined(prompt)
    if not offsets:
        return []
    found = []
    for start, end in example_blocks(text):
        body = text[start:end].strip()
        if not body or PLACEHOLDER in body:
            continue
        filename, span = _location(start, offsets, call)
        found.append(FewShotExample(body, filename, span))
    return found


# ----------------------------------------------------------------------------- examples in messages


def _message_location(message: Message, call: LLMCall) -> tuple[str, Span]:
    """A message's own span, in the file its content was written in (a spread constant
    may live in another module); the call when that file cannot be told."""
    if message.span is not None and message.content is not None:
        for segment in message.content.segments:
            if (
                segment.filename is not None
                and segment.span is not None
                and message.span.start <= segment.span.start
                and segment.span.end <= message.span.end
            ):
                return segment.filename, message.span
    return call.filename, call.span


def _static_text(message: Message) -> str | None:
    content = message.content
    if content is None or not content.is_static or not content.static_text.strip():
        return None
    return content.static_text


def message_examples(call: LLMCall) -> list[FewShotExample]:
    """Static user/assistant pairs before the final user turn: examples sent as messages."""
    messages = call.messages
    final_user = max((i for i, m in enumerate(messages) if m.role == "user"), default=-1)
    found = []
    index = 0
    while index + 1 < final_user:
        question, answer = messages[index], messages[index + 1]
        if question.role == "user" and answer.role in ASSISTANT_ROLES:
            asked, answered = _static_text(question), _static_text(answer)
            if asked is not None and answered is not None:
                filename, span = _message_location(question, call)
                found.append(FewShotExample(f"{asked}\n{answered}", filename, span))
                index += 2
                continue
        index += 1
    return found


# ----------------------------------------------------------------------------- the rule


def _count(tokens: int, exact: bool) -> str:
    return f"{'' if exact else '~'}{tokens:,}"


class ExcessFewShotExamples(Rule):
    """
    ## What it does
    Flags prompts that carry more few-shot examples than a budget: example pairs in a
    message list (static user/assistant turns before the final user turn, spread
    constants included) or example blocks in prompt text (`Example N:` headings,
    `Input:`/`Output:`, `Q:`/`A:`, `User:`/`Assistant:` and similar pairs, on two lines or
    one, `<example>` tags, and one-line `input -> output` examples that share a label
    such as `Report:` or follow the word "examples"; the markers are listed in
    `rules/lexicons/few_shot_markers.yaml`). `Q:`/`A:` and
    `Question:`/`Answer:` lines count only when the text introduces them as examples: an
    unintroduced Q/A list is usually an FAQ the model is meant to know.

    It reports when a prompt has more than `max-examples` examples, or when they total
    more than `max-example-tokens` tokens. An example that contains per-call data (the
    `Q: {question}` a template ends with) is not counted. For message lists the finding
    points at the first example message beyond the budget; for prompt text, at the prompt
    expression (string literal, constant or template) where that example starts. Either
    may be in the module that defines the examples rather than the one making the call.

    ## Why is this bad?
    Every example is resent, and paid for, on every call. Anthropic's guidance is 3-5
    diverse, relevant examples; past that, each extra example mostly adds input tokens
    (and latency) rather than quality, so the budget is about cost, not about the
    examples being bad. The tokens at stake are those of the examples after the first
    `max-examples` (or after the ones that fit in `max-example-tokens`).

    ## Example
    ```python
    EXAMPLES = [
        {"role": "user", "content": "great movie"}, {"role": "assistant", "content": "positive"},
        # ... eight more pairs ...
    ]
    client.chat.completions.create(
        model="gpt-4o", messages=[*EXAMPLES, {"role": "user", "content": review}]
    )
    ```

    Use instead:
    ```python
    EXAMPLES = [  # the five most diverse pairs, kept at the start of the static prefix
        {"role": "user", "content": "great movie"}, {"role": "assistant", "content": "positive"},
        # ...
    ]
    ```

    ## Fix safety
    Display-only: which examples to keep is a judgement about the task. The suggestion is
    to keep the most diverse ones, and to keep them in the static prefix (before any
    per-request text) where a prompt cache can reuse them.

    ## Options
    - `max-examples` (default `5`): examples allowed in one message list or prompt text,
      the top of Anthropic's recommended 3-5.
    - `max-example-tokens` (default `1500`): total tokens the examples may take; about
      five examples of a short paragraph each.
    - `include-tests` (default `false`): also report examples written in test code
      (`test_*.py`, `*_test.py`, `conftest.py`, or under a `tests`/`test` folder of the
      project): they are test data, not sent at the volume the per-call savings assume.

    ## References
    - [Anthropic: use examples (multishot prompting)](https://docs.anthropic.com/en/docs/build-with-claude/prompt-engineering/multishot-prompting)
    """

    code = "PRM102"
    name = "excess-few-shot-examples"
    Options = Options
    fix_applicability = Applicability.DISPLAY_ONLY

    examples = (
        Valid(
            """
            from openai import OpenAI

            client = OpenAI()
            EXAMPLES = [
                {"role": "user", "content": "great movie"},
                {"role": "assistant", "content": "positive"},
                {"role": "user", "content": "awful plot"},
                {"role": "assistant", "content": "negative"},
                {"role": "user", "content": "it was fine"},
                {"role": "assistant", "content": "neutral"},
            ]

            def classify(review):
                return client.chat.completions.create(
                    model="gpt-4o",
                    messages=[{"role": "system", "content": "Label the sentiment."}, *EXAMPLES,
                              {"role": "user", "content": review}],
                )
            """
        ),
        Valid(
            # A conversation history is not examples: its turns are per-request data.
            """
            import anthropic

            client = anthropic.Anthropic()

            def reply(history, question):
                messages = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]
                for turn in history:
                    messages.append({"role": "user", "content": turn.question})
                    messages.append({"role": "assistant", "content": turn.answer})
                messages.append({"role": "user", "content": question})
                return client.messages.create(model="claude-sonnet-4-5", max_tokens=512, messages=messages)
            """
        ),
        Valid(
            # Five Q/A examples in the system prompt; the template's own `Q: {question}` is not one.
            """
            import litellm

            SYSTEM = (
                "Answer in one word. Examples:\\n\\n"
                "Q: capital of France?\\nA: Paris\\n\\n"
                "Q: capital of Spain?\\nA: Madrid\\n\\n"
                "Q: capital of Italy?\\nA: Rome\\n\\n"
                "Q: capital of Peru?\\nA: Lima\\n\\n"
                "Q: capital of Chile?\\nA: Santiago\\n"
            )

            def ask(question):
                return litellm.completion(
                    model="gpt-4o-mini",
                    messages=[{"role": "system", "content": SYSTEM},
                              {"role": "user", "content": f"Q: {question}\\nA:"}],
                )
            """
        ),
        Valid(
            # A Q/A list the prompt does not call examples is an FAQ to know, not few-shot.
            '''
            import anthropic

            client = anthropic.AsyncAnthropic()
            SYSTEM = """You answer questions about Acme's store.

            Q: What is the refund window?
            A: 30 days from delivery.
            Q: Do you ship abroad?
            A: Yes, to 40 countries.
            Q: How do I track an order?
            A: Use the link in the confirmation email.
            Q: Can I change my address?
            A: Yes, until the order ships.
            Q: Do you sell gift cards?
            A: Yes, from $10 to $500.
            Q: Is there a warranty?
            A: Two years on all products."""

            async def support(question):
                return await client.messages.create(
                    model="claude-haiku-4-5", max_tokens=400, system=SYSTEM,
                    messages=[{"role": "user", "content": question}],
                )
            '''
        ),
        Valid(
            # Six examples, within a raised budget.
            """
            from google import genai

            client = genai.Client()
            CONTENTS = [
                {"role": "user", "parts": [{"text": "2+2"}]}, {"role": "model", "parts": [{"text": "4"}]},
                {"role": "user", "parts": [{"text": "3+3"}]}, {"role": "model", "parts": [{"text": "6"}]},
                {"role": "user", "parts": [{"text": "4+4"}]}, {"role": "model", "parts": [{"text": "8"}]},
                {"role": "user", "parts": [{"text": "5+5"}]}, {"role": "model", "parts": [{"text": "10"}]},
                {"role": "user", "parts": [{"text": "6+6"}]}, {"role": "model", "parts": [{"text": "12"}]},
                {"role": "user", "parts": [{"text": "7+7"}]}, {"role": "model", "parts": [{"text": "14"}]},
            ]

            def add(question):
                return client.models.generate_content(
                    model="gemini-2.5-flash", contents=[*CONTENTS, {"role": "user", "parts": [{"text": question}]}]
                )
            """,
            options={"max-examples": 6},
        ),
        Valid(
            # Examples filled in per request are not static examples.
            """
            from langchain_anthropic import ChatAnthropic
            from langchain_core.messages import HumanMessage, SystemMessage

            llm = ChatAnthropic(model="claude-sonnet-4-5")

            def label(text, examples):
                shots = "\\n\\n".join(f"Example {i}:\\n{e}" for i, e in enumerate(examples))
                return llm.invoke([SystemMessage(f"Label the text.\\n\\n{shots}"), HumanMessage(text)])
            """
        ),
        Valid(
            # Six pairs in a test: examples written in test code are test data.
            _TEST_WITH_SIX_PAIRS,
            filename="tests/test_classify.py",
        ),
        Invalid(
            # The same test, with `include-tests` set.
            _TEST_WITH_SIX_PAIRS,
            filename="tests/test_classify.py",
            options={"include-tests": True},
            message="6 few-shot examples in the message list",
        ),
        Invalid(
            # Seven pairs (two of them from a constant in another module), budget five.
            """
            from openai import OpenAI
            from prompts import FEW_SHOT

            client = OpenAI()

            def classify(review):
                return client.chat.completions.create(
                    model="gpt-4o",
                    messages=[
                        {"role": "system", "content": "Label the sentiment."},
                        *FEW_SHOT,
                        {"role": "user", "content": "it was fine"},
                        {"role": "assistant", "content": "neutral"},
                        {"role": "user", "content": "loved it"},
                        {"role": "assistant", "content": "positive"},
                        {"role": "user", "content": "never again"},
                        {"role": "assistant", "content": "negative"},
                        {"role": "user", "content": "best film this year"},
                        {"role": "assistant", "content": "positive"},
                        {"role": "user", "content": "fell asleep halfway"},
                        {"role": "assistant", "content": "negative"},
                        {"role": "user", "content": review},
                    ],
                )
            """,
            files={
                "prompts.py": """
                FEW_SHOT = [
                    {"role": "user", "content": "great movie"},
                    {"role": "assistant", "content": "positive"},
                    {"role": "user", "content": "awful plot"},
                    {"role": "assistant", "content": "negative"},
                ]
                """
            },
            message="7 few-shot examples in the message list",
            tokens=11,
        ),
        Invalid(
            # Anthropic: six Example blocks in the system prompt.
            '''
            import anthropic

            client = anthropic.Anthropic()
            SYSTEM = """Extract the city from the sentence.

            Example 1:
            I flew to Paris last week. -> Paris

            Example 2:
            Berlin was cold. -> Berlin

            Example 3:
            We met in Rome. -> Rome

            Example 4:
            Tokyo never sleeps. -> Tokyo

            Example 5:
            She moved to Lima. -> Lima

            Example 6:
            Oslo in winter is dark. -> Oslo

            Reply with the city only."""

            def city(sentence):
                return client.messages.create(
                    model="claude-sonnet-4-5", max_tokens=16, system=SYSTEM,
                    messages=[{"role": "user", "content": sentence}],
                )
            ''',
            message="6 few-shot examples in the system prompt",
            tokens=13,
        ),
        Invalid(
            # A transcript of User:/Assistant: turns written into the system prompt.
            '''
            from openai import OpenAI

            client = OpenAI()
            SYSTEM = """Answer the customer in one short sentence.

            User: Where is my order?
            Assistant: It ships tomorrow.
            User: Can I change the address?
            Assistant: Yes, until it ships.
            User: Do you ship abroad?
            Assistant: To the EU and the UK.
            User: How do I return an item?
            Assistant: Use the link in your receipt.
            User: Is there a warranty?
            Assistant: Two years on everything.
            User: Can I pay later?
            Assistant: Yes, in three instalments.
            """

            def reply(question):
                return client.chat.completions.create(
                    model="gpt-4.1-mini", messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}]
                )
            ''',
            message="6 few-shot examples in the system prompt",
        ),
        Invalid(
            # LangChain: <example> tags over the token budget (three examples, 600+ tokens each).
            """
            from langchain_openai import ChatOpenAI

            llm = ChatOpenAI(model="gpt-4o")
            LONG = "lorem ipsum " * 300
            SYSTEM = (
                "Summarize the report.\\n"
                "<example>" + LONG + "</example>\\n"
                "<example>" + LONG + "</example>\\n"
                "<example>" + LONG + "</example>\\n"
            )

            def summarize(report):
                return llm.invoke([("system", SYSTEM), ("human", report)])
            """,
            message="over the budget of 5 examples and 1,500 tokens",
            tokens=607,
        ),
        Invalid(
            # Google chat history: seven example turns, budget three.
            """
            from google import genai

            client = genai.Client()
            HISTORY = [
                {"role": "user", "parts": [{"text": "cat"}]}, {"role": "model", "parts": [{"text": "animal"}]},
                {"role": "user", "parts": [{"text": "oak"}]}, {"role": "model", "parts": [{"text": "plant"}]},
                {"role": "user", "parts": [{"text": "iron"}]}, {"role": "model", "parts": [{"text": "mineral"}]},
                {"role": "user", "parts": [{"text": "dog"}]}, {"role": "model", "parts": [{"text": "animal"}]},
            ]
            chat = client.chats.create(model="gemini-2.5-flash", history=HISTORY)

            def kind(word):
                return chat.send_message(word)
            """,
            options={"max-examples": 3},
            message="the 1 after the first 3",
            tokens=3,
        ),
        Invalid(
            # LiteLLM: Input/Output pairs in a user message template, the last one per-request.
            '''
            import litellm

            PROMPT = """Translate to French.

            Input: good morning
            Output: bonjour
            Input: thank you
            Output: merci
            Input: good night
            Output: bonne nuit
            Input: please
            Output: s'il vous plaît
            Input: cheese
            Output: fromage
            Input: goodbye
            Output: au revoir
            Input: {text}
            Output:"""

            def translate(text):
                return litellm.completion(
                    model="anthropic/claude-sonnet-4-5",
                    messages=[{"role": "user", "content": PROMPT.format(text=text)}],
                )
            ''',
            message="6 few-shot examples in the user message",
            tokens=8,
        ),
        Invalid(
            # Eight examples written one per line, `input -> output`, in a template.
            '''
            from openai import OpenAI

            client = OpenAI()
            TEMPLATE = """Classify the bug report. Reply with JSON.

            Report: App closes when I tap Save -> {{"category": "crash"}}
            Report: The Save button is grey on the dark theme -> {{"category": "ui"}}
            Report: Login takes a minute on 4G -> {{"category": "performance"}}
            Report: I was charged twice this month -> {{"category": "billing"}}
            Report: Crash when rotating the phone -> {{"category": "crash"}}
            Report: Text overlaps the icons on the home screen -> {{"category": "ui"}}
            Report: Search never finishes loading -> {{"category": "performance"}}
            Report: My refund has not arrived -> {{"category": "billing"}}

            Report: {report} ->"""

            def categorize(report):
                return client.chat.completions.create(
                    model="gpt-4o",
                    messages=[{"role": "user", "content": TEMPLATE.format(report=report)}],
                )
            ''',
            message="8 few-shot examples in the user message",
        ),
        Invalid(
            # Inline pairs: `Q: ... A: ...` on one line each, introduced as examples.
            '''
            import anthropic

            client = anthropic.Anthropic()
            SYSTEM = """Answer with the capital city. Examples:
            Q: France? A: Paris
            Q: Spain? A: Madrid
            Q: Italy? A: Rome
            Q: Peru? A: Lima
            Q: Chile? A: Santiago
            Q: Japan? A: Tokyo
            Q: Kenya? A: Nairobi"""

            def capital(country):
                return client.messages.create(
                    model="claude-haiku-4-5", max_tokens=16, system=SYSTEM,
                    messages=[{"role": "user", "content": country}],
                )
            ''',
            message="7 few-shot examples in the system prompt",
        ),
        Valid(
            # Arrows that chain steps, or map names without being called examples, are not examples.
            '''
            import litellm

            SYSTEM = """You run the release checklist.

            build -> test -> tag -> publish
            NY -> New York
            LA -> Los Angeles
            SF -> San Francisco
            DC -> Washington
            TX -> Texas
            WA -> Washington state

            Reply with the next step only."""

            def next_step(state):
                return litellm.completion(
                    model="anthropic/claude-sonnet-4-5",
                    messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": state}],
                )
            '''
        ),
    )

    def check_call(self, call: LLMCall, ctx: RuleContext) -> Iterator[Diagnostic]:
        pairs = message_examples(call)
        if pairs:
            yield from self._judge(call, ctx, pairs, "the message list")
        for part in prefix_parts(call):
            if part.where == "tools":
                continue
            found = text_examples(part.text, call)
            if found:
                where = "the system prompt" if part.where == "system" or part.role in ("system", "developer") else (
                    f"the {part.role or 'prompt'} message"
                )
                yield from self._judge(call, ctx, found, where)

    def _judge(self, call: LLMCall, ctx: RuleContext, found: list[FewShotExample], where: str) -> Iterator[Diagnostic]:
        options: Options = ctx.options
        counts = [ctx.count_tokens(example.text, call.model) for example in found]
        exact = all(count.exact for count in counts)
        total = sum(count.tokens for count in counts)
        if len(found) <= options.max_examples and total <= options.max_example_tokens:
            return
        keep = 1  # the first example always stays: one example is not "excess few-shot"
        running = counts[0].tokens
        while keep < min(len(found), options.max_examples) and running + counts[keep].tokens <= options.max_example_tokens:
            running += counts[keep].tokens
            keep += 1
        if keep == len(found) or (ctx.in_test_code(found[keep].filename) and not options.include_tests):
            return
        delta = sum(count.tokens for count in counts[keep:])
        extra = len(found) - keep
        first_extra = found[keep]
        message = (
            f"{len(found)} few-shot examples in {where} ({_count(total, exact)} tokens) are over the budget of "
            f"{options.max_examples} examples and {options.max_example_tokens:,} tokens: "
            f"the {extra} after the first {keep} add {_count(delta, exact)} tokens per call"
        )
        suggestion = (
            f"# Keep the {keep} most diverse, relevant examples and drop the other {extra}.\n"
            "# Anthropic recommends 3-5 examples: past that they mostly add input tokens.\n"
            "# Keep them in the static prefix, before any per-request text, so a prompt cache can reuse them."
        )
        yield self.report(
            first_extra.filename,
            first_extra.span,
            message,
            fix=Fix(f"Keep the {keep} most diverse examples", Applicability.DISPLAY_ONLY, suggestion=suggestion),
            stake=Stake(tokens=delta, exact=exact, model=call.model, basis=Basis.INPUT),
        )
