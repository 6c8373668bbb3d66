"""An optional extra that is not installed is one clear line naming the extra, not a traceback.

Each case runs in a fresh interpreter with the extra's package made unimportable
(`sys.modules[name] = None`), as on a machine where it was never installed."""

import subprocess
import sys

import pytest

BLOCK = "import sys\nfor name in {names!r}: sys.modules[name] = None\n"

CASES = {
    "aws": (("boto3", "botocore"),
            "from keystow.migrate.stores.aws import AwsSession\n"
            "AwsSession(region='us-east-1', endpoint_url='http://127.0.0.1:9').client('ssm')\n"),
    "dask": (("distributed",),
             "from keystow.multirepo.runners import _import_distributed\n_import_distributed()\n"),
}


@pytest.mark.parametrize("extra", sorted(CASES))
def test_a_missing_extra_names_the_install_command(extra):
    names, code = CASES[extra]
    probe = BLOCK.format(names=names) + (
        "from keystow.errors import FatalError\n"
        "try:\n" + "".join(f"    {line}\n" for line in code.splitlines()) +
        "except FatalError as exc:\n    print(exc)\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr  # a FatalError, not a ModuleNotFoundError traceback
    assert done.stdout.strip().splitlines() == [done.stdout.strip()]
    assert f"pip install 'keystow[{extra}]'" in done.stdout
