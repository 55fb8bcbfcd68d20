"""Short, static prompts. The long support policy is shared with supportdesk.prompts."""

from __future__ import annotations

import textwrap

PRIORITY_PROMPT = "Label the ticket's priority. Reply with one word: low, normal or urgent."

SPAM_PROMPT = "Is this support ticket spam? Answer yes or no."

SUMMARY_PROMPT = (
    "Summarise the support ticket for the specialist who takes it over: the customer's goal, "
    "what was tried, what they were told, and what is still open. Four sentences at most."
)

SMS_PROMPT = "Write a text message under 160 characters telling the customer their ticket has a reply."

# Three examples, within the 3-5 Anthropic recommends.
CATEGORY_FEW_SHOT: list[dict[str, str]] = [
    {"role": "user", "content": "I was charged twice this month."},
    {"role": "assistant", "content": "billing"},
    {"role": "user", "content": "My bank transactions stopped showing up on Tuesday."},
    {"role": "assistant", "content": "bank-feeds"},
    {"role": "user", "content": "I cannot sign in after changing my phone."},
    {"role": "assistant", "content": "access"},
]


def handover_instructions() -> str:
    """Multi-line prompt written inside a function, dedented so no indentation reaches the model."""
    return textwrap.dedent(
        """\
        You write the handover note for a ticket that moves to a specialist.
        State what the customer wants, what the assistant checked, and what it told them.
        End with the tag on its own line. Stay under 80 words.
        """
    )
