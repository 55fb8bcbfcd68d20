"""Translation of replies for customers who write in a language the specialist does not read."""

from __future__ import annotations

import litellm

from supportdesk.clients import claude

SUPPORTED = ("en", "es", "fr", "de", "pt", "nl")


def detect_language(text: str) -> str:
    response = litellm.completion(
        # planted: PRM403 "gpt4o" is no model id (gpt-4o was meant)
        model="gpt4o",
        max_tokens=3,
        messages=[
            {"role": "system", "content": "Reply with the ISO 639-1 code of the text's language."},
            {"role": "user", "content": text},
        ],
    )
    return response.choices[0].message.content.strip().lower()


def translate_reply(reply: str, language: str) -> str:
    if language not in SUPPORTED:
        raise ValueError(f"unsupported language {language!r}; expected one of {', '.join(SUPPORTED)}")
    response = claude.messages.create(
        # planted: PRM403 typo for a Sonnet id; no price source knows "claude-3-5-sonet"
        model="claude-3-5-sonet",
        max_tokens=800,
        system="Translate the support reply into the language whose ISO 639-1 code is given. Keep menu paths in English.",
        messages=[{"role": "user", "content": f"Language: {language}\n\n{reply}"}],
    )
    return response.content[0].text
