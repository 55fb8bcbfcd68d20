"""Nightly job: summarise the tickets closed since the last run for the weekly review.

Run by cron at 02:00: `python -m supportdesk.jobs --since 2026-11-26`.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from supportdesk.clients import claude
from supportdesk.prompts import SUMMARY_PROMPT
from supportdesk.tickets import Ticket, closed_tickets_since, save_summary

log = logging.getLogger("supportdesk.jobs")


def summarize_closed_tickets(tickets: Iterable[Ticket]) -> int:
    done = 0
    for ticket in tickets:
        # planted: PRM501 one request per ticket in a cron job nobody waits on; the Batches API costs half
        response = claude.messages.create(
            model="claude-haiku-4-5",
            max_tokens=300,
            system=SUMMARY_PROMPT,
            messages=[{"role": "user", "content": ticket.transcript()}],
        )
        save_summary(ticket.id, response.content[0].text)
        done += 1
    return done


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--since", type=datetime.fromisoformat, default=None, help="ISO date; default: 24 hours ago")
    return parser.parse_args()


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    args = _parse_args()
    since = args.since or datetime.now() - timedelta(days=1)
    count = summarize_closed_tickets(closed_tickets_since(since))
    log.info("summarised %d tickets closed since %s", count, since.isoformat())


if __name__ == "__main__":
    main()
