"""A deterministic tree of mixed source files for the throughput benchmark (bench/throughput.py).

Each language has line templates (code, config, comments, and the secret-ish names real code is
full of, with references rather than values); a seeded generator fills them into a pool of lines
per language, and each file is a window of its language's pool. A few files carry planted fakes.
"""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

from testing.fakes import Fakes

WORDS = ("order", "user", "account", "invoice", "payment", "session", "cache", "queue", "event", "item",
         "price", "client", "server", "request", "response", "config", "handler", "record", "batch", "token")
TEMPLATES = {
    "py": ("def {w}_{w2}(self, {w}_id: int) -> dict:", "    return self.{w}s.get({w}_id, {{}})",
           "    {w} = {W}Service(timeout={n})", "# {w} {w2}: retry when the {w} is not ready", "import {w}_{w2}",
           "    password = os.environ[\"{W}_PASSWORD\"]", "    logger.info(\"{w} %s done\", {w}_id)",
           "class {W}{W2}(Base):", "    if not {w}: raise ValueError(\"missing {w}\")", ""),
    "js": ("export function {w}{W2}({w}) {{", "  return fetch(`/api/{w}/${{{w}.id}}`);", "}}",
           "const {w}Token = process.env.{W}_TOKEN;", "// {w} {w2} handling", "import {{ {w} }} from './{w2}';",
           "  if (!{w}) throw new Error('no {w}');", "  const {w2} = await {w}.load({n});", ""),
    "go": ("func (s *{W}Store) {W2}(ctx context.Context, id int64) error {{",
           "\treturn s.db.QueryRow(\"SELECT {w} FROM {w2}s\").Err()",
           "}}", "\t{w} := os.Getenv(\"{W}_SECRET\")", "// {W2} returns the {w}.", "\tif err != nil {{ return err }}",
           "type {W}{W2} struct {{ ID int64 `json:\"id\"` }}", ""),
    "java": ("public {W} get{W2}(long {w}Id) {{", "    return repository.find{W}({w}Id);", "}}",
             "    private String {w}Password = System.getenv(\"{W}_PASSWORD\");", "// TODO: cache {w} {w2}",
             "import com.acme.{w}.{W2};", "    @Autowired private {W}Service {w}Service;", ""),
    "yaml": ("{w}:", "  {w2}: {n}", "  name: {w}-{w2}", "  password: ${{{W}_PASSWORD}}", "  image: acme/{w}:{n}.0",
             "  enabled: true", "# {w} settings", "  - {w2}"),
    "json": ("  \"{w}\": {{", "    \"{w2}\": {n},", "    \"name\": \"{w}-{w2}\",",
             "    \"token\": \"{{{{ {w}_token }}}}\",",
             "  }},", "    \"enabled\": false,"),
    "md": ("## {W} {w2}", "The {w} service stores each {w2} for {n} days.", "", "- `{w}`: the {w2} to use",
           "Set `{W}_TOKEN` before running `make {w}`."),
}
FILES_PER_LANGUAGE_POOL = 60_000  # lines in each language's pool


def fill(template: str, rng: random.Random) -> str:
    w, w2 = rng.choice(WORDS), rng.choice(WORDS)
    return template.format(w=w, w2=w2, W=w.title(), W2=w2.title(), n=rng.randrange(1, 10_000))


def pools(rng: random.Random) -> dict[str, list[str]]:
    return {ext: [fill(rng.choice(templates), rng) for _ in range(FILES_PER_LANGUAGE_POOL)]
            for ext, templates in TEMPLATES.items()}


def planted(fakes: Fakes) -> list[str]:
    return [f'GITHUB_TOKEN = "{fakes.github_token()}"', f"aws_access_key_id = {fakes.aws_access_key_id()}",
            f'slack = "{fakes.slack_bot_token()}"', f'STRIPE = "{fakes.stripe_live_key()}"']


def generate(root: Path, megabytes: int = 210, seed: int = 99) -> int:
    """Write the tree (reusing it when the marker says it is complete); return its size in bytes."""
    marker = root / ".complete"
    if marker.exists() and marker.read_text() == f"{megabytes}/{seed}":
        return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and ".git" not in p.parts)
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(seed)
    fakes = Fakes(seed)
    lines = pools(rng)
    secrets = planted(fakes)
    total, number = 0, 0
    while total < megabytes * 1_000_000:
        ext = rng.choice(list(TEMPLATES))
        start = rng.randrange(FILES_PER_LANGUAGE_POOL - 4000)
        body = lines[ext][start:start + rng.randrange(500, 4000)]
        if number % 500 == 7:
            body.insert(len(body) // 2, secrets[(number // 500) % len(secrets)])
        text = ("\n".join(body) + "\n").encode()
        path = root / f"pkg{number % 40:02d}" / f"mod{number // 40:03d}" / f"file{number}.{ext}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text)
        total += len(text)
        number += 1
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    marker.write_text(f"{megabytes}/{seed}")
    (root / ".gitignore").write_text(".complete\n")
    return total
