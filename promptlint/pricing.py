# SPDX-License-Identifier: MIT
"""Tokens into dollars, from the genai-prices package plus the user's `[tool.promptlint.models]`.

Prices are never typed in here: genai-prices maintains them (with dated price changes),
so a price change is a dependency update, not a code change. Prices are the base tier in
USD per million tokens (long-context surcharges are out of scope for a prompt linter). A
model no source prices gets no dollar figure and the finding says so: never a silent $0.

genai-prices costs ~0.3 s to import, so it is imported on the first lookup only.
"""

from __future__ import annotations

import difflib
import hashlib
import importlib.util
import os
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import astuple, dataclass
from datetime import datetime, timezone
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

from promptlint import __version__, models
from promptlint.price_helper import HelperUnavailable, PriceHelper
from promptlint.types import Basis, Cost, Stake

if TYPE_CHECKING:
    from genai_prices.types import TieredPrices

    from promptlint.config import ModelOverride

#: promptlint's provider names (models.normalize_provider) → genai-prices provider ids.
_GENAI_PROVIDER = {"bedrock": "aws"}

#: Main providers whose genai-prices ids are offered as spelling suggestions.
_SUGGESTION_PROVIDERS = ("openai", "anthropic", "google")
_PLAIN_ID = re.compile(r"^[a-z0-9][a-z0-9.\-]*[a-z0-9]$")


@dataclass(frozen=True)
class ModelPrices:
    """A model's prices in USD per 1M tokens (base tier); cache prices None when unpriced."""

    model_id: str
    provider: str
    input: float
    output: float
    cache_read: float | None
    cache_write: float | None


def lookup(
    model: str,
    provider: str | None = None,
    overrides: Mapping[str, ModelOverride] | None = None,
    when: datetime | None = None,
) -> ModelPrices | None:
    """The prices of `model` (as written in code: provider prefixes and dated ids are fine),
    None when no source prices it.

    `provider` is the vendor or platform serving it (`openai`, `anthropic`, `google`,
    `azure`, `bedrock`, ...). `overrides` are the config's model tables by model id: an
    `alias_of` prices the model as another (an Azure deployment name), explicit prices win
    over looked-up ones. `when` picks the prices in force at that time (default: now).
    """
    if overrides:
        key = _override_key(model, overrides)
        if key is not None:
            override = overrides[key]
            rest = {k: v for k, v in overrides.items() if k != key}  # no alias cycles
            target = override.alias_of or model
            return _apply(override, lookup(target, provider, rest, when), model, provider)
    if when is None and _MEMO is not None:
        return _MEMO.lookup(model, provider)
    return _from_genai_prices(model, provider, when or datetime.now(timezone.utc))


# --------------------------------------------------------------------------- kept between runs


class PriceMemo:
    """genai-prices' answers for today's prices, kept between runs in the results cache
    (`prices.json`): a run that prices only models met before never imports genai-prices,
    which costs about 0.15 s. The memo holds for one UTC day and one installed genai-prices
    (its files' names, sizes and times): a price change on the day it takes effect is seen
    the next day."""

    def __init__(self, data: object = None) -> None:
        self.source = _genai_prices_source()
        valid = isinstance(data, dict) and self.source is not None and data.get("source") == self.source
        entries = data.get("prices") if valid else None  # type: ignore[union-attr]
        spellings = data.get("closest") if valid else None  # type: ignore[union-attr]
        self.entries: dict[str, list | None] = entries if isinstance(entries, dict) else {}
        self.spellings: dict[str, str | None] = spellings if isinstance(spellings, dict) else {}
        self.changed = False

    def closest_known(self, model_id: str) -> str | None:
        found = self.spellings.get(model_id, "")
        if found == "" or not (found is None or isinstance(found, str)):
            found = self.spellings[model_id] = _closest_known(model_id)
            self.changed = True
        return found

    def lookup(self, model: str, provider: str | None) -> ModelPrices | None:
        key = f"{model}\0{provider or ''}"
        if key in self.entries:
            try:
                entry = self.entries[key]
                return None if entry is None else ModelPrices(*entry)
            except TypeError:
                pass  # not an entry this version wrote: look it up again
        found = _from_genai_prices(model, provider, datetime.now(timezone.utc))
        self.entries[key] = None if found is None else list(astuple(found))
        self.changed = True
        return found

    def to_json(self) -> dict:
        return {"source": self.source, "prices": self.entries, "closest": self.spellings}


_MEMO: PriceMemo | None = None


@contextmanager
def remembering(memo: PriceMemo | None) -> Iterator[None]:
    """Within: lookups of today's prices go through `memo` (None: straight to genai-prices)."""
    global _MEMO
    previous, _MEMO = _MEMO, memo
    try:
        yield
    finally:
        _MEMO = previous


# --------------------------------------------------------------------------- imported beside

_HELPER: PriceHelper | None = None


@contextmanager
def imported_beside(wanted: bool) -> Iterator[None]:
    """Within: genai-prices is imported in a process of its own, started now, and today's
    prices are asked there (`price_helper`), when `wanted` and genai-prices is installed
    and not imported in this process yet."""
    global _HELPER
    if not wanted or _HELPER is not None or "genai_prices" in sys.modules or importlib.util.find_spec("genai_prices") is None:
        yield
        return
    with PriceHelper(_answer, _import_genai_prices) as helper:
        _HELPER = helper
        try:
            yield
        finally:
            _HELPER = None


def _import_genai_prices() -> None:
    from genai_prices.data_snapshot import get_snapshot

    get_snapshot()


def _answer(question: list) -> object:
    """The helper's answer to a question `_from_genai_prices` or `_suggestions` asks."""
    if question[0] == "price":
        _, model, provider, when = question
        found = _genai_prices_lookup(model, provider, datetime.fromisoformat(when))
        return None if found is None else list(astuple(found))
    if question[0] == "suggestions":
        return list(_suggestion_ids())
    raise ValueError(f"not a question for genai-prices: {question[0]!r}")


def _genai_prices_source() -> str | None:
    """What identifies the installed genai-prices, found without importing it (that is
    the cost the memo saves): its files' names, sizes and times, with the UTC date and
    promptlint's version."""
    spec = importlib.util.find_spec("genai_prices")
    if spec is None or not spec.submodule_search_locations:
        return None
    parts = [__version__, datetime.now(timezone.utc).date().isoformat()]  # suggestions read rules/ too
    for location in spec.submodule_search_locations:
        try:
            with os.scandir(location) as entries:
                for entry in sorted(entries, key=lambda e: e.name):
                    if entry.is_file():
                        info = entry.stat()
                        parts.append(f"{entry.name}:{info.st_size}:{info.st_mtime_ns}")
        except OSError:
            return None
    return hashlib.blake2b("\n".join(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def is_known_model(model_id: str, overrides: Mapping[str, ModelOverride] | None = None) -> bool:
    """Whether any source knows `model_id`: the config's overrides, rules/models.yaml, or
    genai-prices."""
    if overrides and _override_key(model_id, overrides) is not None:
        return True
    return models.model_info(model_id) is not None or lookup(model_id) is not None


def closest_known(model_id: str) -> str | None:
    """The known model id nearest in spelling to `model_id` (for a likely typo), if any."""
    if _MEMO is not None:
        return _MEMO.closest_known(model_id)
    return _closest_known(model_id)


def _closest_known(model_id: str) -> str | None:
    matches = difflib.get_close_matches(models.split_model_ref(model_id)[1], _suggestions(), n=1, cutoff=0.8)
    return matches[0] if matches else None


def price_stake(stake: Stake, overrides: Mapping[str, ModelOverride] | None = None) -> Cost:
    """What a finding's stake is worth per 1M calls, with the arithmetic in words.

    Per call the stake is tokens x $/token; over 1M calls that is tokens x $ per 1M tokens.
    """
    if stake.basis is Basis.LATENCY:
        return _cost(stake, None, "latency finding")
    count = f"{'' if stake.exact else '~'}{stake.tokens:,} tok"
    if stake.model is None:
        return _cost(stake, None, f"price unknown: the model is not known statically ({count})")
    prices = lookup(stake.model, overrides=overrides)
    if prices is None:
        return _cost(stake, None, f"price unknown for model {stake.model} ({count})")

    if stake.basis is Basis.INPUT:
        return _cost(stake, stake.tokens * prices.input, f"{count} x {_rate(prices.input)}/Mtok input ({stake.model})")

    if stake.basis is Basis.CACHE_READ:
        if prices.cache_read is None:
            return _cost(stake, None, f"no cache-read price known for {stake.model} ({count})")
        saved = prices.input - prices.cache_read
        return _cost(
            stake,
            stake.tokens * saved,
            f"{count} x {_rate(saved)}/Mtok saved by cache reads "
            f"({_rate(prices.input)} input - {_rate(prices.cache_read)} cached, {stake.model})",
        )

    if stake.basis is Basis.MODEL_SWAP:
        return _price_swap(stake, prices, count, overrides)

    return _price_batch(stake, stake.model, prices, count)


def format_usd(value: float) -> str:
    """Dollars for messages: "$8,424" from $100 up, "$0.42" below, "$0.0042" under a cent."""
    sign = "-" if value < 0 else ""
    amount = abs(value)
    if round(amount, 2) >= 100:
        text = f"{amount:,.0f}"
    elif amount >= 0.01 or amount == 0:
        text = f"{amount:,.2f}"
    else:
        text = format(Decimal(f"{amount:.2g}"), "f")  # two significant digits, no exponent
    return f"{sign}${text}"


# --------------------------------------------------------------------------- pricing


def _price_swap(stake: Stake, prices: ModelPrices, count: str, overrides: Mapping[str, ModelOverride] | None) -> Cost:
    if stake.cheaper_model is None:
        return _cost(stake, None, f"no cheaper model named for {stake.model} ({count})")
    cheaper = lookup(stake.cheaper_model, overrides=overrides)
    if cheaper is None:
        return _cost(stake, None, f"price unknown for model {stake.cheaper_model} ({count})")
    usd = stake.tokens * (prices.input - cheaper.input) + stake.output_tokens * (prices.output - cheaper.output)
    ratio = f"{prices.input / cheaper.input:.1f}x" if cheaper.input else "n/a"
    return _cost(
        stake,
        usd,
        f"{count} x ({_rate(prices.input)} - {_rate(cheaper.input)})/Mtok input + "
        f"{stake.output_tokens:,} output tok x ({_rate(prices.output)} - {_rate(cheaper.output)})/Mtok, "
        f"{stake.model} -> {stake.cheaper_model} (input price ratio {ratio})",
    )


def _price_batch(stake: Stake, model: str, prices: ModelPrices, count: str) -> Cost:
    info = models.model_info(model)
    provider = info.provider if info else models.normalize_provider(prices.provider)
    discount = models.batch_discount(provider)
    if discount is None:
        return _cost(stake, None, f"no batch discount known for provider {provider} ({count})")
    full = stake.tokens * prices.input + stake.output_tokens * prices.output
    return _cost(
        stake,
        discount * full,
        f"{discount:.0%} batch discount on {count} x {_rate(prices.input)}/Mtok input + "
        f"{stake.output_tokens:,} output tok x {_rate(prices.output)}/Mtok ({model})",
    )


def _cost(stake: Stake, usd: float | None, assumptions: str) -> Cost:
    return Cost(tokens_per_call=stake.tokens, model=stake.model, usd_per_1m_calls=usd, assumptions=assumptions)


def _rate(price: float) -> str:
    """A per-Mtok price: at least cents, more digits only where they matter ($0.075)."""
    text = f"{price:.6f}".rstrip("0")
    whole, _, fraction = text.partition(".")
    return f"${whole}.{fraction.ljust(2, '0')}"


# --------------------------------------------------------------------------- sources


def _override_key(model: str, overrides: Mapping[str, ModelOverride]) -> str | None:
    """The overrides key for `model`: as written, else its bare id."""
    if model in overrides:
        return model
    bare = models.split_model_ref(model)[1]
    return bare if bare in overrides else None


def _apply(override: ModelOverride, base: ModelPrices | None, model: str, provider: str | None) -> ModelPrices | None:
    """Prices from `base` with the override's explicit prices on top. Without a base, the
    override must give input and output prices itself."""
    if base is None:
        if override.input is None or override.output is None:
            return None
        return ModelPrices(
            model_id=model,
            provider=provider or models.split_model_ref(model)[0] or "custom",
            input=float(override.input),
            output=float(override.output),
            cache_read=override.cache_read,
            cache_write=override.cache_write,
        )
    return ModelPrices(
        model_id=base.model_id,
        provider=base.provider,
        input=base.input if override.input is None else override.input,
        output=base.output if override.output is None else override.output,
        cache_read=base.cache_read if override.cache_read is None else override.cache_read,
        cache_write=base.cache_write if override.cache_write is None else override.cache_write,
    )


def _from_genai_prices(model: str, provider: str | None, when: datetime) -> ModelPrices | None:
    if _HELPER is not None:
        try:
            answer = _HELPER.ask(["price", model, provider, when.isoformat()], valid=lambda answer: answer is None or _are_prices(answer))
            return None if answer is None else ModelPrices(*answer)  # type: ignore[misc]
        except HelperUnavailable:
            pass  # asked here instead
    return _genai_prices_lookup(model, provider, when)


def _are_prices(answer: object) -> bool:
    """Whether a helper's answer holds ModelPrices' fields: two ids, two prices, two
    optional prices."""
    if not (isinstance(answer, list) and len(answer) == 6):
        return False
    number = (int, float)
    return (
        all(isinstance(item, str) for item in answer[:2])
        and all(isinstance(item, number) and not isinstance(item, bool) for item in answer[2:4])
        and all(item is None or isinstance(item, number) and not isinstance(item, bool) for item in answer[4:])
    )


def _genai_prices_lookup(model: str, provider: str | None, when: datetime) -> ModelPrices | None:
    from genai_prices.data_snapshot import get_snapshot

    named, ref = models.split_model_ref(model)
    chosen = models.normalize_provider(provider) if provider else named
    if chosen is None:
        info = models.model_info(model)
        chosen = info.provider if info else None
    snapshot = get_snapshot()
    provider_ids = [_GENAI_PROVIDER.get(chosen, chosen)] if chosen else []
    for provider_id in [*provider_ids, None]:
        try:
            found_provider, found_model = snapshot.find_provider_model(ref, None, provider_id, None)
        except LookupError:
            continue
        prices = found_model.get_prices(when)
        input_price = _base(prices.input_mtok)
        if input_price is None:
            return None
        output_price = _base(prices.output_mtok)
        return ModelPrices(
            model_id=found_model.id,
            provider=found_provider.id,
            input=input_price,
            output=0.0 if output_price is None else output_price,  # embeddings: no output tokens
            cache_read=_base(prices.cache_read_mtok),
            cache_write=_base(prices.cache_write_mtok),
        )
    return None


def _base(price: Decimal | TieredPrices | None) -> float | None:
    """A genai-prices price (Decimal, or TieredPrices whose base tier applies) as a float."""
    if price is None:
        return None
    if isinstance(price, Decimal):
        return float(price)
    return float(price.base)


@cache
def _suggestions() -> tuple[str, ...]:
    """Spellings to suggest: rules/models.yaml ids and the main providers' genai-prices ids."""
    if _HELPER is not None:
        try:
            return tuple(_HELPER.ask(["suggestions"], valid=lambda answer: isinstance(answer, list) and all(isinstance(item, str) for item in answer)))  # type: ignore[arg-type]
        except HelperUnavailable:
            pass  # asked here instead
    return _suggestion_ids()


def _suggestion_ids() -> tuple[str, ...]:
    from genai_prices.data_snapshot import get_snapshot

    ids = set(models.known_model_ids())
    for provider in get_snapshot().providers:
        if provider.id in _SUGGESTION_PROVIDERS:
            ids.update(m.id for m in provider.models if _PLAIN_ID.match(m.id))
    return tuple(sorted(ids))
