"""Helm values: the value is emptied (located by the YAML parser) and given at deploy time with
`--set-string` from the environment, the exact flags in the plan's note."""

from __future__ import annotations

import yaml

from testing.fakes import ALNUM, Fakes
from tests.migrate.reference_cases import SSM, rewrite

A, B = Fakes(81).chars(ALNUM, 20), Fakes(82).chars(ALNUM, 20)


def test_values_are_emptied_and_the_set_flags_named():
    text = (f"# orders chart\nimage:\n  tag: 1.2.3\ndatabase:\n  password: {A}  # rotate yearly\n"
            f"ingress.tls:\n  keys:\n    - \"{B}\"\n")
    new, change = rewrite("charts/orders/values-prod.yaml", text, {A: SSM, B: SSM},
                          {A: "DATABASE_PASSWORD", B: "TLS_KEY"})
    assert new == ('# orders chart\nimage:\n  tag: 1.2.3\ndatabase:\n  password: ""  # rotate yearly\n'
                   'ingress.tls:\n  keys:\n    - ""\n')
    assert yaml.safe_load(new)["database"]["password"] == ""
    assert "--set-string 'database.password'=\"$DATABASE_PASSWORD\"" in change.note
    assert "--set-string 'ingress\\.tls.keys[0]'=\"$TLS_KEY\"" in change.note
    assert change.manifest == {"DATABASE_PASSWORD": "ssm:/app/db_password", "TLS_KEY": "ssm:/app/db_password"}
    assert change.resolves == "deploy"


def test_part_of_a_value_is_manual():
    new, change = rewrite("values.yaml", f"url: https://u:{A}@h\n", {A: SSM}, {A: "URL_PASSWORD"})
    assert new == f"url: https://u:{A}@h\n" and "part of a value" in change.manual[0][1]
