"""Canned-response macros for specialists, generated with LangChain from a topic."""

from __future__ import annotations

from langchain_core.messages import HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI

MACRO_INSTRUCTIONS = (
    "Write a reusable support macro for the topic: a two-sentence answer and the menu path. "
    "Use [first name] where the customer's name goes."
)

# No model: ChatOpenAI falls back to its default.
llm = ChatOpenAI(temperature=0.2, max_tokens=200)


def macro_for(topic: str) -> str:
    # planted: PRM402 the ChatOpenAI() above has no model, so this runs gpt-3.5-turbo, shut down 2026-10-23
    result = llm.invoke([SystemMessage(content=MACRO_INSTRUCTIONS), HumanMessage(content=topic)])
    return str(result.content)
