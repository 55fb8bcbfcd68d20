# SPDX-License-Identifier: MIT
"""rules/models.yaml: its schema, its agreement with tiktoken and genai-prices, and how
model ids as written in code match its entries."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from promptlint import models
from promptlint.data import load_yaml
from promptlint.pricing import lookup
from promptlint.tokens import encoding_for

DOC: dict[str, Any] = load_yaml("models.yaml")
MODELS: dict[str, dict[str, Any]] = DOC["models"]
AS_OF = dt.date.fromisoformat(DOC["as_of"])
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

REQUIRED = {"provider", "family", "tier", "tokenizer", "source", "as_of"}
OPTIONAL = {
    "cheaper", "aliases", "cache_min_tokens", "cache_read_multiplier", "cache_write_multiplier",
    "shutdown", "deprecated", "replacement", "note",
}
PROVIDER_KEYS = {
    "batch_discount", "cache_min_tokens", "cache_read_multiplier", "cache_write_multiplier",
    "estimate_factor", "source", "as_of",
}

# Every model in provider facts §7 (price tables, cheaper siblings, deprecation list).
FACTS_SECTION_7 = [
    "claude-fable-5", "claude-fable-5-2", "claude-mythos-5-2", "claude-opus-5-5", "claude-opus-5",
    "claude-opus-4-5", "claude-opus-4-6", "claude-opus-4-7", "claude-opus-4-8", "claude-opus-4",
    "claude-opus-4-1", "claude-sonnet-5-5", "claude-sonnet-5", "claude-sonnet-4-5", "claude-sonnet-4-6",
    "claude-sonnet-4", "claude-haiku-5-5", "claude-haiku-4-5", "claude-3-5-haiku", "claude-mythos-preview",
    "gpt-6-astra", "gpt-6.2-astra", "gpt-6.2-sol", "gpt-6.1-sol", "gpt-6-sol", "gpt-6.1-terra", "gpt-6-luna",
    "gpt-5.6-sol", "gpt-5.6-terra", "gpt-5.6-luna", "gpt-5.5", "gpt-5.5-pro", "gpt-5", "gpt-5-mini",
    "gpt-5-nano", "gpt-5.4-mini", "gpt-5.4-nano", "gpt-5.1", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano",
    "gpt-4o", "gpt-4o-mini", "o1", "o3", "o3-mini", "o4-mini", "gpt-4-turbo", "gpt-4", "gpt-3.5-turbo",
    "gpt-4o-2024-05-13", "chatgpt-4o-latest", "o1-mini", "o1-preview", "gpt-5-chat-latest", "gpt-5.1-codex",
    "gemini-4-argon", "gemini-3.1-pro-preview", "gemini-3.8-flash", "gemini-3.5-flash",
    "gemini-3.5-flash-lite", "gemini-3.1-flash-lite", "gemini-2.5-pro", "gemini-2.5-flash",
    "gemini-2.5-flash-lite", "gemini-3-pro-preview", "gemini-2.0-flash", "gemini-2.0-flash-lite",
]


def _sourced(entry: dict[str, Any], where: str) -> None:
    assert entry.get("source"), f"{where}: no source"
    assert all(key in DOC["sources"] for key in entry["source"]), f"{where}: undefined source key"
    assert isinstance(entry.get("as_of"), str) and DATE.match(entry["as_of"]), f"{where}: as_of must be YYYY-MM-DD"


def test_top_level_sections() -> None:
    assert set(DOC) == {"as_of", "sources", "estimates", "providers", "models"}
    assert all(isinstance(v, str) and v for v in DOC["sources"].values())
    _sourced(DOC["estimates"], "estimates")
    assert DOC["estimates"]["default_factor"] > 0


@pytest.mark.parametrize("name", sorted(DOC["providers"]))
def test_provider_entries(name: str) -> None:
    entry = DOC["providers"][name]
    assert set(entry) <= PROVIDER_KEYS
    _sourced(entry, name)
    assert 0 < entry["batch_discount"] < 1
    assert entry["estimate_factor"] > 0


@pytest.mark.parametrize("model_id", sorted(MODELS))
def test_model_entry_schema(model_id: str) -> None:
    entry = MODELS[model_id]
    assert REQUIRED <= set(entry) <= REQUIRED | OPTIONAL, set(entry) ^ REQUIRED
    _sourced(entry, model_id)
    assert entry["provider"] in DOC["providers"]
    assert entry["tier"] in models.TIERS
    assert entry["tokenizer"] in {"estimate", "o200k_base", "cl100k_base"}
    for key in ("cheaper", "replacement"):
        if key in entry:
            assert entry[key] in MODELS and entry[key] != model_id, f"{model_id}: {key} {entry[key]!r}"
    if "shutdown" in entry:
        assert isinstance(entry["shutdown"], dt.date) and "replacement" in entry
    if "replacement" in entry:
        assert "shutdown" in entry or entry.get("deprecated") is True, f"{model_id}: replacement without a retirement"
    assert isinstance(entry.get("deprecated", False), bool)
    if entry.get("cache_min_tokens") is not None:
        assert isinstance(entry["cache_min_tokens"], int) and entry["cache_min_tokens"] > 0
    for key in ("cache_read_multiplier", "cache_write_multiplier"):
        if entry.get(key) is not None:
            assert 0 < entry[key] <= 2.5
    assert all(isinstance(a, str) and a not in MODELS for a in entry.get("aliases", ()))


@pytest.mark.parametrize("model_id", sorted(m for m in MODELS if MODELS[m]["provider"] == "anthropic"))
def test_every_claude_model_has_a_cache_minimum(model_id: str) -> None:
    # PRM201 compares a static prefix with this number: it must never be missing for a
    # Claude model that serves. A retired model may have none, its note saying why.
    info = models.model_info(model_id)
    assert info is not None
    if info.cache_min_tokens is None:
        assert info.is_retired(AS_OF) and info.note, f"{model_id}: no cache minimum"
        return
    assert info.cache_min_tokens > 0
    assert info.cache_read_multiplier is not None and info.cache_write_multiplier is not None


@pytest.mark.parametrize("model_id", sorted(MODELS))
def test_suggestions_are_not_retired(model_id: str) -> None:
    for target in (MODELS[model_id].get("cheaper"), MODELS[model_id].get("replacement")):
        if target is not None:
            shutdown = MODELS[target].get("shutdown")
            assert shutdown is None or shutdown > AS_OF, f"{model_id} suggests {target}, shut down {shutdown}"


@pytest.mark.parametrize("model_id", sorted(m for m in MODELS if "cheaper" in MODELS[m]))
def test_cheaper_sibling_is_cheaper(model_id: str) -> None:
    this, cheaper = lookup(model_id), lookup(MODELS[model_id]["cheaper"])
    if this is None or cheaper is None:
        pytest.skip("not priced by genai-prices")
    assert cheaper.input < this.input and cheaper.output <= this.output


@pytest.mark.parametrize("model_id", sorted(MODELS))
def test_cache_multipliers_agree_with_genai_prices(model_id: str) -> None:
    info, prices = models.model_info(model_id), lookup(model_id)
    if info is None or prices is None:
        pytest.skip("not priced by genai-prices")
    if prices.cache_read is not None:
        assert info.cache_read_multiplier == pytest.approx(prices.cache_read / prices.input)
    if prices.cache_write is not None:
        assert info.cache_write_multiplier == pytest.approx(prices.cache_write / prices.input)


@pytest.mark.parametrize("model_id", sorted(MODELS))
def test_tokenizer_agrees_with_tiktoken(model_id: str) -> None:
    tokenizer = MODELS[model_id]["tokenizer"]
    assert encoding_for(model_id) == (None if tokenizer == "estimate" else tokenizer)


@pytest.mark.parametrize("model_id", FACTS_SECTION_7)
def test_provider_facts_models_are_covered(model_id: str) -> None:
    assert model_id in MODELS


# --------------------------------------------------------------------------- accessors


@pytest.mark.parametrize(
    ("written", "entry"),
    [
        ("claude-sonnet-4-5", "claude-sonnet-4-5"),
        ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5"),
        ("anthropic/claude-sonnet-4-5-20250929", "claude-sonnet-4-5"),
        ("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5"),
        ("bedrock/anthropic.claude-haiku-4-5-20251001-v1:0", "claude-haiku-4-5"),
        ("vertex_ai/claude-sonnet-4-5@20250929", "claude-sonnet-4-5"),
        ("claude-opus-4-20250514", "claude-opus-4"),
        ("claude-opus-4-0", "claude-opus-4"),
        ("claude-opus-4-1-20250805", "claude-opus-4-1"),
        ("claude-3-5-haiku-latest", "claude-3-5-haiku"),
        ("gpt-4o-2024-08-06", "gpt-4o"),
        ("gpt-4o-2024-05-13", "gpt-4o-2024-05-13"),  # the longest match wins
        ("gpt-4o-mini-2024-07-18", "gpt-4o-mini"),
        ("openai:gpt-5.5", "gpt-5.5"),
        ("GPT-4o", "gpt-4o"),
        ("models/gemini-2.5-flash-001", "gemini-2.5-flash"),
        ("google-gla:gemini-2.5-pro", "gemini-2.5-pro"),
        ("openrouter/anthropic/claude-opus-4-5", "claude-opus-4-5"),
        # OpenAI -MMDD snapshots belong to their family unless listed on their own
        ("gpt-4-0613", "gpt-4"),
        ("gpt-4-1106-preview", "gpt-4"),
        ("gpt-3.5-turbo-0125", "gpt-3.5-turbo"),
        ("gpt-4-0314", "gpt-4-0314"),
        ("gpt-3.5-turbo-16k-0613", "gpt-3.5-turbo-0613"),
        ("gpt-3.5-turbo-16k", "gpt-3.5-turbo-0613"),
        ("gpt-3.5-turbo-1106", "gpt-3.5-turbo-1106"),
        # undated ids of their own: "-preview" is not a snapshot suffix of gpt-4-turbo
        ("gpt-4-turbo-preview", "gpt-4-turbo-preview"),
        ("gpt-4-0125-preview", "gpt-4-turbo-preview"),
        ("gpt-4-32k-0613", "gpt-4-32k"),
        ("gpt-4-vision-preview", "gpt-4-vision-preview"),
        ("text-davinci-003", "text-davinci-003"),
        ("text-ada-001", "text-babbage-001"),
        # retired Claude and Gemini ids, dated or not
        ("claude-3-5-sonnet-20241022", "claude-3-5-sonnet"),
        ("claude-3-5-sonnet-20240620", "claude-3-5-sonnet"),
        ("anthropic/claude-3-5-sonnet-latest", "claude-3-5-sonnet"),
        ("claude-3-7-sonnet-20250219", "claude-3-7-sonnet"),
        ("claude-3-opus-20240229", "claude-3-opus"),
        ("claude-3-haiku-20240307", "claude-3-haiku"),
        ("claude-2.1", "claude-2.1"),
        ("claude-instant-1.2", "claude-instant-1.2"),
        ("claude-instant-1", "claude-instant-1.2"),
        ("gemini-1.0-pro", "gemini-1.0-pro"),
        ("gemini-pro", "gemini-1.0-pro"),
        ("gemini-1.5-pro-002", "gemini-1.5-pro"),
        ("models/gemini-1.5-flash-latest", "gemini-1.5-flash"),
        ("gemini-1.5-flash-8b-001", "gemini-1.5-flash-8b"),
    ],
)
def test_model_info_matching(written: str, entry: str) -> None:
    info = models.model_info(written)
    assert info is not None and info.id == entry


@pytest.mark.parametrize(
    "written",
    ["claude-opus-4-9", "gpt-5.2", "gpt-4o-audio-preview", "gpt-4.5-preview", "llama-3", "gpt-4-turbo-preview-2", "davinci-002"],
)
def test_model_info_does_not_guess(written: str) -> None:
    assert models.model_info(written) is None


@pytest.mark.parametrize(
    ("written", "shutdown"),
    [  # the openai SDK's ChatModel "Deprecated values" list (OSDK)
        ("gpt-4-turbo-preview", dt.date(2026, 3, 26)),
        ("gpt-4-0125-preview", dt.date(2026, 3, 26)),
        ("gpt-4-0314", dt.date(2026, 3, 26)),
        ("gpt-4-32k-0314", dt.date(2025, 6, 6)),
        ("gpt-4-vision-preview", dt.date(2024, 12, 6)),
        ("gpt-3.5-turbo-0301", dt.date(2024, 9, 13)),
        ("gpt-3.5-turbo-1106", dt.date(2026, 9, 28)),
        ("gpt-4-1106-preview", dt.date(2026, 10, 23)),
        ("chatgpt-4o-latest", dt.date(2026, 2, 17)),
    ],
)
def test_openai_snapshot_shutdowns(written: str, shutdown: dt.date) -> None:
    info = models.model_info(written)
    assert info is not None and info.shutdown == shutdown


def test_model_info_fills_provider_defaults() -> None:
    sonnet = models.model_info("claude-sonnet-4-5")
    assert sonnet is not None
    assert sonnet.cache_read_multiplier == DOC["providers"]["anthropic"]["cache_read_multiplier"]
    assert sonnet.cache_write_multiplier == DOC["providers"]["anthropic"]["cache_write_multiplier"]
    gpt = models.model_info("gpt-5.5")
    assert gpt is not None and gpt.cache_min_tokens == DOC["providers"]["openai"]["cache_min_tokens"]
    old = models.model_info("gpt-4")
    assert old is not None and old.cache_min_tokens is None  # explicit null beats the default


def test_tiers_and_retirement() -> None:
    opus, haiku, o3 = (models.model_info(m) for m in ("claude-opus-4-5", "claude-haiku-4-5", "o3"))
    assert opus is not None and haiku is not None and o3 is not None
    assert opus.is_premium and o3.is_premium and not haiku.is_premium
    assert opus.shutdown is not None
    assert not opus.is_retired(opus.shutdown - dt.timedelta(days=1))
    assert opus.is_retired(opus.shutdown)
    assert not haiku.is_retired(dt.date(2100, 1, 1))


def test_known_model_ids() -> None:
    ids = models.known_model_ids()
    assert ids == sorted(MODELS)


@pytest.mark.parametrize("provider", ["openai", "anthropic", "google", "gemini", "vertex_ai", "Google"])
def test_batch_discount(provider: str) -> None:
    assert models.batch_discount(provider) == DOC["providers"][models.normalize_provider(provider)]["batch_discount"]


def test_batch_discount_unknown_provider() -> None:
    assert models.batch_discount("bedrock") is None
    assert models.batch_discount("someone-else") is None


@pytest.mark.parametrize(
    ("written", "split"),
    [
        ("anthropic/claude-x", ("anthropic", "claude-x")),
        ("openrouter/anthropic/claude-x", ("anthropic", "claude-x")),
        ("openai:gpt-5.5", ("openai", "gpt-5.5")),
        ("google-vertex:gemini-2.5-pro", ("google", "gemini-2.5-pro")),
        ("models/gemini-2.5-pro", (None, "gemini-2.5-pro")),
        ("ft:gpt-4o-mini:acme::abc123", (None, "ft:gpt-4o-mini:acme::abc123")),
        ("us.anthropic.claude-sonnet-4-5-20250929-v1:0", ("bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0")),
        ("gpt-4o", (None, "gpt-4o")),
    ],
)
def test_split_model_ref(written: str, split: tuple[str | None, str]) -> None:
    assert models.split_model_ref(written) == split


@pytest.mark.parametrize(
    ("model_id", "shutdown"),
    [
        ("claude-2.1", "2025-07-21"),
        ("claude-instant-1.2", "2024-11-06"),
        ("claude-3-opus-20240229", "2026-01-05"),
        ("claude-3-5-sonnet-20241022", "2025-10-28"),
        ("claude-3-7-sonnet-20250219", "2026-02-19"),
        ("text-davinci-003", "2024-01-04"),
        ("gemini-1.0-pro", "2025-04-09"),
        ("gemini-1.5-pro", "2025-09-24"),
        ("gpt-4-0613", "2026-10-23"),
    ],
)
def test_older_ids_are_retired_with_a_sourced_date(model_id: str, shutdown: str) -> None:
    info = models.model_info(model_id)
    assert info is not None and info.shutdown == dt.date.fromisoformat(shutdown)
    assert info.source and info.replacement is not None


def test_current_model_follows_replacements_past_a_day() -> None:
    # gpt-4o-mini serves on 2026-12-01 but not 90 days later; its replacement does.
    assert models.current_model("gpt-4o-mini", dt.date(2026, 12, 1)).id == "gpt-4o-mini"
    assert models.current_model("gpt-4o-mini", dt.date(2027, 3, 1)).id == "gpt-6-luna"
    assert models.current_model("claude-3-5-sonnet-20241022", dt.date(2026, 12, 1)).id == "claude-sonnet-5-5"
    # deprecated without a date: not current either
    assert models.current_model("gemini-2.0-flash", dt.date(2026, 12, 1)).id == "gemini-2.5-flash"
