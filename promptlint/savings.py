# SPDX-License-Identifier: MIT
"""What fixing every finding saves: each finding's priced stake, with the stakes that
price the same tokens twice combined once.

A finding's `Cost` says what fixing that finding alone saves per 1M calls. Two kinds of
fix act on the same tokens of a prompt, and do not add up. With an input price `p` and a
cache-read price `c` per token (one model):

- an `INPUT` stake cuts T tokens: alone it saves `T·p`;
- a `CACHE_READ` stake has C tokens read from the cache instead: alone it saves `C·(p − c)`;
- a token that is cut is not read from the cache either: it saves `p` once, not
  `p + (p − c)`. Doing both saves `T·p + max(C − T, 0)·(p − c)`, the sum of the two less
  `min(T, C)·(p − c)`, counting the cut tokens among the cached ones (the prompt rules
  cut static prompt text, which is what a cache keeps).

A 4,774-token prompt, 2,774 over its budget, on a model at $3.00 / $0.30 cached: the cut
saves $8,322 per 1M calls, caching $12,890, both $13,722.

`MODEL_SWAP` and `BATCH` stakes (and a cost without a stake) are added as priced;
`LATENCY` stakes carry no dollars; a stake whose price is unknown is left out (its finding
says so).

A finding does not record yet which calls its tokens are per call of, so the `INPUT` and
`CACHE_READ` stakes of one model are combined as one pool, as if every cut were on cached
text. Summed over the prompts that really overlap, `min(T₁, C₁) + min(T₂, C₂) ≤
min(T₁ + T₂, C₁ + C₂)`: the pooled figure never overstates what the fixes save together.
The per-token rates come from the findings' own costs (`usd / tokens`), so prices set in
the configuration hold here too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from promptlint.types import Basis, Diagnostic


@dataclass
class _Pool:
    """One model's cut and cached tokens and what each kind saves alone."""

    cut_tokens: int = 0
    cut_usd: float = 0.0
    cached_tokens: int = 0
    cached_usd: float = 0.0
    others_usd: list[float] = field(default_factory=list)

    def saving(self) -> float:
        overlap = 0.0
        if self.cut_tokens and self.cached_tokens:
            per_cached_token = self.cached_usd / self.cached_tokens  # p - c
            overlap = min(self.cut_tokens, self.cached_tokens) * per_cached_token
        return self.cut_usd + self.cached_usd - overlap + sum(self.others_usd)


def total_saving(diagnostics: Iterable[Diagnostic]) -> float | None:
    """What fixing every priced finding saves per 1M calls, overlaps counted once; None
    when no finding has a dollar figure."""
    pools: dict[str | None, _Pool] = {}
    priced = False
    for diagnostic in diagnostics:
        stake, cost = diagnostic.stake, diagnostic.cost
        if cost is None or cost.usd_per_1m_calls is None or (stake is not None and stake.basis is Basis.LATENCY):
            continue
        priced = True
        pool = pools.setdefault(cost.model, _Pool())
        usd = cost.usd_per_1m_calls
        if stake is not None and stake.basis is Basis.INPUT:
            pool.cut_tokens += stake.tokens
            pool.cut_usd += usd
        elif stake is not None and stake.basis is Basis.CACHE_READ and stake.tokens > 0:
            pool.cached_tokens += stake.tokens
            pool.cached_usd += usd
        else:
            pool.others_usd.append(usd)
    if not priced:
        return None
    return sum(pool.saving() for pool in pools.values())


def monthly_saving(per_1m_calls: float, calls_per_month: int) -> float:
    """The per-1M-calls saving at `calls_per_month` calls a month for the calls behind each
    finding (the configuration's one volume applies to each finding's calls alike)."""
    return per_1m_calls * calls_per_month / 1_000_000
