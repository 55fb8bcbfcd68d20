"""A generated application for the benchmark corpus: many ordinary modules, a few LLM ones.

Real code bases are mostly code that never touches an LLM, so what dominates a run is how
cheaply those files are dismissed; a corpus of SDK source alone would overstate the share of
files that get parsed. This generator writes `n` modules in which about `llm_share` call an
LLM SDK in the shapes promptlint reads (module clients imported from a project module,
handlers, loops, async fan-out, f-string and file prompts, few-shot lists), and the rest are
ordinary Python: dataclasses, repositories with SQL, services, utilities, and look-alikes
such as `Order.objects.create(...)` that pass a naive text filter but call no LLM.

Everything is derived from one `random.Random(seed)`, so the same arguments give
byte-identical files (and the results cache stays valid across regenerations).
"""

from __future__ import annotations

import random
import re
import shutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DOMAINS = (
    "billing", "orders", "inventory", "accounts", "reports", "search", "notifications", "support",
    "analytics", "shipping", "catalog", "auth", "payments", "scheduling", "content", "pricing",
    "warehouse", "invoices", "customers", "returns", "loyalty", "audit", "exports", "webhooks",
)
NOUNS = (
    "order", "invoice", "customer", "product", "shipment", "refund", "coupon", "account", "report",
    "ticket", "payment", "subscription", "address", "supplier", "batch", "event", "user", "review",
)
VERBS = ("load", "build", "apply", "merge", "split", "render", "validate", "sync", "close", "price", "score", "route")
FIELD_TYPES = (("str", '""'), ("int", "0"), ("float", "0.0"), ("bool", "False"), ("str | None", "None"))
OPENAI_MODELS = ("gpt-5.5", "gpt-5.4-mini", "gpt-4.1-mini", "gpt-4o", "gpt-5.4", "gpt-4o-mini")
ANTHROPIC_MODELS = ("claude-sonnet-4-6", "claude-haiku-4-5", "claude-opus-4-6", "claude-sonnet-4-5")
GEMINI_MODELS = ("gemini-2.5-flash", "gemini-3.5-flash", "gemini-2.5-pro")
MODULES_PER_PACKAGE = 20
LEGACY_MODELS = ("gpt-3.5-turbo", "gpt-4-turbo", "gpt4o")
SENTENCES = (
    "Answer in the customer's language and keep replies under 150 words.",
    "Use only the facts in the context; when the context does not answer, say so.",
    "Refunds within 14 days of purchase are approved without review.",
    "Orders ship from the nearest warehouse with stock; split shipments are free.",
    "Never reveal another customer's data or internal notes.",
    "Escalate to a person when the customer mentions legal action or a chargeback.",
    "Prices include VAT in the EU and exclude sales tax in the US.",
    "Quote order numbers exactly as they appear, with the leading hash.",
    "Subscriptions renew monthly on the signup date; annual plans renew yearly.",
    "Coupons cannot be combined, and expired coupons are never honoured.",
    "When an item is out of stock, offer the restock date and one alternative.",
    "Business customers can pay by invoice with 30-day terms after a credit check.",
)


@dataclass(frozen=True)
class GeneratedApp:
    """What was written: counts the benchmark reports next to what promptlint found."""

    root: Path
    files: int
    llm_files: tuple[str, ...]  # relative to `root`, sorted
    call_sites: int  # LLM call sites written into `llm_files`


def generate(root: Path, files: int, *, seed: int = 20261127, llm_share: float = 0.05) -> GeneratedApp:
    """Write `files` Python modules under `root/app/` (replacing what was there)."""
    if files < 2:
        raise ValueError("the generated app needs at least 2 files (the client module and one other)")
    rng = random.Random(seed)
    app = root / "app"
    if app.exists():
        shutil.rmtree(app)
    writer = _Writer(root)
    writer.write("app/__init__.py", '"""Generated application for the promptlint benchmark."""\n')
    writer.write("app/llm/__init__.py", '"""LLM clients and helpers."""\n')
    writer.write("app/llm/clients.py", CLIENTS_MODULE)
    llm_target = max(1, round(files * llm_share))
    llm_files: list[str] = []
    call_sites = 0
    index = 0
    while writer.count < files:
        group = index // MODULES_PER_PACKAGE
        domain = DOMAINS[group % len(DOMAINS)]
        package = f"app/{domain}{group // len(DOMAINS):02d}"
        if not (root / package / "__init__.py").exists():
            writer.write(f"{package}/__init__.py", f'"""The {domain} package."""\n')
            continue
        name = f"{package}/{rng.choice(VERBS)}_{rng.choice(NOUNS)}_{index:05d}.py"
        remaining = files - writer.count
        wanted = llm_target - len(llm_files)
        if wanted > 0 and rng.random() < wanted / remaining:  # exactly `llm_target`, spread evenly
            builder = rng.choice(LLM_BUILDERS)
            source, sites = builder(rng, domain, writer, name)
            writer.write(name, source)
            llm_files.append(name)
            call_sites += sites
        else:
            writer.write(name, rng.choice(PLAIN_BUILDERS)(rng, domain))
        index += 1
    return GeneratedApp(root, writer.count, tuple(sorted(llm_files)), call_sites)


class _Writer:
    """Writes files under the corpus root and counts the Python ones."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.count = 0

    def write(self, relative: str, text: str) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if relative.endswith(".py"):
            self.count += 1


CLIENTS_MODULE = '''"""SDK clients shared by the application."""

from __future__ import annotations

from anthropic import Anthropic, AsyncAnthropic
from google import genai
from openai import AsyncOpenAI, OpenAI

openai_client = OpenAI()
async_openai = AsyncOpenAI()
claude = Anthropic()
async_claude = AsyncAnthropic()
gemini = genai.Client()
'''


# ----------------------------------------------------------------------------- helpers


def _ident(rng: random.Random) -> str:
    return f"{rng.choice(VERBS)}_{rng.choice(NOUNS)}"


def _class_name(rng: random.Random) -> str:
    return "".join(part.capitalize() for part in (rng.choice(NOUNS), rng.choice(("record", "view", "summary", "line", "entry"))))


def _prompt(rng: random.Random, sentences: int) -> str:
    """The lines of a parenthesised string constant holding `sentences` policy sentences."""
    chosen = [rng.choice(SENTENCES) for _ in range(sentences)]
    return "\n".join(f'"{sentence} "' for sentence in chosen)


def _module(docstring: str, imports: list[str], body: str, **inserts: str) -> str:
    """A module from an indented template: `body` is dedented first, then each `@NAME@`
    line is replaced by `inserts["NAME"]`, whose lines are already at column 0 of the body
    and are indented to the placeholder's column."""
    text = textwrap.dedent(body).strip("\n")
    for key, value in inserts.items():
        text = re.sub(
            rf"^([ \t]*)@{key}@$",
            lambda match, value=value: textwrap.indent(value, match.group(1)),
            text,
            flags=re.M,
        )
    head = f'"""{docstring}"""\n\nfrom __future__ import annotations\n\n'
    return head + "\n".join(sorted(set(imports))) + "\n\n\n" + text + "\n"


# ----------------------------------------------------------------------------- LLM modules

LLMBuilder = Callable[[random.Random, str, _Writer, str], tuple[str, int]]


def _openai_chat(rng: random.Random, domain: str, writer: _Writer, name: str) -> tuple[str, int]:
    body = f"""
        SYSTEM_PROMPT = (
            @PROMPT@
        )


        def {_ident(rng)}(question: str) -> str:
            response = openai_client.chat.completions.create(
                model="{rng.choice(OPENAI_MODELS + LEGACY_MODELS[:1])}",
                messages=[
                    {{"role": "system", "content": SYSTEM_PROMPT}},
                    {{"role": "user", "content": question}},
                ],
            )
            return response.choices[0].message.content or ""
    """
    source = _module(
        f"Answers {domain} questions.", ["from app.llm.clients import openai_client"], body,
        PROMPT=_prompt(rng, rng.randint(2, 8)),
    )
    return source, 1


def _openai_handler(rng: random.Random, domain: str, writer: _Writer, name: str) -> tuple[str, int]:
    stream = rng.random() < 0.5
    if stream:
        option = "stream=True,"
        reply = """
            def chunks() -> Iterator[str]:
                for chunk in completion:
                    if chunk.choices and chunk.choices[0].delta.content:
                        yield chunk.choices[0].delta.content

            return StreamingResponse(chunks(), media_type="text/plain")
        """
    else:
        option = "max_completion_tokens=400,"
        reply = 'return {"answer": completion.choices[0].message.content or ""}'
    body = f"""
        router = APIRouter(prefix="/api/{domain}")

        PROMPT = (
            @PROMPT@
        )


        class Body(BaseModel):
            text: str


        @router.post("/ask")
        def ask(body: Body):
            completion = openai_client.chat.completions.create(
                model="{rng.choice(OPENAI_MODELS)}",
                {option}
                messages=[{{"role": "system", "content": PROMPT}}, {{"role": "user", "content": body.text}}],
            )
            @REPLY@
    """
    imports = [
        "from collections.abc import Iterator",
        "from fastapi import APIRouter",
        "from fastapi.responses import StreamingResponse",
        "from pydantic import BaseModel",
        "from app.llm.clients import openai_client",
    ]
    source = _module(
        f"HTTP endpoint for {domain} questions.", imports, body,
        PROMPT=_prompt(rng, rng.randint(1, 4)), REPLY=textwrap.dedent(reply).strip("\n"),
    )
    return source, 1


def _anthropic_policy(rng: random.Random, domain: str, writer: _Writer, name: str) -> tuple[str, int]:
    marker = 'cache_control={"type": "ephemeral"},' if rng.random() < 0.5 else "temperature=0.2,"
    body = f"""
        POLICY = (
            @PROMPT@
        )


        def {_ident(rng)}(ticket: str) -> str:
            response = claude.messages.create(
                model="{rng.choice(ANTHROPIC_MODELS)}",
                max_tokens=800,
                system=POLICY,
                {marker}
                messages=[{{"role": "user", "content": ticket}}],
            )
            return response.content[0].text
    """
    source = _module(
        f"Drafts {domain} replies under the written policy.", ["from app.llm.clients import claude"], body,
        PROMPT=_prompt(rng, rng.randint(20, 120)),
    )
    return source, 1


def _anthropic_stream(rng: random.Random, domain: str, writer: _Writer, name: str) -> tuple[str, int]:
    body = f"""
        bp = Blueprint("{domain}_chat", __name__)

        PROMPT = (
            @PROMPT@
        )


        @bp.route("/chat", methods=["POST"])
        def chat() -> Response:
            message = request.get_json()["message"]

            def generate() -> Iterator[str]:
                with claude.messages.stream(
                    model="{rng.choice(ANTHROPIC_MODELS)}",
                    max_tokens=600,
                    system=PROMPT,
                    messages=[{{"role": "user", "content": message}}],
                ) as stream:
                    yield from stream.text_stream

            return Response(generate(), mimetype="text/plain")
    """
    imports = [
        "from collections.abc import Iterator",
        "from flask import Blueprint, Response, request",
        "from app.llm.clients import claude",
    ]
    return _module(f"Chat endpoint for {domain}.", imports, body, PROMPT=_prompt(rng, rng.randint(2, 6))), 1


def _async_fanout(rng: random.Random, domain: str, writer: _Writer, name: str) -> tuple[str, int]:
    if rng.random() < 0.5:
        gather = """
            results: list[str] = []
            for doc in docs:
                results.append(await _one(doc))
            return results
        """
    else:
        gather = "return list(await asyncio.gather(*(_one(doc) for doc in docs)))"
    body = f"""
        async def _one(doc: str) -> str:
            response = await async_openai.chat.completions.create(
                model="{rng.choice(OPENAI_MODELS)}",
                messages=[{{"role": "user", "content": "Summarise in one sentence: " + doc}}],
            )
            return response.choices[0].message.content or ""


        async def summarize_all(docs: list[str]) -> list[str]:
            @GATHER@
    """
    imports = ["import asyncio", "from app.llm.clients import async_openai"]
    return _module(f"Summaries of {domain} documents.", imports, body, GATHER=textwrap.dedent(gather).strip("\n")), 1


def _litellm_job(rng: random.Random, domain: str, writer: _Writer, name: str) -> tuple[str, int]:
    function = _ident(rng)
    model = rng.choice(("anthropic/claude-haiku-4-5", "openai/gpt-5.4-mini", "gemini/gemini-2.5-flash", "gpt-4o"))
    body = f"""
        def {function}(rows: list[dict[str, str]]) -> list[str]:
            labels = []
            for row in rows:
                response = litellm.completion(
                    model="{model}",
                    max_tokens=5,
                    messages=[{{"role": "user", "content": "Label as positive or negative: " + row["text"]}}],
                )
                labels.append(response.choices[0].message.content.strip())
            return labels


        if __name__ == "__main__":
            with open(sys.argv[1], encoding="utf-8") as handle:
                rows = [json.loads(line) for line in handle]
            for label in {function}(rows):
                print(label)
    """
    return _module(f"Nightly {domain} labelling job.", ["import json", "import sys", "import litellm"], body), 1


def _langchain(rng: random.Random, domain: str, writer: _Writer, name: str) -> tuple[str, int]:
    if rng.random() < 0.5:
        imports = ["from langchain_openai import ChatOpenAI"]
        llm = f'ChatOpenAI(model="{rng.choice(OPENAI_MODELS)}", temperature=0)'
    else:
        imports = ["from langchain_anthropic import ChatAnthropic"]
        llm = f'ChatAnthropic(model="{rng.choice(ANTHROPIC_MODELS)}", max_tokens=500)'
    imports.append("from langchain_core.messages import HumanMessage, SystemMessage")
    body = f"""
        llm = {llm}

        INSTRUCTIONS = (
            @PROMPT@
        )


        def {_ident(rng)}(text: str) -> str:
            result = llm.invoke([SystemMessage(content=INSTRUCTIONS), HumanMessage(content=text)])
            return str(result.content)
    """
    return _module(f"LangChain helpers for {domain}.", imports, body, PROMPT=_prompt(rng, rng.randint(2, 6))), 1


def _gemini(rng: random.Random, domain: str, writer: _Writer, name: str) -> tuple[str, int]:
    body = f"""
        INSTRUCTION = (
            @PROMPT@
        )


        def {_ident(rng)}(text: str) -> str:
            response = gemini.models.generate_content(
                model="{rng.choice(GEMINI_MODELS)}",
                contents=text,
                config=types.GenerateContentConfig(system_instruction=INSTRUCTION, max_output_tokens=300),
            )
            return response.text or ""
    """
    imports = ["from google.genai import types", "from app.llm.clients import gemini"]
    return _module(f"Gemini-backed {domain} helpers.", imports, body, PROMPT=_prompt(rng, rng.randint(2, 10))), 1


def _responses_dated(rng: random.Random, domain: str, writer: _Writer, name: str) -> tuple[str, int]:
    body = f"""
        RULES = (
            @PROMPT@
        )


        def {_ident(rng)}(question: str) -> str:
            response = openai_client.responses.create(
                model="{rng.choice(OPENAI_MODELS)}",
                instructions=f"Today is {{datetime.now():%Y-%m-%d}}. " + RULES,
                input=question,
            )
            return response.output_text
    """
    imports = ["from datetime import datetime", "from app.llm.clients import openai_client"]
    return _module(f"Dated {domain} answers.", imports, body, PROMPT=_prompt(rng, rng.randint(10, 60))), 1


def _few_shot_file_prompt(rng: random.Random, domain: str, writer: _Writer, name: str) -> tuple[str, int]:
    examples = "\n".join(
        f'{{"role": "user", "content": "Example ticket {i}"}},\n{{"role": "assistant", "content": "{rng.choice(NOUNS)}"}},'
        for i in range(rng.randint(2, 9))
    )
    prompt_file = f"{domain}_{name.rsplit('_', 1)[1].removesuffix('.py')}.txt"
    writer.write(
        f"{name.rsplit('/', 1)[0]}/prompts/{prompt_file}",
        "Classify the ticket into one of: " + ", ".join(NOUNS[:8]) + ".\nReply with the label only.\n",
    )
    body = f"""
        SYSTEM = (Path(__file__).parent / "prompts" / "{prompt_file}").read_text(encoding="utf-8")

        EXAMPLES: list[dict[str, str]] = [
            @EXAMPLES@
        ]


        def classify(text: str) -> str:
            response = claude.messages.create(
                model="{rng.choice(ANTHROPIC_MODELS)}",
                max_tokens=5,
                system=SYSTEM,
                messages=[*EXAMPLES, {{"role": "user", "content": text}}],
            )
            return response.content[0].text.strip()
    """
    imports = ["from pathlib import Path", "from app.llm.clients import claude"]
    return _module(f"Few-shot {domain} classifier.", imports, body, EXAMPLES=examples), 1


LLM_BUILDERS: tuple[LLMBuilder, ...] = (
    _openai_chat,
    _openai_handler,
    _anthropic_policy,
    _anthropic_stream,
    _async_fanout,
    _litellm_job,
    _langchain,
    _gemini,
    _responses_dated,
    _few_shot_file_prompt,
)


# ----------------------------------------------------------------------------- plain modules

PlainBuilder = Callable[[random.Random, str], str]


def _dataclasses(rng: random.Random, domain: str) -> str:
    blocks = []
    for _ in range(rng.randint(2, 8)):
        cls = _class_name(rng)
        fields = "\n".join(
            f"    {rng.choice(NOUNS)}_{i}: {kind} = {default}" for i, (kind, default) in enumerate(rng.sample(FIELD_TYPES, 4))
        )
        blocks.append(
            f"@dataclass(frozen=True)\nclass {cls}:\n    id: int\n{fields}\n\n"
            f'    def key(self) -> str:\n        return f"{cls.lower()}:{{self.id}}"\n\n'
            f"    def as_dict(self) -> dict[str, object]:\n        return asdict(self)\n"
        )
    return _module(f"Value objects of the {domain} domain.", ["from dataclasses import asdict, dataclass"], "\n\n".join(blocks))


def _repository(rng: random.Random, domain: str) -> str:
    noun = rng.choice(NOUNS)
    table = f"{domain}_{noun}s"
    queries = {
        "SELECT_BY_ID": f"SELECT id, status, created_at, total FROM {table} WHERE id = ?",
        "SELECT_OPEN": f"SELECT id, status, created_at FROM {table} WHERE status = 'open' ORDER BY created_at DESC LIMIT ?",
        "INSERT": f"INSERT INTO {table} (status, total, created_at) VALUES (?, ?, CURRENT_TIMESTAMP)",
        "UPDATE_STATUS": f"UPDATE {table} SET status = ? WHERE id = ?",
        "DELETE_OLD": f"DELETE FROM {table} WHERE created_at < date('now', '-{rng.randint(30, 400)} days')",
    }
    body = f"""
        @QUERIES@


        def fetch(connection: sqlite3.Connection, {noun}_id: int) -> sqlite3.Row | None:
            return connection.execute(SELECT_BY_ID, ({noun}_id,)).fetchone()


        def open_{noun}s(connection: sqlite3.Connection, limit: int = 50) -> list[sqlite3.Row]:
            return list(connection.execute(SELECT_OPEN, (limit,)))


        def create(connection: sqlite3.Connection, status: str, total: float) -> int:
            cursor = connection.execute(INSERT, (status, total))
            connection.commit()
            return int(cursor.lastrowid or 0)


        def set_status(connection: sqlite3.Connection, {noun}_id: int, status: str) -> None:
            with connection:
                connection.execute(UPDATE_STATUS, (status, {noun}_id))


        def purge(connection: sqlite3.Connection) -> int:
            with connection:
                return connection.execute(DELETE_OLD).rowcount
    """
    constants = "\n".join(f'{key} = "{value}"' for key, value in queries.items())
    return _module(f"SQL access to {table}.", ["import sqlite3"], body, QUERIES=constants)


def _service(rng: random.Random, domain: str) -> str:
    functions = []
    for _ in range(rng.randint(3, 12)):
        factor = rng.choice(("1.0", "1.2", "0.8", "1.19"))
        functions.append(
            f"def {_ident(rng)}(items: list[dict[str, float]], limit: float = {rng.randint(2, 500)}.0) -> dict[str, float]:\n"
            f'    """Totals per key, skipping entries over `limit`."""\n'
            f"    totals: dict[str, float] = defaultdict(float)\n"
            f"    for item in items:\n"
            f"        for key, value in item.items():\n"
            f"            if value > limit:\n"
            f'                log.debug("skipping %s=%s", key, value)\n'
            f"                continue\n"
            f"            totals[key] += round(value * {factor}, 2)\n"
            f"    return dict(sorted(totals.items()))\n"
        )
    return _module(
        f"Business rules of the {domain} domain.",
        ["import logging", "from collections import defaultdict"],
        f'log = logging.getLogger("{domain}")\n\n\n' + "\n\n".join(functions),
    )


def _orm_lookalike(rng: random.Random, domain: str) -> str:
    """`.create(` and `.run(` calls that are no LLM call: the prefilter's second stage drops them."""
    model = _class_name(rng)
    body = f"""
        def place(customer_id: int, lines: list[dict[str, int]]) -> int:
            record = {model}.objects.create(customer_id=customer_id, line_count=len(lines))
            for line in lines:
                record.lines.create(product_id=line["product"], quantity=line["quantity"])
            subprocess.run(["logger", f"{domain} record {{record.pk}}"], check=False)
            return record.pk


        def archive(before: str) -> int:
            return {model}.objects.filter(created__lt=before).update(archived=True)
    """
    imports = ["import subprocess", f"from app.{domain}_models import {model}"]
    return _module(f"Persistence for {domain} (Django ORM).", imports, body)


def _utilities(rng: random.Random, domain: str) -> str:
    patterns = [rng.choice((r"\d{4}-\d{2}-\d{2}", r"[A-Z]{2}\d{6}", r"#\d+", r"[\w.+-]+@[\w-]+\.\w+")) for _ in range(4)]
    body = f"""
        @PATTERNS@


        def slug(text: str) -> str:
            return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


        def parse_amount(text: str) -> Decimal:
            cleaned = text.replace(",", "").replace("$", "").strip()
            return Decimal(cleaned or "0")


        def chunks(items: list[str], size: int = {rng.randint(10, 500)}) -> list[list[str]]:
            return [items[i : i + size] for i in range(0, len(items), size)]


        def load(path: str) -> dict[str, object]:
            \"\"\"Reads settings; mentions of openai or anthropic in text make no LLM call.\"\"\"
            with open(path, encoding="utf-8") as handle:
                return json.load(handle)
    """
    regexes = "\n".join(f'PATTERN_{i} = re.compile(r"{pattern}")' for i, pattern in enumerate(patterns))
    imports = ["import json", "import re", "from decimal import Decimal"]
    return _module(f"Helpers for {domain}.", imports, body, PATTERNS=regexes)


def _client_importer(rng: random.Random, domain: str) -> str:
    """Imports the project's client module but calls nothing that runs a model."""
    body = """
        def available_models() -> list[str]:
            return sorted(model.id for model in openai_client.models.list())


        def healthy() -> bool:
            try:
                return bool(available_models())
            except Exception:
                return False
    """
    return _module(f"Health checks for {domain}.", ["from app.llm.clients import openai_client"], body)


# Weighted by repetition: one plain module in 41 imports the client module without calling a model.
PLAIN_BUILDERS: tuple[PlainBuilder, ...] = (
    _dataclasses, _dataclasses, _repository, _service, _service, _orm_lookalike, _utilities, _utilities,
) * 5 + (_client_importer,)
