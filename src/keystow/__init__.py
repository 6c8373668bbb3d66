"""keystow: find hardcoded credentials in Git repositories and move them into AWS stores."""

__version__ = "0.1.0"
# Where keystow's source lives, named in SARIF and GitLab reports. keystow is not published on
# PyPI: an organisation builds it from its own mirror and sets this to that mirror's URL
# (README, "Where keystow lives"); the placeholder never points at a page that is not keystow.
PROJECT_URL = "https://github.com/your-org/keystow"


def resolve(reference: str) -> str:
    """Resolve `ssm:/path` or `secretsmanager:name#key` to its value (cached per process)."""
    # late: every entry point (the hook's too) imports keystow; only applications calling resolve() need the runtime
    from keystow.runtime.resolve import resolve as _resolve

    return _resolve(reference)
