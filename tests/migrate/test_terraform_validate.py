"""Terraform rewrites checked by `terraform validate` with the real AWS provider.

The provider comes from a local plugin directory (this machine has no network): set
KEYSTOW_TF_PLUGIN_DIR, or /opt/tf-plugins is used when it holds hashicorp/aws. Without the
Terraform CLI or the provider the test is skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from keystow.migrate.stores import StoreTarget
from testing.fakes import Fakes
from tests.migrate.reference_cases import rewrite

FAKES = Fakes(31)
KEY_ID, SECRET_KEY, PASSWORD, TOKEN = (FAKES.aws_access_key_id(), FAKES.aws_secret_access_key(),
                                       FAKES.password(), FAKES.github_token())
PLUGIN_DIR = Path(os.environ.get("KEYSTOW_TF_PLUGIN_DIR", "/opt/tf-plugins"))

MAIN_TF = f'''provider "aws" {{
  region     = "us-east-1"
  access_key = "{KEY_ID}"
  secret_key = "{SECRET_KEY}"
}}

variable "api_token" {{
  type    = string
  default = "{TOKEN}"
}}

resource "aws_db_instance" "orders" {{
  engine            = "postgres"
  instance_class    = "db.t3.micro"
  allocated_storage = 20
  username          = "app"
  password          = "{PASSWORD}"
}}

output "token_length" {{
  value = length(var.api_token)
}}
'''


def _terraform() -> str:
    found = shutil.which("terraform")
    if found is None:
        pytest.skip("the Terraform CLI is not installed")
    if not (PLUGIN_DIR / "registry.terraform.io" / "hashicorp" / "aws").is_dir():
        pytest.skip(f"no hashicorp/aws provider in {PLUGIN_DIR} and no network to download it")
    return found


def _run(terraform: str, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}
    return subprocess.run([terraform, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_rewritten_terraform_validates_without_a_cycle(tmp_path):
    terraform = _terraform()
    targets = {KEY_ID: StoreTarget("secretsmanager", "app/aws", "aws_access_key_id"),
               SECRET_KEY: StoreTarget("secretsmanager", "app/aws", "aws_secret_access_key"),
               TOKEN: StoreTarget("ssm", "/app/api_token"), PASSWORD: StoreTarget("ssm", "/app/orders/password")}
    new, change = rewrite("main.tf", MAIN_TF, targets)
    assert not change.manual and all(secret not in new for secret in targets)
    (tmp_path / "main.tf").write_text(new)
    for generated in change.generated:
        (tmp_path / generated.path).write_text(generated.render(None))
    assert "aws_ssm_parameter" in (tmp_path / "keystow_secrets.tf").read_text()
    init = _run(terraform, tmp_path, "init", "-backend=false", "-input=false", f"-plugin-dir={PLUGIN_DIR}")
    assert init.returncode == 0, init.stderr
    validate = _run(terraform, tmp_path, "validate", "-no-color")
    assert validate.returncode == 0, validate.stdout + validate.stderr
    # (`terraform fmt -check` is not asserted: removing `access_key` leaves `region     =` aligned
    # for a longer neighbour, which fmt would re-align; that is layout, not validity.)
