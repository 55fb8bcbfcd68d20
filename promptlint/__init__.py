# SPDX-License-Identifier: MIT
"""promptlint: a static linter and optimizer for the LLM calls in Python code.

The distribution is `promptlint-static` (the name `promptlint` on the package registry is
another project); the command and the import are `promptlint`.
"""

#: The name to `pip install`.
DISTRIBUTION = "promptlint-static"

#: The one place the version is written: the build reads it from here (pyproject.toml,
#: `[tool.hatch.version]`). Not read back from the installed metadata, whose import
#: (`importlib.metadata`) was a third of the start-up time of `promptlint --version`.
__version__ = "0.1.0"
