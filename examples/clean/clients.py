"""Shared SDK clients, one per provider and flavour, created at import."""

from __future__ import annotations

from anthropic import Anthropic, AsyncAnthropic
from openai import AsyncOpenAI, OpenAI

claude = Anthropic(max_retries=3, timeout=60.0)
async_claude = AsyncAnthropic(max_retries=3, timeout=60.0)
openai_client = OpenAI(max_retries=3, timeout=60.0)
async_openai = AsyncOpenAI(max_retries=3, timeout=60.0)
