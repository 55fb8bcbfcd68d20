# SPDX-License-Identifier: MIT
"""The summary's arithmetic: savings of the same tokens counted once (promptlint.savings),
the monthly figure and what it assumes, and one shared prompt reported once, end to end
through the installed `promptlint` command on tests/fixtures/projects/shared_prompt."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from promptlint.output import RenderInput, render
from promptlint.savings import monthly_saving, total_saving
from promptlint.types import Basis, Cost, Diagnostic, Position, Span, Stake

PROMPTLINT = Path(sys.executable).parent / "promptlint"
FIXTURE = Path(__file__).parent / "fixtures" / "projects" / "shared_prompt"
SPAN = Span(Position(1, 1), Position(1, 5))


def priced(code: str, basis: Basis, tokens: int, usd: float | None, model: str | None = "claude-sonnet-4-6") -> Diagnostic:
    stake = Stake(tokens=tokens, exact=False, model=model, basis=basis)
    return Diagnostic(code, code.lower(), "m", "app.py", SPAN, stake=stake, cost=Cost(tokens, model, usd, ""))


# --------------------------------------------------------------------------- arithmetic


def test_cutting_and_caching_the_same_prompt_counts_the_cut_tokens_once() -> None:
    # The numbers: a 4,774-token prompt 2,774 over budget at $3.00 / $0.30 cached.
    cut = priced("PRM101", Basis.INPUT, 2_774, 2_774 * 3.0)  # $8,322
    cache = priced("PRM202", Basis.CACHE_READ, 4_774, 4_774 * 2.7)  # $12,890
    assert total_saving([cut, cache]) == pytest.approx(13_722)
    # = T*p + (C - T)*(p - c): the cut tokens are no longer there to be read from cache
    assert total_saving([cut, cache]) == pytest.approx(2_774 * 3.0 + (4_774 - 2_774) * 2.7)


def test_a_cut_larger_than_the_cached_part_leaves_no_caching_saving_on_top() -> None:
    cut = priced("PRM101", Basis.INPUT, 5_000, 5_000 * 3.0)
    cache = priced("PRM201", Basis.CACHE_READ, 3_000, 3_000 * 2.7)
    assert total_saving([cut, cache]) == pytest.approx(5_000 * 3.0)


def test_stakes_on_different_models_add_up() -> None:
    cut = priced("PRM101", Basis.INPUT, 2_774, 8_322.0, model="gpt-5.5")
    cache = priced("PRM202", Basis.CACHE_READ, 4_774, 12_889.8)
    assert total_saving([cut, cache]) == pytest.approx(8_322.0 + 12_889.8)


def test_swaps_batches_and_costs_without_a_stake_add_as_priced() -> None:
    swap = priced("PRM401", Basis.MODEL_SWAP, 100, 450.0)
    batch = priced("PRM501", Basis.BATCH, 100, 200.0)
    bare = Diagnostic("PRM201", "x", "m", "app.py", SPAN, cost=Cost(1, "claude-sonnet-4-6", 5.0, ""))
    assert total_saving([swap, batch, bare]) == pytest.approx(655.0)


def test_latency_and_unpriced_findings_carry_no_dollars() -> None:
    latency = priced("PRM301", Basis.LATENCY, 0, 0.0)
    unknown = priced("PRM101", Basis.INPUT, 500, None, model="mystery")
    assert total_saving([latency, unknown]) is None
    assert total_saving([latency, unknown, priced("PRM101", Basis.INPUT, 10, 30.0)]) == pytest.approx(30.0)


def test_pooling_one_model_never_overstates_what_the_fixes_save_together() -> None:
    # Two prompts on one model: prompt A cut and cached, prompt B only cached. The truth
    # is A's combination plus B's caching; the pool may count less, never more.
    a_cut, a_cache = priced("PRM101", Basis.INPUT, 1_000, 3_000.0), priced("PRM202", Basis.CACHE_READ, 1_500, 4_050.0)
    b_cache = priced("PRM201", Basis.CACHE_READ, 4_000, 10_800.0)
    truth = total_saving([a_cut, a_cache]) + total_saving([b_cache])
    pooled = total_saving([a_cut, a_cache, b_cache])
    assert pooled <= truth + 1e-9
    assert pooled < 3_000.0 + 4_050.0 + 10_800.0  # and less than the plain sum


def test_the_monthly_figure_scales_the_total() -> None:
    assert monthly_saving(13_722.0, 2_000_000) == pytest.approx(27_444.0)


def test_the_text_summary_shows_the_combined_figure_and_what_the_month_assumes() -> None:
    cut = priced("PRM101", Basis.INPUT, 2_774, 8_322.0)
    cache = priced("PRM202", Basis.CACHE_READ, 4_774, 12_889.8)
    lines = render("text", RenderInput([cut, cache], calls_per_month=2_000_000)).rstrip("\n").splitlines()
    assert lines[-1] == (
        "Fixing all saves ~$13,722 per 1M calls "
        "(~$27,444 per month, assuming 2,000,000 calls a month behind each finding)."
    )


# --------------------------------------------------------------------------- end to end


@pytest.fixture
def shared_prompt(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path / "shared_prompt"))


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PROMPTLINT), "check", "--no-cache", "--exit-zero", *args, "."],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
    )


def test_a_prompt_sent_by_three_calls_in_two_modules_is_one_finding_where_it_is_written(shared_prompt: Path) -> None:
    findings = json.loads(run(shared_prompt, "--output-format", "json", "--select", "PRM101").stdout)
    (finding,) = findings
    assert finding["filename"] == "shop/prompts.py"
    assert "sent by 3 calls: shop/chat.py:13, shop/chat.py:22, shop/email.py:11" in finding["message"]
    assert "over the 2,000-token budget" in finding["message"]
    assert finding["cost"]["model"] == "claude-sonnet-4-6"


def test_the_summary_counts_the_cut_tokens_once(shared_prompt: Path) -> None:
    findings = json.loads(run(shared_prompt, "--output-format", "json").stdout)
    costs = {f["code"]: [] for f in findings}
    for finding in findings:
        costs[finding["code"]].append(finding["cost"])
    assert sorted(costs) == ["PRM101", "PRM201", "PRM202"]
    (cut,) = costs["PRM101"]
    cached = costs["PRM201"] + costs["PRM202"]
    cached_tokens = sum(cost["tokens_per_call"] for cost in cached)
    cached_usd = sum(cost["usd_per_1m_calls"] for cost in cached)
    overlap = min(cut["tokens_per_call"], cached_tokens) * cached_usd / cached_tokens
    expected = cut["usd_per_1m_calls"] + cached_usd - overlap

    text = run(shared_prompt).stdout
    shown = re.search(r"Fixing all saves ~\$([\d,]+) per 1M calls\.", text)
    assert shown, text
    assert float(shown.group(1).replace(",", "")) == pytest.approx(expected, abs=1)
    assert float(shown.group(1).replace(",", "")) < cut["usd_per_1m_calls"] + cached_usd


@pytest.mark.parametrize("given", ["shop/prompts.py", "shop/email.py", "shop/chat.py"])
def test_a_shared_prompt_is_priced_with_every_call_that_sends_it_whichever_files_are_given(
    shared_prompt: Path, given: str
) -> None:
    """email.py sends the handbook to another model than chat.py's two calls: the finding
    names all three calls and is priced with the majority's model, also when pre-commit
    passes only one of the three files."""
    email = shared_prompt / "shop" / "email.py"
    email.write_text(email.read_text(encoding="utf-8").replace('model="claude-sonnet-4-6"', 'model="claude-opus-4-5"'), encoding="utf-8")

    def prm101(*paths: str) -> list[tuple[str, str, dict]]:
        done = subprocess.run(
            [str(PROMPTLINT), "check", "--no-cache", "--exit-zero", "--output-format", "json", "--select", "PRM101", *paths],
            cwd=shared_prompt, capture_output=True, text=True, check=True,
        )
        return [(f["filename"], f["message"], f["cost"]) for f in json.loads(done.stdout)]

    (whole,) = prm101(".")
    assert "sent by 3 calls" in whole[1] and "the model of 2 of them" in whole[1]
    assert whole[2]["model"] == "claude-sonnet-4-6"
    assert prm101(given) == [whole]
