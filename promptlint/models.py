# SPDX-License-Identifier: MIT
"""Model facts from rules/models.yaml: tier, cheaper sibling, cache minimum, retirement.

Prices are not here (see pricing.py); this module answers "what is this model" for a model
id as written in code, which may carry a provider prefix (`anthropic/claude-…` for LiteLLM,
`openai:gpt-5.5` for pydantic-ai and LangChain, `models/gemini-…` for google-genai, the
Bedrock `us.anthropic.…-v1:0` form) or a snapshot suffix (`-2024-08-06`, `-20250929`,
`@20250929`, OpenAI's `-0613` and `-1106-preview`, Google's `-001`). Both are normalised here so every consumer matches ids the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from promptlint.data import load_yaml

TIERS = ("flagship", "reasoning", "balanced", "small")
PREMIUM_TIERS = frozenset({"flagship", "reasoning"})

#: Provider names as written in prefixes and SDK settings, folded onto one name each.
_PROVIDER_ALIASES = {
    "gemini": "google",
    "google-gla": "google",
    "google-vertex": "google",
    "google_genai": "google",
    "google_vertexai": "google",
    "vertex": "google",
    "vertexai": "google",
    "vertex_ai": "google",
    "vertex_ai_beta": "google",
    "aws": "bedrock",
    "bedrock_converse": "bedrock",
    "amazon": "bedrock",
    "azure_openai": "azure",
    "azure-openai": "azure",
    "azure_ai": "azure",
}

#: `provider:model` prefixes (pydantic-ai, LangChain's init_chat_model) worth stripping;
#: other colons belong to the id (`ft:gpt-4o…`, Bedrock's `-v1:0`).
_COLON_PREFIXES = frozenset(
    {"openai", "anthropic", "google", "bedrock", "azure", "groq", "mistral", "mistralai",
     "cohere", "deepseek", "openrouter", "xai", "ollama", "together", "fireworks", "litellm",
     "huggingface", "cerebras"}
    | set(_PROVIDER_ALIASES)
)

#: Bedrock model ids: optional cross-region prefix, then the vendor (`us.anthropic.claude-…`).
_BEDROCK_ID = re.compile(r"^(?:[a-z]{2,7}\.)?anthropic\.")

#: What may follow a known id in a dated or versioned snapshot id.
_SNAPSHOT_SUFFIX = re.compile(
    r"(?:-\d{4}-\d{2}-\d{2}|-\d{8}|@\d{8}|-latest|-\d{4}(?:-preview)?|-\d{3}|-v\d+(?::\d+)?)+"
)


@dataclass(frozen=True)
class ModelInfo:
    """One entry of rules/models.yaml, provider defaults filled in.

    `cache_min_tokens` is the shortest prompt the provider caches (None: no prompt caching);
    the multipliers are relative to the base input price (None: no cache price known).
    `shutdown` is the day the model stops (or stopped) serving; `deprecated` is set for a
    deprecation without an announced date. `tokenizer` is a tiktoken encoding name or
    "estimate". `source` holds keys of the file's `sources` table.
    """

    id: str
    provider: str
    family: str
    tier: str
    cheaper: str | None
    tokenizer: str
    cache_min_tokens: int | None
    cache_read_multiplier: float | None
    cache_write_multiplier: float | None
    shutdown: dt.date | None
    deprecated: bool
    replacement: str | None
    source: tuple[str, ...]
    as_of: str
    note: str | None

    @property
    def is_premium(self) -> bool:
        """Flagship and reasoning models: the ones a cheaper sibling may stand in for."""
        return self.tier in PREMIUM_TIERS

    def is_retired(self, today: dt.date) -> bool:
        return self.shutdown is not None and self.shutdown <= today

    def serves_until(self, day: dt.date) -> bool:
        """Whether the model still serves on `day`: not shut down by then and not
        deprecated (a deprecated model's shutdown may be announced any day)."""
        return not self.deprecated and not self.is_retired(day)


def normalize_provider(name: str) -> str:
    """A provider name as promptlint spells it (`vertex_ai` → `google`, `aws` → `bedrock`)."""
    lowered = name.lower()
    return _PROVIDER_ALIASES.get(lowered, lowered)


def split_model_ref(model: str) -> tuple[str | None, str]:
    """Split a model reference into (provider named in it, bare model id), lower-cased.

    `anthropic/claude-x` and `openrouter/anthropic/claude-x` → ("anthropic", "claude-x");
    `openai:gpt-5.5` → ("openai", "gpt-5.5"); `models/gemini-2.5-pro` → (None, …).
    """
    provider: str | None = None
    ref = model.strip().lower()
    if "/" in ref:
        parts = ref.split("/")
        ref = parts[-1]
        if parts[0] != "models":
            provider = parts[-2] if len(parts) > 2 and parts[-2] != "models" else parts[0]
    head, colon, rest = ref.partition(":")
    if colon and head in _COLON_PREFIXES and rest:
        provider, ref = head, rest
    if provider is None and _BEDROCK_ID.match(ref):
        provider = "bedrock"
    return (normalize_provider(provider) if provider else None), ref


def model_info(model_id: str) -> ModelInfo | None:
    """The facts for `model_id` (any spelling `split_model_ref` accepts), None if unlisted."""
    _, ref = split_model_ref(model_id)
    ref = _BEDROCK_ID.sub("", ref)
    index = _index()
    if ref in index:
        return index[ref]
    for key in _keys_longest_first():
        if ref.startswith(key) and _SNAPSHOT_SUFFIX.fullmatch(ref, len(key)):
            return index[key]
    return None


def current_model(model_id: str, until: dt.date) -> ModelInfo | None:
    """The model to suggest for `model_id` when the suggestion must still serve on
    `until`: its own entry if it does, else its `replacement`, followed while that stops
    serving too. None when the chain ends in a model that stops serving (or loops)."""
    info = model_info(model_id)
    seen: set[str] = set()
    while info is not None and not info.serves_until(until):
        seen.add(info.id)
        if info.replacement is None or info.replacement in seen:
            return None
        info = model_info(info.replacement)
    return info


def known_model_ids() -> list[str]:
    """The canonical ids in rules/models.yaml, sorted."""
    return sorted(_entries())


def batch_discount(provider: str) -> float | None:
    """The fraction a provider's batch API takes off (0.5 = half price), None if it has none
    that the data knows of."""
    entry = _providers().get(normalize_provider(provider))
    return None if entry is None else entry.get("batch_discount")


def estimate_factor(model: str | None) -> float:
    """How many of the model's tokens one `estimate_encoding()` token stands for."""
    provider: str | None = None
    if model:
        info = model_info(model)
        provider = info.provider if info else split_model_ref(model)[0]
    entry = _providers().get(provider or "")
    if entry is not None and entry.get("estimate_factor") is not None:
        return float(entry["estimate_factor"])
    return float(_document()["estimates"]["default_factor"])


def estimate_encoding() -> str:
    """The tiktoken encoding that estimates are counted with."""
    return str(_document()["estimates"]["base_encoding"])


# --------------------------------------------------------------------------- loading


def _document() -> dict[str, Any]:
    return load_yaml("models.yaml")


def _providers() -> dict[str, dict[str, Any]]:
    return _document()["providers"]


@cache
def _entries() -> dict[str, ModelInfo]:
    providers = _providers()
    return {
        model_id: _build(model_id, entry, providers[entry["provider"]])
        for model_id, entry in _document()["models"].items()
    }


@cache
def _index() -> dict[str, ModelInfo]:
    """Every id and alias → its entry."""
    index = dict(_entries())
    for model_id, entry in _document()["models"].items():
        for alias in entry.get("aliases", ()):
            index[alias] = index[model_id]
    return index


@cache
def _keys_longest_first() -> tuple[str, ...]:
    return tuple(sorted(_index(), key=len, reverse=True))


def _build(model_id: str, entry: dict[str, Any], provider: dict[str, Any]) -> ModelInfo:
    def inherited(key: str) -> Any:
        return entry[key] if key in entry else provider.get(key)

    read = inherited("cache_read_multiplier")
    write = inherited("cache_write_multiplier")
    return ModelInfo(
        id=model_id,
        provider=entry["provider"],
        family=entry["family"],
        tier=entry["tier"],
        cheaper=entry.get("cheaper"),
        tokenizer=entry["tokenizer"],
        cache_min_tokens=inherited("cache_min_tokens"),
        cache_read_multiplier=None if read is None else float(read),
        cache_write_multiplier=None if write is None else float(write),
        shutdown=entry.get("shutdown"),
        deprecated=bool(entry.get("deprecated", False)),
        replacement=entry.get("replacement"),
        source=tuple(entry["source"]),
        as_of=str(entry["as_of"]),
        note=entry.get("note"),
    )
