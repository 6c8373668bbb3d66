"""A finding's own severity (lowered by the scanner for an encrypted private key or a published
example) survives a history scan, including one answered from the blob cache: it used to come
back as the rule's severity (an encrypted key reported `critical` at confidence `low`)."""

from __future__ import annotations

import json

from testing.fakes import Fakes
from tests.helpers import commit_file, run_keystow

_fakes = Fakes(17)


def _encrypted_pem_key() -> str:
    body = "\n".join(_fakes.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 64)
                     for _ in range(8))
    return ("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,"
            + _fakes.chars("0123456789ABCDEF", 32) + "\n\n" + body + "\n-----END RSA PRIVATE KEY-----\n")


def test_an_encrypted_key_in_history_stays_low_from_the_cache_too(repo):
    commit_file(repo, "deploy/id_rsa", _encrypted_pem_key())
    for _ in range(2):  # the second run reads the blob cache
        result = run_keystow("scan", ".", "--history", "--min-confidence", "low", "--format", "json", cwd=repo)
        findings = json.loads(result.stdout)["findings"]
        assert [(f["rule_id"], f["severity"], f["confidence"]) for f in findings] == [("private-key-rsa", "low", "low")]
