"""The two kinds of failure keystow knows.

Expected problems (bad config, not a repository, an AWS error) raise `FatalError` with a one-line
message and an exit code; only the CLI turns them into output. Anything else is a bug: the CLI
writes a redacted crash report and exits 3.
"""

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class FatalError(Exception):
    """An expected failure: one clear line for the user, and an exit code."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class ConfigError(FatalError):
    """Invalid configuration or rule file (exit 2)."""


class RuleError(ConfigError):
    """A rule that cannot be loaded or compiled (exit 2)."""


class GitError(FatalError):
    """git failed in an expected way: not a repository, unknown revision (exit 2)."""


class NewerFormatError(ConfigError):
    """A file written by a newer keystow in a format this one does not know (exit 2). Reading it
    anyway could silently drop what the newer version recorded."""

    def __init__(self, where: object, what: str, version: int) -> None:
        super().__init__(f"{where}: {what} written by a newer keystow (format {version}); upgrade keystow")
        self.version = version
