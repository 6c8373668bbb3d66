"""`.npmrc`: `//registry/:_authToken=${VAR}`; npm expands `${VAR}` from the environment when it
reads the file (`keystow run -- npm publish`), and fails loudly when VAR is unset. Yarn 2+ reads
`${VAR}` in `.yarnrc.yml` (`npmAuthToken: ${VAR}`) the same way."""

from __future__ import annotations

from keystow.migrate.references.base import FileChange, FileContext, interpolate

KIND = "npmrc"
RESOLVES = "runtime"
NOTE = "npm expands ${VAR} from the environment: run npm under `keystow run`"


def detect(path: str) -> bool:
    return path.rsplit("/", 1)[-1] in (".npmrc", ".yarnrc.yml")


def plan(ctx: FileContext) -> FileChange:
    return interpolate(ctx, FileChange(ctx.path, KIND, RESOLVES, NOTE), "${{{var}}}")
