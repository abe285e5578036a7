"""The exceptions a user can meet, each with a message fit to print."""

from __future__ import annotations

from pathlib import Path


class BriefingError(Exception):
    """Anything the CLI reports as a one-line message and exit code 1."""


class ConfigError(BriefingError):
    """Settings that cannot be used; all problems are collected first."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("Invalid settings:\n  " + "\n  ".join(problems))


class ArticleError(BriefingError):
    """One article that cannot be used; the build goes on with the others."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"Error processing article '{self.path}': {reason}")


class OwnershipError(BriefingError):
    """The generator was about to overwrite a file it did not write."""
