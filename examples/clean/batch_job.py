"""Nightly ticket summaries through the Message Batches API (half price, results within 24 h).

Run by cron: `python -m clean.batch_job tickets.jsonl`; a second run with `--collect BATCH_ID`
stores the results once the batch has ended.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from pathlib import Path

from clean.clients import claude
from clean.prompts import SUMMARY_PROMPT


def summary_requests(tickets: Iterable[dict[str, str]]) -> list[dict[str, object]]:
    return [
        {
            "custom_id": ticket["id"],
            "params": {
                "model": "claude-haiku-4-5",
                "max_tokens": 300,
                "system": SUMMARY_PROMPT,
                "messages": [{"role": "user", "content": ticket["transcript"]}],
            },
        }
        for ticket in tickets
    ]


def submit(tickets_file: Path) -> str:
    with tickets_file.open(encoding="utf-8") as lines:
        tickets = [json.loads(line) for line in lines if line.strip()]
    batch = claude.messages.batches.create(requests=summary_requests(tickets))
    return batch.id


def collect(batch_id: str, out: Path) -> int:
    written = 0
    with out.open("w", encoding="utf-8") as sink:
        for result in claude.messages.batches.results(batch_id):
            if result.result.type == "succeeded":
                text = result.result.message.content[0].text
                sink.write(json.dumps({"id": result.custom_id, "summary": text}) + "\n")
                written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("tickets", type=Path, nargs="?")
    parser.add_argument("--collect", metavar="BATCH_ID")
    parser.add_argument("--out", type=Path, default=Path("summaries.jsonl"))
    args = parser.parse_args()
    if args.collect:
        print(f"wrote {collect(args.collect, args.out)} summaries to {args.out}")
    elif args.tickets:
        print(f"submitted batch {submit(args.tickets)}")
    else:
        parser.error("give a tickets file to submit, or --collect BATCH_ID")


if __name__ == "__main__":
    main()
