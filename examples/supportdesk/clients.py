"""The SDK clients, created once per process and shared by every module.

One client per provider keeps connection pools warm and puts timeouts and retries in one
place. Keys come from the environment (ANTHROPIC_API_KEY, OPENAI_API_KEY).
"""

from __future__ import annotations

from anthropic import Anthropic
from openai import AsyncOpenAI, OpenAI

claude = Anthropic(max_retries=3, timeout=60.0)
openai_client = OpenAI(max_retries=3, timeout=60.0)
async_openai = AsyncOpenAI(max_retries=3, timeout=60.0)
