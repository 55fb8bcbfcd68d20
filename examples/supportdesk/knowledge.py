"""Help-centre answers and the weekly refresh of article summaries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from supportdesk.clients import async_openai, openai_client
from supportdesk.prompts import KB_ANSWER_PROMPT, SUPPORT_PROMPT


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    body: str


def answer_from_article(question: str, article: Article) -> str:
    response = openai_client.chat.completions.create(
        model="gpt-5.4-mini",
        max_completion_tokens=400,
        messages=[
            # planted: PRM202 a timestamp ahead of the static policy defeats OpenAI's prefix cache
            {"role": "system", "content": f"Current time: {datetime.now().isoformat()}\n\n{SUPPORT_PROMPT}"},
            {"role": "user", "content": f"{KB_ANSWER_PROMPT}\n\n# {article.title}\n\n{article.body}\n\nQuestion: {question}"},
        ],
    )
    return response.choices[0].message.content or ""


async def summarize_articles(articles: list[Article]) -> dict[str, str]:
    """One-line summaries for the help-centre search results."""
    summaries: dict[str, str] = {}
    for article in articles:
        # planted: PRM302 independent requests awaited one at a time inside the loop
        response = await async_openai.chat.completions.create(
            model="gpt-5.4-mini",
            max_completion_tokens=60,
            messages=[
                {"role": "system", "content": "Summarise the help-centre article in one sentence."},
                {"role": "user", "content": article.body},
            ],
        )
        summaries[article.slug] = response.choices[0].message.content or article.title
    return summaries
