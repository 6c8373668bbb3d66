"""Planning without AWS: names, grouping, tiers, and a plan file free of values."""

from __future__ import annotations

import json
from pathlib import Path

from keystow.findings import Finding, Location
from keystow.migrate.plan import Settings, build_plan
from keystow.migrate.plan_output import dumps, render_text
from testing.fakes import Fakes


def finding(root: Path, path: str, secret: str, rule: str = "generic-password") -> Finding:
    text = (root / path).read_text()
    offset = text.index(secret)
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Finding(rule, rule, "high", secret, (Location(str(root / path), line, column, line, column + len(secret)),))


def plan_for(root: Path, files: dict[str, str], secrets: list[tuple[str, str, str]], **settings):
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    findings = [finding(root, path, secret, rule) for path, secret, rule in secrets]
    return build_plan(root, root, Settings(**{"store": "ssm", **settings}), findings)


def test_names_are_derived_stable_and_collision_free(tmp_path):
    root = tmp_path / "myapp"
    fakes = Fakes(3)
    one, two = fakes.password(20), fakes.password(20)
    files = {"config/settings.py": f'DB_PASSWORD = "{one}"\n', "config/settings.json": f'{{"db_password": "{two}"}}\n'}
    secrets = [("config/settings.py", one, "r"), ("config/settings.json", two, "r")]
    first = plan_for(root, files, secrets)
    names = sorted(item.name for item in first.items)
    assert names[0] == "/myapp/config/settings/db_password"
    assert names[1].startswith("/myapp/config/settings/db_password_") and len(names[1]) > len(names[0])
    again = plan_for(root, files, list(reversed(secrets)))
    assert sorted(item.name for item in again.items) == names


def test_database_uri_is_grouped_and_only_the_password_moves(tmp_path):
    root = tmp_path / "shop"
    uri = Fakes(5).postgres_url(user="app", host="db.internal", dbname="orders")
    plan = plan_for(root, {"app/db.py": f'import os\nDATABASE_URL = "{uri}"\n'}, [("app/db.py", uri, "postgres-uri")],
                    store="secretsmanager")
    [item] = plan.items
    assert item.group == "database"
    mapping = item.mapping()
    assert set(mapping) == {"engine", "host", "port", "username", "password", "dbname"}
    assert (mapping["engine"], mapping["host"], mapping["port"], mapping["dbname"]) == ("postgres", "db.internal",
                                                                                         "5432", "orders")
    diff = json.loads(dumps(plan))["changes"]["app/db.py"]
    assert '+DATABASE_URL = "postgres://app:" + os.environ["DATABASE_URL_PASSWORD"] + "@db.internal:5432/orders"' \
        in diff


def test_large_values_need_the_advanced_tier(tmp_path):
    root = tmp_path / "app"
    big = "k" + Fakes(9).password(4999)
    files = {"cert.py": f'CERT = "{big}"\n'}
    plan = plan_for(root, files, [("cert.py", big, "r")])
    assert "--allow-advanced-tier" in plan.items[0].manual and not plan.changes
    plan = plan_for(root, files, [("cert.py", big, "r")], allow_advanced_tier=True)
    assert plan.items[0].manual is None and plan.items[0].tier == "SecureString, Advanced tier"
    assert any("$0.05 per parameter per month" in note for note in plan.items[0].notes)


def test_plan_output_holds_no_value(tmp_path):
    root = tmp_path / "app"
    fakes = Fakes(11)
    secret, token = fakes.password(24), fakes.github_token()
    files = {"a.py": f'PASSWORD = "{secret}"\n', "b.txt": f"{token}\n"}
    plan = plan_for(root, files, [("a.py", secret, "r"), ("b.txt", token, "github-classic-pat")])
    for text in (dumps(plan), render_text(plan)):
        assert secret not in text and token not in text
    data = json.loads(dumps(plan))
    assert data["files"]["a.py"] and data["generated"] == [".keystow-refs.toml"]
    assert data["changes"]["a.py"][-1] == '+PASSWORD = os.environ["PASSWORD"]'


def test_bom_and_crlf_survive_and_non_utf8_is_manual(tmp_path):
    from keystow.migrate.rewrite import apply_edits, encode

    root = tmp_path / "app"
    root.mkdir()
    secret = Fakes(13).password(22)
    (root / ".env").write_bytes(b"\xef\xbb\xbfLOG=info\r\nTOKEN=" + secret.encode() + b"\r\n")
    (root / "legacy.py").write_bytes(b"# caf\xe9\nTOKEN = '" + secret.encode() + b"'\n")
    findings = [finding(root, ".env", secret), finding(root, ".env", secret)]
    findings[1] = Finding("r", "r", "high", secret, (Location(str(root / "legacy.py"), 2, 10, 2, 32),))
    plan = build_plan(root, root, Settings(store="ssm"), findings)
    [change] = plan.changes
    new, _ = apply_edits(plan.texts[".env"], change.edits, plan.values)
    assert encode(new) == b"\xef\xbb\xbfLOG=info\r\nTOKEN=${TOKEN}\r\n"
    assert plan.unreadable == [("legacy.py", 2, "not a UTF-8 text file")]


def test_flow_mapping_value_is_quoted_and_a_breaking_rewrite_becomes_manual(tmp_path):
    import yaml

    from keystow.migrate.plan import _checked
    from keystow.migrate.references.base import Edit

    root = tmp_path / "app"
    secret = Fakes(17).chars("abcdefghKLMNOP23456789", 20)
    template = ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n"
                f"    Properties: {{MasterUserPassword: {secret}, Engine: !Ref Engine}}\n")
    plan = plan_for(root, {"stack.yaml": template}, [("stack.yaml", secret, "r")], store="secretsmanager")
    [change] = plan.changes
    new = template.replace(secret, '"{{resolve:secretsmanager:app/stack/master_user_password}}"')
    assert json.loads(dumps(plan))["changes"]["stack.yaml"][-1] == "+" + new.splitlines()[-1]
    assert yaml.safe_load(new.replace("!Ref Engine", "x"))
    change.edits = [Edit(change.edits[0].start, change.edits[0].end, "{{resolve:x}}")]
    assert change.rewritten and not _checked(plan, change).edits
    assert change.manual[0][1] == "the rewritten file would not parse"


def test_uri_password_finding_is_grouped_with_its_uri(tmp_path):
    root = tmp_path / "shop"
    password = Fakes(19).chars("abcdefghKLMNOP23456789", 20)
    text = f'import os\nDATABASE_URL = "postgresql+psycopg2://app:{password}@db.internal/orders"\n'
    plan = plan_for(root, {"app/db.py": text}, [("app/db.py", password, "postgres-uri-password")],
                    store="secretsmanager")
    [item] = plan.items
    assert item.group == "database" and item.name == "shop/app/db/database_url_password"
    assert item.mapping() == {"engine": "postgres", "host": "db.internal", "port": "5432", "username": "app",
                              "password": password, "dbname": "orders"}
    diff = json.loads(dumps(plan))["changes"]["app/db.py"]
    assert diff[-1] == ('+DATABASE_URL = "postgresql+psycopg2://app:" + os.environ["DATABASE_URL_PASSWORD"] '
                        '+ "@db.internal/orders"')
