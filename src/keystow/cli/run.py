"""CLI for moving secrets into AWS: `keystow run` here; `keystow migrate` lives in
keystow.cli.migrate and is registered from here when present. Only CLI modules import click."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command("run", context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@click.option("--refs", type=click.Path(dir_okay=False, path_type=Path),
              help="Reference manifest (default .keystow-refs.toml).")
@click.option("--region", help="AWS region (default: AWS_REGION / the profile's).")
@click.option("--endpoint-url", help="AWS endpoint URL (default: AWS_ENDPOINT_URL).")
@click.option("--file", "files", multiple=True, metavar="PATH[=REF]",
              help="Write a migrated secret file (mode 0600) for the command, removed when it exits; "
                   "REF from the manifest when omitted, prefix base64: for binary files. Repeatable.")
@click.option("--keep-files", is_flag=True, help="Leave --file files in place (and replace existing ones).")
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED)
def run_command(refs, region, endpoint_url, files, keep_files, command):
    """Resolve the references in the manifest from AWS and run COMMAND with them in its environment.

    Example: keystow run -- python app.py; keystow run --file keys/id_rsa -- ./deploy.sh
    """
    # late: click callback: `keystow <other command>` and the hook do not load this command's modules
    from keystow.commands.run import run_with_references

    sys.exit(run_with_references(list(command), refs, region=region, endpoint_url=endpoint_url,
                                 files=tuple(files), keep_files=keep_files))
