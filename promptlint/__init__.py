# SPDX-License-Identifier: MIT
"""promptlint: a static linter and optimizer for the LLM calls in Python code."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("promptlint")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+unknown"
