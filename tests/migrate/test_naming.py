"""Names taken from the variable: an entry's `name` over a generic `value` key, a whole dotted
properties key, and a numeric suffix only when two different values share a name."""

from __future__ import annotations

from keystow.migrate import naming
from testing.fakes import Fakes
from tests.migrate.test_plan_build import plan_for


def test_a_value_key_takes_its_entry_name_json_and_yaml():
    json_before = '{\n  "containerDefinitions": [{\n    "environment": [\n      {\n        "name": "API_TOKEN",\n' \
                  '        "value": "'
    assert naming.variable_name(json_before, "fallback") == "API_TOKEN"
    yaml_before = "env:\n  - name: LOG_LEVEL\n    value: info\n  - name: STRIPE_KEY\n    value: "
    assert naming.variable_name(yaml_before, "fallback") == "STRIPE_KEY"
    assert naming.variable_name('x = {"value": "', "fallback") == "value"  # no entry name: kept


def test_properties_keys_are_whole(tmp_path):
    secret = Fakes(61).password(20)
    plan = plan_for(tmp_path / "shop", {"src/main/resources/application.properties":
                                        f"spring.datasource.password={secret}\n"},
                    [("src/main/resources/application.properties", secret, "r")])
    [item] = plan.items
    assert item.members[0].env_var == "SPRING_DATASOURCE_PASSWORD"  # Spring's own relaxed-binding name
    assert item.name == "/shop/src/main/resources/application/spring.datasource.password"
    [change] = plan.changes
    assert change.manifest == {"SPRING_DATASOURCE_PASSWORD": f"ssm:{item.name}"}


def test_ecs_parameter_named_after_the_variable(tmp_path):
    secret = Fakes(62).github_token()
    text = ('{\n  "containerDefinitions": [\n    {\n      "name": "web",\n      "environment": [\n'
            f'        {{\n          "name": "API_TOKEN",\n          "value": "{secret}"\n        }}\n'
            '      ]\n    }\n  ]\n}\n')
    plan = plan_for(tmp_path / "m2", {"taskdef.json": text}, [("taskdef.json", secret, "r")])
    assert [item.name for item in plan.items] == ["/m2/taskdef/api_token"]


def test_no_numeric_suffix_for_one_value_used_twice_only_for_two_values(tmp_path):
    fakes = Fakes(63)
    one, two = fakes.github_token(), fakes.github_token()
    files = {"a/.env": f"API_TOKEN={one}\n", "b/settings.py": f'API_TOKEN = "{one}"\n',
             "c/run.sh": f"API_TOKEN={two}\n"}
    found = [("a/.env", one, "r"), ("b/settings.py", one, "r"), ("c/run.sh", two, "r")]
    plan = plan_for(tmp_path / "repo", files, found)
    env_vars = sorted(m.env_var for item in plan.items for m in item.members)
    assert env_vars == ["API_TOKEN", "API_TOKEN_2"]  # two different values: only then a suffix
    plan = plan_for(tmp_path / "repo2", dict(list(files.items())[:2]), found[:2])
    assert [m.env_var for item in plan.items for m in item.members] == ["API_TOKEN"]
