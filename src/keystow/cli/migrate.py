"""Click wiring for `keystow migrate` (the logic is keystow.commands.migrate)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

FILE = click.Path(dir_okay=False, path_type=Path)


def _tags(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for value in values:
        key, sep, tag_value = value.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{value!r} is not K=V", param_hint="--tag")
        pairs.append((key, tag_value))
    return tuple(pairs)


@click.command("migrate")
@click.argument("path", required=False, default=".", type=click.Path(path_type=Path))
@click.option("--to", "store", type=click.Choice(["ssm", "secretsmanager"]), default="ssm", show_default=True)
@click.option("--prefix", metavar="/APP/ENV", help="Name prefix (default: /<repository name>).")
@click.option("--kms-key-id", metavar="KEY", help="KMS key id, ARN or alias (default: the AWS-managed key).")
@click.option("--tag", "tags", multiple=True, metavar="K=V", help="Extra tag on every entry (repeatable).")
@click.option("--region", metavar="R")
@click.option("--endpoint-url", metavar="URL", help="AWS endpoint (e.g. a local moto server).")
@click.option("--allow-advanced-tier", is_flag=True, help="Allow SSM Advanced tier for values over 4 KB (costs money).")
@click.option("--overwrite", is_flag=True, help="Add a new version where an entry holds a different value.")
@click.option("--apply", "apply_", is_flag=True, help="Carry out the plan.")
@click.option("--plan", "plan_file", type=FILE, help="Apply this reviewed plan file.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.option("--resume", type=FILE, metavar="JOURNAL", help="Complete an interrupted run.")
@click.option("--rollback", type=FILE, metavar="JOURNAL", help="Restore every file a run changed.")
@click.option("--emit-iam-policy", type=FILE, metavar="FILE", help="Write a read-only IAM policy for the targets.")
@click.option("--rotation-lambda", metavar="ARN", help="Secrets Manager: rotation Lambda to configure.")
@click.option("--rotate-days", type=click.IntRange(1, 1000), metavar="N", help="Rotate every N days.")
@click.option("--rotate", is_flag=True,
              help="AWS key pairs: create a new key, store it, verify it with STS, deactivate the leaked one.")
@click.option("--writes-per-second", type=click.FloatRange(min=0.01), metavar="N",
              help="Store write rate (default 2/s for SSM, 10/s for Secrets Manager).")
@click.option("--verify", is_flag=True,
              help="Ask each provider which secrets are live (network); those lead the plan.")
@click.option("--quiet", "-q", is_flag=True, help="No progress display on stderr.")
def migrate(path, store, prefix, kms_key_id, tags, region, endpoint_url, allow_advanced_tier, overwrite,
            apply_, plan_file, yes, resume, rollback, emit_iam_policy, rotation_lambda, rotate_days,
            rotate, writes_per_second, verify, quiet):
    """Move found secrets into Parameter Store or Secrets Manager and rewrite their references.

    Without --apply only the plan is printed and written to .keystow/plan.json.
    """
    # late: click callback: `keystow <other command>` and the hook do not load this command's modules
    from keystow.commands.migrate import MigrateOptions, run_migrate
    from keystow.migrate.model import Settings

    if rotation_lambda and store != "secretsmanager":
        raise click.UsageError("--rotation-lambda needs --to secretsmanager")
    if rotate and store != "secretsmanager":
        raise click.UsageError("--rotate needs --to secretsmanager (a key pair is stored as one secret)")
    settings = Settings(store=store, prefix=prefix, region=region, endpoint_url=endpoint_url,
                        kms_key_id=kms_key_id, tags=_tags(tags), allow_advanced_tier=allow_advanced_tier,
                        overwrite=overwrite, rotation_lambda=rotation_lambda, rotate_days=rotate_days,
                        writes_per_second=writes_per_second, rotate=rotate)
    options = MigrateOptions(path=path, settings=settings, apply=apply_ or bool(plan_file), plan_file=plan_file,
                             yes=yes, resume=resume, rollback=rollback, emit_iam_policy=emit_iam_policy,
                             verify=verify, quiet=quiet)
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    sys.exit(run_migrate(options, (lambda text: click.confirm(text, default=False)) if interactive else None))
