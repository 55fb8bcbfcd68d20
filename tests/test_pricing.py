# SPDX-License-Identifier: MIT
"""Pricing: genai-prices lookups, config overrides, and the engine's pricing of stakes.

Live price values change with genai-prices releases, so the tests assert structure and
relationships; only `test_snapshot_prices` pins values (those of genai-prices 0.2.3).
"""

from __future__ import annotations

from datetime import datetime, timezone
from importlib.metadata import version

import pytest
from genai_prices import Usage
from genai_prices.data_snapshot import get_snapshot

from promptlint import models
from promptlint.config import ModelOverride
from promptlint.pricing import (
    ModelPrices,
    closest_known,
    format_usd,
    is_known_model,
    lookup,
    price_stake,
)
from promptlint.types import Basis, Stake

PRICED = ["claude-sonnet-4-5", "claude-haiku-4-5", "gpt-4o", "gpt-5.5", "gemini-2.5-pro", "gemini-2.5-flash"]


def _prices(model: str) -> ModelPrices:
    prices = lookup(model)
    assert prices is not None, model
    return prices


@pytest.mark.parametrize("model", PRICED)
def test_lookup_structure(model: str) -> None:
    prices = _prices(model)
    assert prices.model_id == model
    assert prices.provider == models.model_info(model).provider  # type: ignore[union-attr]
    assert 0 < prices.input < prices.output
    assert prices.cache_read is not None and 0 < prices.cache_read < prices.input


@pytest.mark.parametrize("model", ["gpt-5.5", "claude-sonnet-4-5", "gemini-2.5-pro"])
def test_tiered_prices_use_the_base_tier(model: str) -> None:
    # genai-prices' own calculation for a small request (below every tier threshold).
    calc = get_snapshot().calc(Usage(input_tokens=1000, output_tokens=1000), model, None, None, None)
    prices = _prices(model)
    assert float(calc.input_price) == pytest.approx(1000 * prices.input / 1e6)
    assert float(calc.output_price) == pytest.approx(1000 * prices.output / 1e6)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5"),
        ("anthropic/claude-sonnet-4-5", "claude-sonnet-4-5"),
        ("anthropic:claude-haiku-4-5", "claude-haiku-4-5"),
        ("openai:gpt-5.5", "gpt-5.5"),
        ("gpt-4o-2024-08-06", "gpt-4o"),
        ("models/gemini-2.5-pro", "gemini-2.5-pro"),
        ("gemini/gemini-2.5-flash", "gemini-2.5-flash"),
        ("vertex_ai/claude-sonnet-4-5@20250929", "claude-sonnet-4-5"),
    ],
)
def test_written_forms_price_like_the_canonical_id(written: str, canonical: str) -> None:
    found, expected = _prices(written), _prices(canonical)
    assert (found.input, found.output, found.cache_read) == (expected.input, expected.output, expected.cache_read)


def test_platform_providers() -> None:
    azure = lookup("gpt-4o", "azure")
    assert azure is not None and azure.provider == "azure"
    bedrock = lookup("us.anthropic.claude-sonnet-4-5-20250929-v1:0")
    assert bedrock is not None and bedrock.provider == "aws"
    assert lookup("chatgpt-4o-latest") is not None  # provider found through rules/models.yaml


@pytest.mark.parametrize("model", ["not-a-model-xyz", "gpt-4o-mnii", ""])
def test_unknown_model_is_none(model: str) -> None:
    assert lookup(model) is None


# --------------------------------------------------------------------------- overrides


def test_explicit_override_price_wins() -> None:
    base = _prices("gpt-4o")
    prices = lookup("gpt-4o", overrides={"gpt-4o": ModelOverride(input=base.input / 2)})
    assert prices is not None
    assert prices.input == base.input / 2
    assert (prices.output, prices.cache_read) == (base.output, base.cache_read)


def test_alias_of_prices_a_deployment_as_its_model() -> None:
    overrides = {"prod-chat": ModelOverride(alias_of="gpt-4o")}
    prices = lookup("prod-chat", overrides=overrides)
    assert prices is not None
    assert (prices.model_id, prices.input, prices.output) == ("gpt-4o", _prices("gpt-4o").input, _prices("gpt-4o").output)
    # LiteLLM writes Azure deployments as azure/<deployment>
    assert lookup("azure/prod-chat", overrides=overrides) is not None
    assert lookup("prod-chat") is None


def test_alias_with_explicit_price() -> None:
    prices = lookup("prod-chat", overrides={"prod-chat": ModelOverride(alias_of="gpt-4o", cache_read=0.01)})
    assert prices is not None and prices.cache_read == 0.01 and prices.input == _prices("gpt-4o").input


def test_custom_model_needs_input_and_output() -> None:
    custom = lookup("in-house-llm", overrides={"in-house-llm": ModelOverride(input=0.5, output=1.5)})
    assert custom == ModelPrices("in-house-llm", "custom", 0.5, 1.5, None, None)
    assert lookup("in-house-llm", overrides={"in-house-llm": ModelOverride(input=0.5)}) is None


def test_alias_cycle_is_unknown_not_a_recursion_error() -> None:
    overrides = {"a": ModelOverride(alias_of="b"), "b": ModelOverride(alias_of="a")}
    assert lookup("a", overrides=overrides) is None


# --------------------------------------------------------------------------- price_stake


def test_price_input() -> None:
    prices = _prices("claude-sonnet-4-5")
    cost = price_stake(Stake(1083, True, "claude-sonnet-4-5", Basis.INPUT))
    assert cost.tokens_per_call == 1083 and cost.model == "claude-sonnet-4-5"
    assert cost.usd_per_1m_calls == pytest.approx(1083 * prices.input)
    assert "1,083 tok" in cost.assumptions and "input" in cost.assumptions


def test_price_cache_read() -> None:
    prices = _prices("claude-sonnet-4-5")
    cost = price_stake(Stake(3120, False, "claude-sonnet-4-5", Basis.CACHE_READ))
    assert cost.usd_per_1m_calls == pytest.approx(3120 * (prices.input - prices.cache_read))  # type: ignore[operator]
    assert cost.assumptions.startswith("~3,120 tok")  # an estimate says so
    assert "cache reads" in cost.assumptions


def test_cache_read_without_a_price_is_unknown() -> None:
    overrides = {"in-house-llm": ModelOverride(input=1.0, output=2.0)}
    cost = price_stake(Stake(5000, True, "in-house-llm", Basis.CACHE_READ), overrides)
    assert cost.usd_per_1m_calls is None
    assert "no cache-read price" in cost.assumptions


def test_price_model_swap() -> None:
    expensive, cheap = _prices("gpt-5.5"), _prices("gpt-5.4-mini")
    stake = Stake(2000, True, "gpt-5.5", Basis.MODEL_SWAP, output_tokens=400, cheaper_model="gpt-5.4-mini")
    cost = price_stake(stake)
    expected = 2000 * (expensive.input - cheap.input) + 400 * (expensive.output - cheap.output)
    assert cost.usd_per_1m_calls == pytest.approx(expected)
    assert f"{expensive.input / cheap.input:.1f}x" in cost.assumptions
    assert "gpt-5.5 -> gpt-5.4-mini" in cost.assumptions


def test_model_swap_to_an_unpriced_model_is_unknown() -> None:
    stake = Stake(2000, True, "gpt-5.5", Basis.MODEL_SWAP, output_tokens=400, cheaper_model="not-a-model-xyz")
    cost = price_stake(stake)
    assert cost.usd_per_1m_calls is None and "not-a-model-xyz" in cost.assumptions


def test_price_batch() -> None:
    prices = _prices("claude-haiku-4-5")
    discount = models.batch_discount("anthropic")
    assert discount is not None
    cost = price_stake(Stake(800, True, "claude-haiku-4-5", Basis.BATCH, output_tokens=200))
    assert cost.usd_per_1m_calls == pytest.approx(discount * (800 * prices.input + 200 * prices.output))
    assert f"{discount:.0%} batch discount" in cost.assumptions


def test_latency_has_no_dollars() -> None:
    cost = price_stake(Stake(900, True, "gpt-4o", Basis.LATENCY))
    assert cost.usd_per_1m_calls is None and cost.assumptions == "latency finding"


@pytest.mark.parametrize("model", ["not-a-model-xyz", None])
def test_unknown_model_never_prices_as_zero(model: str | None) -> None:
    cost = price_stake(Stake(900, True, model, Basis.INPUT))
    assert cost.usd_per_1m_calls is None
    assert "unknown" in cost.assumptions
    if model:
        assert model in cost.assumptions


def test_price_stake_applies_overrides() -> None:
    cost = price_stake(Stake(1000, True, "prod-chat", Basis.INPUT), {"prod-chat": ModelOverride(input=2.0, output=4.0)})
    assert cost.usd_per_1m_calls == pytest.approx(2000.0)


# --------------------------------------------------------------------------- ids and formatting


def test_is_known_model() -> None:
    assert is_known_model("gpt-6.2-sol")  # rules/models.yaml only (not in genai-prices 0.2.x)
    assert is_known_model("claude-3-7-sonnet-20250219")  # genai-prices only
    assert is_known_model("anthropic/claude-sonnet-4-5-20250929")
    assert is_known_model("prod-chat", {"prod-chat": ModelOverride(alias_of="gpt-4o")})
    assert not is_known_model("gpt-4o-mnii")
    assert not is_known_model("prod-chat")


@pytest.mark.parametrize(
    ("typo", "suggestion"),
    [("gpt-4o-mnii", "gpt-4o-mini"), ("claude-sonet-4-5", "claude-sonnet-4-5"), ("openai:gpt5.5", "gpt-5.5")],
)
def test_closest_known(typo: str, suggestion: str) -> None:
    assert closest_known(typo) == suggestion


def test_closest_known_gives_up_on_unrelated_names() -> None:
    assert closest_known("my-company-bot") is None


@pytest.mark.parametrize(
    ("value", "text"),
    [(8424.3, "$8,424"), (41100, "$41,100"), (0.42, "$0.42"), (12.5, "$12.50"), (99.999, "$100"),
     (0.0042, "$0.0042"), (1e-7, "$0.0000001"), (0, "$0.00"), (-12.5, "-$12.50")],
)
def test_format_usd(value: float, text: str) -> None:
    assert format_usd(value) == text


@pytest.mark.skipif(version("genai-prices") != "0.2.3", reason="pins the prices of genai-prices 0.2.3")
def test_snapshot_prices() -> None:
    # Values of genai-prices 0.2.3 (provider facts §7), resolved before Gemini 4 Argon's
    # 2026-12-01 price change.
    when = datetime(2026, 11, 27, tzinfo=timezone.utc)
    assert lookup("claude-sonnet-4-5", when=when) == ModelPrices("claude-sonnet-4-5", "anthropic", 3.0, 15.0, 0.3, 3.75)
    assert lookup("gpt-4o", when=when) == ModelPrices("gpt-4o", "openai", 2.5, 10.0, 1.25, None)
    assert lookup("gpt-5.5", when=when) == ModelPrices("gpt-5.5", "openai", 5.0, 30.0, 0.5, None)
    assert lookup("gemini-4-argon", when=when) == ModelPrices("gemini-4-argon", "google", 2.0, 10.0, 0.1, None)
    later = lookup("gemini-4-argon", when=datetime(2026, 12, 2, tzinfo=timezone.utc))
    assert later is not None and (later.input, later.output) == (4.0, 20.0)
    assert lookup("gpt-6.2-sol") is None


# --------------------------------------------------------------------------- kept between runs


def test_a_memo_of_todays_prices_answers_without_genai_prices(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json
    import subprocess
    import sys

    from promptlint.pricing import PriceMemo, remembering

    memo = PriceMemo()
    with remembering(memo):
        priced, spelling, unknown = lookup("gpt-4o"), closest_known("gpt4o"), lookup("no-such-model-anywhere")
    assert memo.changed and priced == lookup("gpt-4o") and spelling == closest_known("gpt4o") and unknown is None
    saved = tmp_path / "prices.json"
    saved.write_text(json.dumps(memo.to_json()), encoding="utf-8")
    script = (
        "import json, sys\n"
        "from promptlint.pricing import PriceMemo, remembering, lookup, closest_known\n"
        f"memo = PriceMemo(json.loads(open({str(saved)!r}).read()))\n"
        "with remembering(memo):\n"
        "    print(json.dumps([list(vars(lookup('gpt-4o')).values()), closest_known('gpt4o'), lookup('no-such-model-anywhere'), memo.changed, 'genai_prices' in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == [list(vars(priced).values()), spelling, None, False, False]


def test_a_memo_of_another_day_or_install_is_not_used() -> None:
    from promptlint.pricing import PriceMemo, remembering

    planted = {"source": "another day", "prices": {"gpt-4o\0": ["gpt-4o", "openai", 999.0, 999.0, None, None]}, "closest": {}}
    memo = PriceMemo(planted)
    with remembering(memo):
        assert lookup("gpt-4o").input != 999.0
    current = PriceMemo()
    current_planted = {**planted, "source": current.source}
    with remembering(PriceMemo(current_planted)):
        assert lookup("gpt-4o").input == 999.0  # the memo is what answers for its own source
        assert lookup("gpt-4o", when=datetime(2025, 1, 1, tzinfo=timezone.utc)).input != 999.0  # a dated lookup is not today's
