"""keystow: find hardcoded credentials in Git repositories and move them into AWS stores."""

__version__ = "0.1.0"


def resolve(reference: str) -> str:
    """Resolve `ssm:/path` or `secretsmanager:name#key` to its value (cached per process)."""
    # late: every entry point (the hook's too) imports keystow; only applications calling resolve() need the runtime
    from keystow.runtime.resolve import resolve as _resolve

    return _resolve(reference)
