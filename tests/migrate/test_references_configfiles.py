"""Configuration files an application reads (INI, XML, JSON, .NET appsettings) and documentation."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree

from keystow.migrate.stores import StoreTarget
from testing.fakes import ALNUM, Fakes
from tests.migrate.reference_cases import SSM, rewrite

A, B = Fakes(51).chars(ALNUM, 18), Fakes(52).chars(ALNUM, 18)


def test_markdown_gets_a_placeholder_never_a_value():
    text = f"# Setup\n\nExport the token:\n\n```sh\nexport API_TOKEN={A}\n```\n"
    new, change = rewrite("docs/setup.md", text, {A: SSM})
    assert new == "# Setup\n\nExport the token:\n\n```sh\nexport API_TOKEN=<from SSM: /app/db_password>\n```\n"
    assert change.kind == "docs" and not change.manifest


def test_ini_generic_tox_and_supervisord():
    new, change = rewrite("config/app.ini", f"[db]\npassword = {A}\n", {A: SSM}, {A: "DB_PASSWORD"})
    assert new == "[db]\npassword = ${DB_PASSWORD}\n" and change.manifest == {"DB_PASSWORD": "ssm:/app/db_password"}
    new, _ = rewrite("tox.ini", f"[testenv]\nsetenv = TOKEN={A}\n", {A: SSM}, {A: "TOKEN"})
    assert new == "[testenv]\nsetenv = TOKEN={env:TOKEN}\n"
    new, change = rewrite("etc/supervisord.conf", f"[program:x]\nenvironment=TOKEN=\"{A}\"\n", {A: SSM}, {A: "TOKEN"})
    assert new == '[program:x]\nenvironment=TOKEN="%(ENV_TOKEN)s"\n' and "supervisord" in change.note


def test_spring_xml_and_web_config_stay_valid_xml():
    text = (f'<beans>\n  <bean id="ds">\n    <property name="password" value="{A}"/>\n  </bean>\n</beans>\n')
    new, change = rewrite("src/main/resources/applicationContext.xml", text, {A: SSM}, {A: "DS_PASSWORD"})
    assert 'value="${DS_PASSWORD}"' in new
    ElementTree.fromstring(new)
    text = (f'<configuration>\n  <appSettings>\n    <add key="StripeKey" value="{B}" />\n  </appSettings>\n'
            '</configuration>\n')
    new, change = rewrite("web/Web.config", text, {B: SSM}, {B: "STRIPE_KEY"})
    assert 'value="${STRIPE_KEY}"' in new and "EnvironmentConfigBuilder" in change.note
    ElementTree.fromstring(new)


def test_maven_settings_is_not_claimed_here():
    from keystow.migrate.references import xmlconfig

    assert not xmlconfig.detect("settings.xml") and not xmlconfig.detect("NuGet.Config")


def test_appsettings_value_emptied_and_section_key_documented():
    text = json.dumps({"Logging": {"LogLevel": "Information"}, "Stripe": {"ApiKey": A},
                       "ConnectionStrings": {"Default": f"Server=db;Password={B};"}}, indent=2) + "\n"
    targets = {A: StoreTarget("ssm", "/web/stripe/api_key"), B: SSM}
    new, change = rewrite("src/Web/appsettings.Production.json", text, targets, {A: "API_KEY", B: "PASSWORD"})
    data = json.loads(new)
    assert data["Stripe"]["ApiKey"] == "" and data["Logging"] == {"LogLevel": "Information"}
    assert change.manifest == {"Stripe__ApiKey": "ssm:/web/stripe/api_key"}
    assert "part of a value" in change.manual[0][1]


def test_generic_json_config_gets_a_placeholder_in_the_string():
    text = '{\n\t"service": {"url": "https://api", "token": "' + A + '"},\n\t"retries": 3\n}\n'
    new, change = rewrite("config/service.json", text, {A: SSM}, {A: "SERVICE_TOKEN"})
    assert json.loads(new)["service"]["token"] == "${SERVICE_TOKEN}"
    assert new.startswith('{\n\t"service"') and change.manifest == {"SERVICE_TOKEN": "ssm:/app/db_password"}


def test_spring_yaml_placeholder_named_after_the_property_path():
    text = f"spring:\n  datasource:\n    url: jdbc:postgresql://db/orders\n    password: '{A}'  # prod\n"
    new, change = rewrite("src/main/resources/application-prod.yml", text, {A: SSM}, {A: "PASSWORD"})
    assert new == ("spring:\n  datasource:\n    url: jdbc:postgresql://db/orders\n"
                   "    password: '${SPRING_DATASOURCE_PASSWORD}'  # prod\n")
    assert change.manifest == {"SPRING_DATASOURCE_PASSWORD": "ssm:/app/db_password"}


def test_programs_that_read_config_verbatim_get_steps_not_a_placeholder():
    text = f"server {{\n  set $token {A};\n}}\n"
    new, change = rewrite("deploy/nginx/site.conf", text, {A: SSM}, {A: "TOKEN"})
    assert new == text and "envsubst" in change.manual[0][1]
