# SPDX-License-Identifier: MIT
"""The project index: module summaries (built with the standard library's `ast`), their
cache on disk, and cycle-safe lookups of names across modules. See docs/architecture.md."""
