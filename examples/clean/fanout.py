"""Help-centre article summaries, requested concurrently."""

from __future__ import annotations

import asyncio

from clean.clients import async_openai

MAX_IN_FLIGHT = 8


async def _summary(body: str, limit: asyncio.Semaphore) -> str:
    async with limit:
        response = await async_openai.chat.completions.create(
            model="gpt-5.4-mini",
            max_completion_tokens=60,
            messages=[
                {"role": "system", "content": "Summarise the help-centre article in one sentence."},
                {"role": "user", "content": body},
            ],
        )
    return response.choices[0].message.content or ""


async def summarize_articles(bodies: dict[str, str]) -> dict[str, str]:
    limit = asyncio.Semaphore(MAX_IN_FLIGHT)
    summaries = await asyncio.gather(*(_summary(body, limit) for body in bodies.values()))
    return dict(zip(bodies, summaries))
