"""Ticket storage: the tickets table of the support database, read and written with sqlite3."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

DB_PATH = Path("/var/lib/supportdesk/tickets.db")

SELECT_TICKET = """
SELECT id, organisation_id, customer_email, subject, body, status, created_at
FROM tickets
WHERE id = ?
"""

SELECT_CLOSED_SINCE = """
SELECT id, organisation_id, customer_email, subject, body, status, created_at
FROM tickets
WHERE status = 'closed' AND closed_at >= ?
ORDER BY closed_at
"""

UPDATE_SUMMARY = "UPDATE tickets SET summary = ?, summarised_at = CURRENT_TIMESTAMP WHERE id = ?"


@dataclass(frozen=True)
class Ticket:
    id: str
    organisation_id: str
    customer_email: str
    subject: str
    body: str
    status: str
    created_at: datetime

    def transcript(self) -> str:
        """The text a model sees: subject line, then the customer's message."""
        return f"Subject: {self.subject}\n\n{self.body}"


class TicketNotFound(LookupError):
    """No ticket has the requested id."""


def _connect() -> sqlite3.Connection:
    connection = sqlite3.connect(DB_PATH, detect_types=sqlite3.PARSE_DECLTYPES)
    connection.row_factory = sqlite3.Row
    return connection


def _ticket(row: sqlite3.Row) -> Ticket:
    return Ticket(
        id=row["id"],
        organisation_id=row["organisation_id"],
        customer_email=row["customer_email"],
        subject=row["subject"],
        body=row["body"],
        status=row["status"],
        created_at=row["created_at"],
    )


def load_ticket(ticket_id: str) -> Ticket:
    with _connect() as connection:
        row = connection.execute(SELECT_TICKET, (ticket_id,)).fetchone()
    if row is None:
        raise TicketNotFound(ticket_id)
    return _ticket(row)


def closed_tickets_since(since: datetime) -> Iterator[Ticket]:
    with _connect() as connection:
        for row in connection.execute(SELECT_CLOSED_SINCE, (since,)):
            yield _ticket(row)


def save_summary(ticket_id: str, summary: str) -> None:
    with _connect() as connection:
        connection.execute(UPDATE_SUMMARY, (summary, ticket_id))
