"""`keystow scan --verify`: is a found credential live? Opt-in, after detection, never inside it.

Each verifier asks its provider's documented "who am I" endpoint (AWS: STS GetCallerIdentity)
and answers `active`, `inactive` or `unknown` with a reason. A credential is only ever sent to
its own provider: the default hosts are the providers' official API hosts over TLS; a base URL
can be changed (enterprise hosts, tests) with `KEYSTOW_VERIFY_<PROVIDER>_URL`, and only a
loopback test URL may be plain http; redirects are never followed (they would carry the
credential to another host).

model: the verdict; http: the one way out (TLS, timeout, no redirects, rate limits);
providers: the HTTP verifiers; aws: key pairs through boto3; runner: concurrency and pairing.
"""

from keystow.verify.model import ACTIVE, INACTIVE, UNKNOWN, Verdict
from keystow.verify.runner import verify_findings

__all__ = ["ACTIVE", "INACTIVE", "UNKNOWN", "Verdict", "verify_findings"]
