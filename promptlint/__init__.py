# SPDX-License-Identifier: MIT
"""promptlint: a static linter and optimizer for the LLM calls in Python code.

The distribution is `promptlint-static` (the name `promptlint` on the package registry is
another project); the command and the import are `promptlint`.
"""

from importlib.metadata import PackageNotFoundError, version

#: The name to `pip install`.
DISTRIBUTION = "promptlint-static"

try:
    __version__ = version(DISTRIBUTION)
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+unknown"
