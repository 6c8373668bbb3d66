"""HTTP verifiers: for each provider, its official API host, the documented "who am I" call, and
what the answer means. 2xx is active and 401 inactive unless a provider says otherwise; anything
else is unknown, with the status as the reason.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from typing import Callable

from keystow.verify.model import ACTIVE, INACTIVE, Verdict, unknown

Call = tuple[str, dict[str, str], "bytes | None"]  # path, headers, body (None: GET)


@dataclass(frozen=True)
class Provider:
    name: str              # also the env name: KEYSTOW_VERIFY_<NAME>_URL
    base_url: str
    rule_ids: frozenset[str]
    call: Callable[[str, str], Call]  # (secret, line text) -> the request
    judge: Callable[[int, bytes], Verdict] | None = None

    @property
    def env_name(self) -> str:
        return f"KEYSTOW_VERIFY_{self.name.upper()}_URL"

    def verdict(self, status: int, body: bytes) -> Verdict:
        return (self.judge or by_status)(status, body)


def by_status(status: int, body: bytes, inactive: tuple[int, ...] = (401,)) -> Verdict:
    if 200 <= status < 300:
        return Verdict(ACTIVE)
    if status in inactive:
        return Verdict(INACTIVE)
    return unknown(f"HTTP {status}")


def _bearer(path: str) -> Callable[[str, str], Call]:
    return lambda secret, line: (path, {"Authorization": f"Bearer {secret}"}, None)


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def _slack(status: int, body: bytes) -> Verdict:
    """auth.test answers 200 either way; `ok` says whether the token works."""
    try:
        answer = json.loads(body)
    except ValueError:
        return unknown(f"HTTP {status}, not JSON")
    if answer.get("ok") is True:
        return Verdict(ACTIVE)
    if answer.get("error") in ("invalid_auth", "token_revoked", "account_inactive", "not_authed", "token_expired"):
        return Verdict(INACTIVE)
    return unknown(str(answer.get("error") or f"HTTP {status}"))


def _stripe(status: int, body: bytes) -> Verdict:
    # a restricted key without the account scope is still a working key
    return Verdict(ACTIVE) if status == 403 else by_status(status, body)


def _pypi(status: int, body: bytes) -> Verdict:
    """An upload with no file: 400 once the token is accepted, 403 when it is not."""
    if status == 400:
        return Verdict(ACTIVE)
    return Verdict(INACTIVE) if status == 403 else unknown(f"HTTP {status}")


def _pypi_call(secret: str, line: str) -> Call:
    boundary = "keystow-verify"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name=":action"\r\n\r\nfile_upload\r\n'
            f"--{boundary}--\r\n").encode()
    return ("/legacy/", {"Authorization": _basic("__token__", secret),
                         "Content-Type": f"multipart/form-data; boundary={boundary}"}, body)


TWILIO_SID = re.compile(r"\bAC[0-9a-f]{32}\b")


def _twilio_call(secret: str, line: str) -> Call:
    sid = TWILIO_SID.search(line)
    if sid is None:
        raise LookupError("the account SID is not on the token's line")
    return (f"/2010-04-01/Accounts/{sid.group()}.json", {"Authorization": _basic(sid.group(), secret)}, None)


PROVIDERS = (
    Provider("github", "https://api.github.com",
             frozenset({"github-classic-pat", "github-oauth-token", "github-user-to-server-token",
                        "github-server-to-server-token", "github-fine-grained-pat"}),
             lambda s, line: ("/user", {"Authorization": f"token {s}", "Accept": "application/vnd.github+json"}, None)),
    Provider("gitlab", "https://gitlab.com", frozenset({"gitlab-personal-access-token"}),
             lambda s, line: ("/api/v4/user", {"PRIVATE-TOKEN": s}, None)),
    Provider("slack", "https://slack.com",
             frozenset({"slack-bot-token", "slack-user-token", "slack-legacy-token", "slack-app-token"}),
             _bearer("/api/auth.test"), _slack),
    Provider("stripe", "https://api.stripe.com",
             frozenset({"stripe-live-secret-key", "stripe-live-restricted-key", "stripe-test-secret-key"}),
             lambda s, line: ("/v1/account", {"Authorization": _basic(s, "")}, None), _stripe),
    Provider("openai", "https://api.openai.com",
             frozenset({"openai-api-key", "openai-project-key", "openai-api-key-context"}), _bearer("/v1/models")),
    Provider("anthropic", "https://api.anthropic.com", frozenset({"anthropic-api-key"}),
             lambda s, line: ("/v1/models", {"x-api-key": s, "anthropic-version": "2023-06-01"}, None)),
    Provider("npm", "https://registry.npmjs.org", frozenset({"npm-access-token"}), _bearer("/-/whoami")),
    Provider("pypi", "https://upload.pypi.org", frozenset({"pypi-upload-token"}), _pypi_call, _pypi),
    Provider("sendgrid", "https://api.sendgrid.com", frozenset({"sendgrid-api-key"}), _bearer("/v3/scopes"),
             lambda status, body: by_status(status, body, inactive=(401, 403))),
    Provider("twilio", "https://api.twilio.com", frozenset({"twilio-account-sid-and-token", "twilio-auth-token"}),
             _twilio_call),
    Provider("datadog", "https://api.datadoghq.com", frozenset({"datadog-api-key"}),
             lambda s, line: ("/api/v1/validate", {"DD-API-KEY": s}, None),
             lambda status, body: by_status(status, body, inactive=(401, 403))),
)

BY_RULE = {rule_id: provider for provider in PROVIDERS for rule_id in provider.rule_ids}
