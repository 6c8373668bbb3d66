"""Click wiring for `keystow scan` (the logic is keystow.commands.scan)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from keystow.cli.options import SEVERITY_CHOICE, parse_size_option
from keystow.report import FORMATS


@click.command()
@click.argument("paths", nargs=-1)
@click.option("--staged", is_flag=True, help="Scan staged content (the pre-commit path).")
@click.option("--history", is_flag=True, help="Scan every unique blob reachable from any ref.")
@click.option("--range", "range_", metavar="BASE..HEAD", help="Scan blobs introduced by commits in a range.")
@click.option("--since", metavar="REV", help="Scan blobs introduced by commits since REV.")
@click.option("--pre-push", is_flag=True, help="Read pre-push ref lines on stdin; scan the commits being pushed.")
@click.option("--remote", "push_remote", metavar="NAME",
              help="With --pre-push: the remote pushed to; only its branches count as already pushed.")
@click.option("--format", "format_", type=click.Choice(FORMATS), default="text", show_default=True,
              envvar="KEYSTOW_FORMAT", show_envvar=True, help="Report format (jsonl: one finding per line).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to FILE.")
@click.option("--show-secrets", is_flag=True, help="Print secrets in full (default: redacted).")
@click.option("--redact", "redact_keep", type=click.IntRange(0, 64), metavar="N",
              help="Characters of each secret shown when redacted (default 4; never more than a quarter of it).")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="KEYSTOW_CONFIG",
    show_envvar=True,
    help="Config file (default: the nearest .keystow.toml, or [tool.keystow] in pyproject.toml).",
)
@click.option("--max-file-size", metavar="SIZE", help="Skip files larger than SIZE (default 10MiB).")
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Baseline file (default .keystow-baseline.json).",
)
@click.option("--no-baseline", is_flag=True, help="Report baselined findings too.")
@click.option("--no-inline-allow", is_flag=True, help="Ignore keystow:allow and similar comments (audits).")
@click.option(
    "--fail-on",
    type=SEVERITY_CHOICE,
    default="low",
    show_default=True,
    envvar="KEYSTOW_FAIL_ON",
    show_envvar=True,
    help="Lowest severity that fails the run.",
)
@click.option(
    "--exit-code",
    "findings_exit_code",
    type=click.IntRange(1, 125),
    default=1,
    show_default=True,
    metavar="N",
    help="Exit code when findings fail the run (not 2 or 3: those mean usage and internal errors).",
)
@click.option(
    "--min-confidence",
    type=click.Choice(["low", "medium", "high"]),
    default="medium",
    show_default=True,
    help="Lowest confidence reported; low also lists weak passwords under password names (audits).",
)
@click.option("--no-cache", is_flag=True, help="History: rescan every blob.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Worker processes for history scans (default: usable cores - 1, at least 1).",
)
@click.option("--engine", type=click.Choice(["auto", "hyperscan", "re"]), default="auto", hidden=True)
@click.option("--color/--no-color", default=None)
@click.option(
    "--verbose", "-v", is_flag=True, help="List every location of a finding, and skipped binary and oversized files."
)
@click.option("--recurse-submodules", is_flag=True, help="Path scans: also scan checked-out submodules.")
@click.option("--no-ignore", is_flag=True,
              help="Path scans: also scan files .gitignore hides (a path named here is scanned anyway).")
@click.option("--verify", is_flag=True, help="Ask each credential's own provider whether it is live (network; opt-in).")
@click.option("--only-verified", is_flag=True, help="Report only credentials verified active (implies --verify).")
@click.option(
    "--fail-on-verified", is_flag=True, help="Exit 1 only when a credential is verified active (implies --verify)."
)
@click.option(
    "--trust-head-config",
    is_flag=True,
    help="--range/--pre-push: use the config, baseline and allow comments of the changes under review "
    "(default: those of the base revision; for trusted pipelines only).",
)
@click.option(
    "--allow-skipped",
    is_flag=True,
    help="--range/--pre-push: pass although changed files were skipped (too large or binary).",
)
@click.option(
    "--log-opts",
    metavar="OPTIONS",
    help="History/range: extra git log options that narrow the walk, e.g. '--since=2024-01-01 --author=x' "
    "(allowed: --since/--until/--after/--before/--author/--committer/--max-count/--skip/--grep=..., "
    "--no-merges, --first-parent).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress display and no summary line on stderr.")
def scan(
    paths,
    staged,
    history,
    range_,
    since,
    pre_push,
    push_remote,
    format_,
    output,
    show_secrets,
    config_file,
    max_file_size,
    baseline,
    no_baseline,
    no_inline_allow,
    fail_on,
    findings_exit_code,
    min_confidence,
    no_cache,
    jobs,
    engine,
    color,
    verbose,
    recurse_submodules,
    no_ignore,
    verify,
    only_verified,
    fail_on_verified,
    trust_head_config,
    allow_skipped,
    log_opts,
    quiet,
    redact_keep,
):
    """Scan files, staged changes, a commit range or all of history for secrets.

    Exit codes: 0 nothing found, 1 findings, 2 usage or configuration error, 3 internal error.
    """
    # late: click callback: `keystow <other command>` and the hook do not load this command's modules
    from keystow.commands.scan import ScanOptions, run_scan

    options = ScanOptions(
        paths=tuple(paths) or (".",),
        format=format_,
        output=output,
        show_secrets=show_secrets,
        config_file=config_file,
        max_file_size=parse_size_option(max_file_size),
        engine=engine,
        inline_allow=not no_inline_allow,
        fail_on=fail_on,
        color=color,
        verbose=verbose,
        staged=staged,
        history=history,
        range=range_,
        since=since,
        pre_push=pre_push,
        push_remote=push_remote or None,
        use_cache=not no_cache,
        jobs=jobs,
        baseline=baseline,
        use_baseline=not no_baseline,
        recurse_submodules=recurse_submodules,
        no_ignore=no_ignore,
        verify=verify,
        only_verified=only_verified,
        fail_on_verified=fail_on_verified,
        trust_head_config=trust_head_config,
        allow_skipped=allow_skipped,
        min_confidence=min_confidence,
        quiet=quiet,
        findings_exit_code=findings_exit_code,
        log_options=tuple(shlex.split(log_opts)) if log_opts else (),
        redact=redact_keep,
    )
    sys.exit(run_scan(options))
