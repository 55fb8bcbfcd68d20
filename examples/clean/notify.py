"""Tells a customer by text message that their ticket has a reply.

`client.messages.create` below is Twilio's SMS API, not an LLM call.
"""

from __future__ import annotations

import os

from twilio.rest import Client

from clean.clients import claude
from clean.prompts import SMS_PROMPT


def sms_text(subject: str) -> str:
    response = claude.messages.create(
        model="claude-haiku-4-5",
        max_tokens=80,
        system=SMS_PROMPT,
        messages=[{"role": "user", "content": f"Ticket subject: {subject}"}],
    )
    return response.content[0].text


def notify_customer(phone: str, subject: str) -> str:
    client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])
    message = client.messages.create(to=phone, from_=os.environ["TWILIO_FROM_NUMBER"], body=sms_text(subject))
    return message.sid
