"""INI-style configuration (`.ini`, `.cfg`, `.conf`, `.cnf`): the value becomes the placeholder its
consumer expands from the environment.

There is no one INI syntax for an environment variable, so the file name decides: supervisord
expands `%(ENV_X)s`, tox `{env:X}`, PHP's `php.ini`, Apache httpd and most others `${X}`. For an
application's own INI file `${X}` is written and the plan says the application must expand it
(Python: `os.path.expandvars` on the value, or configparser with an interpolation that does).
"""

from __future__ import annotations

from keystow.migrate.references.base import FileChange, FileContext, interpolate

KIND = "ini"
RESOLVES = "runtime"
EXTENSIONS = (".ini", ".cfg", ".conf", ".cnf")
NOTE = ("a ${VAR} placeholder: the program reading this file must expand environment variables "
        "(e.g. os.path.expandvars); run it under `keystow run`")
SYNTAX = {  # file name → (placeholder, note)
    "supervisord.conf": ("%(ENV_{var})s", "supervisord expands %(ENV_VAR)s: start it under `keystow run`"),
    "tox.ini": ("{{env:{var}}}", "tox expands {env:VAR}: run tox under `keystow run`"),
    "php.ini": ("${{{var}}}", "PHP expands ${VAR} in php.ini: start PHP under `keystow run`"),
}

# Programs that read their configuration verbatim: a placeholder would reach them as text, so the
# site is manual with the step that works for that program.
VERBATIM = {
    "nginx": "nginx does not expand environment variables: keep a template and render it at deploy time "
             "(`keystow run -- sh -c 'envsubst < nginx.conf.template > nginx.conf'`)",
    "redis": "redis.conf does not expand environment variables: pass the password at start "
             "(`keystow run -- sh -c 'redis-server redis.conf --requirepass \"$VAR\"'`)",
    "my.cnf": "MySQL option files do not expand environment variables: remove the password line and use "
              "`mysql_config_editor` (login path) or MYSQL_PWD under `keystow run`",
}


def detect(path: str) -> bool:
    return path.lower().endswith(EXTENSIONS)


def plan(ctx: FileContext) -> FileChange:
    name = ctx.path.rsplit("/", 1)[-1].lower()
    form, note = SYNTAX.get(name, ("${{{var}}}", NOTE))
    if "/supervisor" in "/" + ctx.path and name.endswith(".conf"):
        form, note = SYNTAX["supervisord.conf"]
    change = FileChange(ctx.path, KIND, RESOLVES, note)
    verbatim = next((steps for program, steps in VERBATIM.items() if program in ctx.path.lower()), None)
    if verbatim:
        for site in ctx.sites:
            change.skip(site, verbatim)
        return change
    return interpolate(ctx, change, form, multi_line="a value continued over several lines")
