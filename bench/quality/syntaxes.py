"""How one `name = value` assignment is written in each file syntax the corpus uses.

Each syntax has a file name, filler lines (ordinary code or config of that language, so a tool
sees realistic surroundings), and a function turning (name, value) into one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable


def snake(name: str) -> str:
    return name.lower()


def camel(name: str) -> str:
    head, *rest = name.lower().split("_")
    return head + "".join(part.title() for part in rest)


def upper(name: str) -> str:
    return name.upper()


def dotted(name: str) -> str:
    return name.lower().replace("_", ".")


@dataclass(frozen=True)
class Syntax:
    name: str
    filename: str
    assign: Callable[[str, str], str]
    filler: tuple[str, ...]


PY_FILLER = ("import logging", "logger = logging.getLogger(__name__)", "def handler(event, context):",
             "    return {'statusCode': 200}", "RETRIES = 3", "# settings for the orders service")
JS_FILLER = ("'use strict';", "const express = require('express');", "const app = express();",
             "app.listen(8080);", "module.exports = { app };", "// configuration")
GO_FILLER = ("package config", "import \"os\"", "func Load() error {", "\treturn nil", "}",
             "var Timeout = 30")
PROP_FILLER = ("server.port=8080", "spring.application.name=orders", "logging.level.root=INFO",
               "# database settings")
YAML_FILLER = ("version: '3.8'", "replicas: 2", "image: nginx:1.25", "# service config",
               "timeout: 30s")
JSON_FILLER = ('  "name": "orders",', '  "version": "1.4.2",', '  "debug": false,', '  "port": 8080,')
TOML_FILLER = ("[server]", "port = 8080", 'host = "0.0.0.0"', "workers = 4")
INI_FILLER = ("[database]", "host = db.internal", "port = 5432", "; comments here")
ENV_FILLER = ("NODE_ENV=production", "PORT=8080", "LOG_LEVEL=info", "# env file")
SH_FILLER = ("#!/bin/sh", "set -eu", "cd \"$(dirname \"$0\")\"", "echo starting")
DOCKER_FILLER = ("FROM python:3.12-slim", "WORKDIR /app", "COPY . .", "RUN pip install -r requirements.txt",
                 "CMD [\"python\", \"app.py\"]")
XML_FILLER = ("<?xml version=\"1.0\"?>", "<configuration>", "  <appSettings>", "  </appSettings>",
              "</configuration>")
TF_FILLER = ('resource "aws_instance" "web" {', '  ami = "ami-0c55b159cbfafe1f0"', "}",
             'variable "region" {', '  default = "eu-west-1"')
MAKE_FILLER = (".PHONY: build test", "build:", "\tgo build ./...", "VERSION := 1.4.2", "# release settings")
PHP_FILLER = ("<?php", "require __DIR__ . '/vendor/autoload.php';", "$debug = false;", "// database")
RUBY_FILLER = ("require 'json'", "module Orders", "  TIMEOUT = 30", "end", "# client settings")
KOTLIN_FILLER = ("package com.acme.orders", "import java.time.Duration", "val timeout = Duration.ofSeconds(30)",
                 "// settings")
SWIFT_FILLER = ("import Foundation", "let timeout: TimeInterval = 30", "struct Config {", "}", "// settings")
JAVA_FILLER = ("package com.acme.orders;", "public class Config {", "    private int port = 8080;", "}")


YAML_INDICATORS = tuple("!&*?@%#|>{[`'\",-:")


def yaml_scalar(value: str) -> str:
    """Quoted when YAML would read the value as something other than a plain string."""
    return f'"{value}"' if value.startswith(YAML_INDICATORS) or ": " in value or " #" in value else value


def _xml_element(name: str, value: str) -> str:
    """An element whose text sits on its own line (Maven settings.xml, pretty-printed configs)."""
    return f"    <{camel(name)}>\n      {value}\n    </{camel(name)}>"


def _xml(name: str, value: str) -> str:
    return f'    <add key="{camel(name)}" value="{value}" />'


SYNTAXES: dict[str, Syntax] = {s.name: s for s in (
    Syntax("python", "settings.py", lambda n, v: f'{snake(n)} = "{v}"', PY_FILLER),
    Syntax("javascript", "config.js", lambda n, v: f"const {camel(n)} = '{v}';", JS_FILLER),
    Syntax("go", "config.go", lambda n, v: f'\t{camel(n)} := "{v}"', GO_FILLER),
    Syntax("java", "Config.java", lambda n, v: f'    private static final String {upper(n)} = "{v}";', JAVA_FILLER),
    Syntax("properties", "application.properties", lambda n, v: f"{dotted(n)}={v}", PROP_FILLER),
    Syntax("yaml", "config.yaml", lambda n, v: f"  {snake(n)}: {yaml_scalar(v)}", YAML_FILLER),
    Syntax("json", "config.json", lambda n, v: f'  "{camel(n)}": "{v}",', JSON_FILLER),
    Syntax("toml", "config.toml", lambda n, v: f'{snake(n)} = "{v}"', TOML_FILLER),
    Syntax("ini", "app.ini", lambda n, v: f"{snake(n)} = {v}", INI_FILLER),
    Syntax("dotenv", ".env", lambda n, v: f"{upper(n)}={v}", ENV_FILLER),
    Syntax("shell", "deploy.sh", lambda n, v: f'export {upper(n)}="{v}"', SH_FILLER),
    Syntax("dockerfile", "Dockerfile", lambda n, v: f"ENV {upper(n)}={v}", DOCKER_FILLER),
    Syntax("xml", "web.config", _xml, XML_FILLER),
    Syntax("terraform", "main.tf", lambda n, v: f'  {snake(n)} = "{v}"', TF_FILLER),
    # Added with the syntax-coverage work: alignment, typed declarations, more operators.
    Syntax("terraform-aligned", "variables.tf", lambda n, v: f'  {snake(n):<24}= "{v}"', TF_FILLER),
    Syntax("yaml-aligned", "values.yaml", lambda n, v: f"  {snake(n) + ':':<26}{yaml_scalar(v)}", YAML_FILLER),
    Syntax("go-var", "secrets.go", lambda n, v: f'var {camel(n)} string = "{v}"', GO_FILLER),
    Syntax("php", "config.php", lambda n, v: f"${snake(n)} = '{v}';", PHP_FILLER),
    Syntax("php-array", "settings.php", lambda n, v: f"    '{snake(n)}' => '{v}',", PHP_FILLER),
    Syntax("makefile", "Makefile", lambda n, v: f"{upper(n)} := {v}", MAKE_FILLER),
    Syntax("ruby-hash", "client.rb", lambda n, v: f'  {snake(n)}: "{v}",', RUBY_FILLER),
    Syntax("ruby-symbol", "settings.rb", lambda n, v: f'  :{snake(n)} => "{v}",', RUBY_FILLER),
    Syntax("kotlin", "Config.kt", lambda n, v: f'val {camel(n)} = "{v}"', KOTLIN_FILLER),
    Syntax("swift", "Config.swift", lambda n, v: f'let {camel(n)}: String = "{v}"', SWIFT_FILLER),
    Syntax("xml-element", "settings.xml", _xml_element, XML_FILLER),
)}


def safe_name(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
