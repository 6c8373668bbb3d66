"""GitHub Actions workflows: the job assumes an AWS role through GitHub's OIDC provider
(`aws-actions/configure-aws-credentials`, `role-to-assume: ${{ secrets.KEYSTOW_AWS_ROLE_ARN }}`, a
repository secret the plan names; `secrets`, not `vars`, so older actionlint versions accept it
too), then one step reads each secret with the aws CLI, masks it
(`::add-mask::`) and exports it through `$GITHUB_ENV` to the job's later steps.

- an `env:` entry (workflow, job or step) holding a secret is removed; the value arrives under the
  same name (a workflow-level entry: in every job);
- AWS access keys in `env:` are removed and become the role assumption alone;
- a secret inside a `run:` script becomes "${VAR}"; inside a `with:` input, `${{ env.VAR }}`.
The workflow gets `permissions: id-token: write` (and `contents: read`, which an explicit
permissions block otherwise takes away) so the job may request the OIDC token.
"""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from keystow.migrate.references.base import BoundSite, Edit, FileChange, FileContext, line_bounds, newline_of
from keystow.migrate.references.cisteps import (
    AWS_KEY_NAMES,
    ROLE_VARIABLE,
    Fetches,
    at_path,
    aws_read,
    drop_emptied,
    key_at,
    locate,
    mapping_keys,
    parsed,
    prepend_items,
    remove_entry,
    shell_reference,
)
from keystow.migrate.references.yamlnodes import child
from keystow.migrate.references.yamltext import scalar_reference

KIND = "github-actions"
RESOLVES = "runtime"
NOTE = (f"read from AWS after OIDC role assumption: create an IAM role trusting token.actions.githubusercontent.com "
        f"for this repository, allowed to read these entries, and set repository secret {ROLE_VARIABLE} to its ARN")
ROLE_ACTION = "aws-actions/configure-aws-credentials@v4"


def detect(path: str) -> bool:
    return ("/" + path).rsplit("/", 1)[0].endswith("/.github/workflows") and path.endswith((".yml", ".yaml"))


def plan(ctx: FileContext) -> FileChange:
    change = FileChange(ctx.path, KIND, RESOLVES, NOTE)
    documents = parsed(ctx, change)
    if documents is None:
        return change
    root = documents.roots[0]
    jobs = [j for j in mapping_keys(child(root, "jobs")) if isinstance(child(root, "jobs", j, "steps"), SequenceNode)]
    fetches, removed = Fetches(), {}  # type: ignore[var-annotated]
    for site in ctx.sites:
        scalar = locate(documents, site, change)
        if scalar is not None:
            _place(ctx, site, scalar.path, jobs, fetches, removed, change, documents)
    for env_path, names in removed.items():
        drop_emptied(ctx.text, root, env_path, names, change)
    region = _region(ctx, fetches)
    for job in fetches.all_scopes():
        steps = [_role_step(region)] + ([_fetch_step(fetches.by_scope[job])] if fetches.by_scope.get(job) else [])
        edit = prepend_items(ctx.text, child(root, "jobs", job, "steps"), steps)
        if edit is None:  # jobs come from the steps sequences found above: only a flow-style one gets here
            return _all_manual(ctx, change, f"job {job}'s steps are not a block sequence")
        change.edits.append(edit)
    if fetches.all_scopes():
        _grant_id_token(ctx.text, root, fetches.all_scopes(), change)
    return change


def _place(ctx: FileContext, site: BoundSite, path: tuple, jobs: list[str], fetches: Fetches,
           removed: dict, change: FileChange, documents) -> None:
    scopes = jobs if path[:1] == ("env",) else [path[1]] if path[:1] == ("jobs",) and path[1:2] and path[1] in jobs \
        else []
    if not scopes:
        return change.skip(site, "not inside a job that has steps (a reusable-workflow call?)")
    if _is_env_entry(path):
        name = remove_entry(ctx.text, documents.scalar_at(site.start, site.end), site, change)
        if name is None:
            return None
        removed.setdefault(path[:-1], set()).add(name)
        if name in AWS_KEY_NAMES:
            fetches.roles.update(scopes)
        else:
            fetches.add(scopes, name, site.target)
    elif path[-1] == "run" and len(path) == 5:
        if shell_reference(ctx.text, site, site.env_var, change):
            fetches.add(scopes, site.env_var, site.target)
    elif len(path) == 6 and path[-2] == "with":
        new, reason = scalar_reference(ctx.text, site, "${{ env." + site.env_var + " }}")
        if new is None:
            return change.skip(site, reason)
        change.replace(site, site.start, site.end, new)
        fetches.add(scopes, site.env_var, site.target)
    else:
        change.skip(site, "only env: entries (workflow, job, step), run: scripts and with: inputs are rewritten; "
                          "a service or container env: is read before any step runs")
    return None


def _is_env_entry(path: tuple) -> bool:
    """An `env:` entry of the workflow, a job or a step: what `$GITHUB_ENV` can set. (A service
    container's or the job container's `env:` is read before any step runs: manual.)"""
    return len(path) >= 2 and path[-2] == "env" and (len(path) in (2, 4) or len(path) == 6 and path[2] == "steps")


def _region(ctx: FileContext, fetches: Fetches) -> str:
    targets = [t for names in fetches.by_scope.values() for t in names.values()]
    region = ctx.arn(targets[0]).split(":")[3] if targets else ""
    return region if region and "<" not in region else "${{ secrets.AWS_REGION }}"


def _role_step(region: str) -> list[str]:
    return ["name: Assume the AWS role (keystow)", f"uses: {ROLE_ACTION}", "with:",
            f"  role-to-assume: ${{{{ secrets.{ROLE_VARIABLE} }}}}", f"  aws-region: {region}"]


def _fetch_step(names: dict) -> list[str]:
    lines = ["name: Read secrets from AWS (keystow)", "run: |"]
    for name, target in names.items():
        lines += [f'  {name}="$({aws_read(target)})"', f'  echo "::add-mask::${name}"',
                  f'  echo "{name}=${name}" >> "$GITHUB_ENV"']
    return lines


def _grant_id_token(text: str, root: Node, jobs: list[str], change: FileChange) -> None:
    """`id-token: write` where the permissions that apply to these jobs are set."""
    own = [job for job in jobs if isinstance(child(root, "jobs", job, "permissions"), MappingNode)]
    for job in own:
        permissions = child(root, "jobs", job, "permissions")
        assert isinstance(permissions, MappingNode)  # `own` holds the jobs whose permissions are one
        _add_id_token(text, permissions, change)
    if len(own) == len(jobs):
        return
    workflow = child(root, "permissions")
    if isinstance(workflow, MappingNode):
        _add_id_token(text, workflow, change)
    elif workflow is None:
        jobs_key = key_at(root, ("jobs",))
        start = line_bounds(text, jobs_key.start_mark.index)[0]
        newline = newline_of(text)
        change.edits.append(Edit(start, start, f"permissions:{newline}  id-token: write{newline}"
                                                 f"  contents: read{newline}{newline}"))
    # `permissions: write-all` already grants id-token; `read-all` is the user's explicit choice (NOTE says so)


def _add_id_token(text: str, permissions: MappingNode, change: FileChange) -> None:
    current = at_path(permissions, ("id-token",))
    if isinstance(current, ScalarNode):
        if current.value != "write":
            change.edits.append(Edit(current.start_mark.index, current.end_mark.index, "write"))
        return
    if permissions.flow_style or not permissions.value:
        return
    first = permissions.value[0][0]
    start = line_bounds(text, first.start_mark.index)[0]
    indent = text[start:first.start_mark.index]
    change.edits.append(Edit(start, start, f"{indent}id-token: write{newline_of(text)}"))


def _all_manual(ctx: FileContext, change: FileChange, reason: str) -> FileChange:
    change.edits, change.rewritten = [], []
    for site in ctx.sites:
        change.skip(site, reason)
    return change
