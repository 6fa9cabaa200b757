"""The assistant's errors, each with the exit code the CLI uses and a one-line message.

AssistantError (1)
├── UsageError (2)          bad question, bad option value, unreadable input file
├── IndexMissingError (3)   no index yet: run `assistant index build`
├── IndexStaleError (4)     built from another corpus, model or parser version
├── IndexCorruptError (5)   files truncated, altered or from different builds
├── IndexWriteError (6)     the index folder cannot be written (read-only, disk full, locked)
└── ModelError (7)          the embedding model cannot be found or loaded
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base class: `str(error)` is a single line a user can act on."""

    exit_code = 1


class UsageError(AssistantError):
    exit_code = 2


class IndexMissingError(AssistantError):
    exit_code = 3


class IndexStaleError(AssistantError):
    exit_code = 4


class IndexCorruptError(AssistantError):
    exit_code = 5


class IndexWriteError(AssistantError):
    exit_code = 6


class ModelError(AssistantError):
    exit_code = 7
