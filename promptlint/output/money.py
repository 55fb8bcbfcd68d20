# SPDX-License-Identifier: MIT
"""Dollar amounts as reports print them: approximate, rounded to what the estimate supports."""

from __future__ import annotations


def approx_usd(value: float) -> str:
    """`~$8,424`, `~$12.50`, `<$0.01` or `$0`.

    Costs rest on token estimates and list prices, so cents only show below $100, and a
    non-zero amount too small to print says so instead of rounding to a misleading `$0.00`.
    """
    if value == 0:
        return "$0"
    sign = "-" if value < 0 else ""
    amount = abs(value)
    if amount < 0.01:
        return ">-$0.01" if sign else "<$0.01"
    if amount >= 100:
        return f"~{sign}${amount:,.0f}"
    return f"~{sign}${amount:,.2f}"


def format_count(value: int) -> str:
    """An integer with thousands separators: `3,120`."""
    return f"{value:,}"
