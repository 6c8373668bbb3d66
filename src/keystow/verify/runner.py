"""Verify a scan's findings: pair AWS keys, call each provider at most `workers` at a time,
and give every finding a verdict (unknown, with the reason, where nothing can be asked)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Mapping

from keystow.findings import Finding
from keystow.verify import aws, http
from keystow.verify.model import ACTIVE, INACTIVE, Verdict, unknown
from keystow.verify.providers import BY_RULE, Provider

AWS_KEY_IDS = {"aws-access-key-id"}
AWS_SECRETS = {"aws-secret-access-key", "aws-secret-access-key-near-id"}
MAX_PAIRS = 3  # secrets tried per key id: a file with many is a fixture, not a credentials file
LineReader = Callable[[Finding], str]


class Settings:
    def __init__(self, environ: Mapping[str, str], timeout: float = 5.0, workers: int = 4,
                 interval: float = 0.2) -> None:
        self.environ = environ
        self.timeout = timeout
        self.workers = workers
        self.limits = http.RateLimits(interval)

    def base_url(self, provider: Provider) -> str:
        return http.check_base_url(self.environ.get(provider.env_name) or provider.base_url, provider.name)


def verify_findings(findings: list[Finding], settings: Settings, read_line: LineReader) -> dict[str, Verdict]:
    """fingerprint → verdict for every finding."""
    for provider in {BY_RULE[f.rule_id] for f in findings if f.rule_id in BY_RULE}:
        settings.base_url(provider)  # a bad URL is a usage error before anything is sent
    jobs: dict[str, Callable[[], Verdict]] = {}
    for finding in findings:
        jobs[finding.fingerprint] = _job(finding, findings, settings, read_line)
    with ThreadPoolExecutor(max_workers=settings.workers) as pool:
        futures = {fp: pool.submit(job) for fp, job in jobs.items()}
        return {fp: future.result() for fp, future in futures.items()}


def _job(finding: Finding, findings: list[Finding], settings: Settings, read_line: LineReader) -> Callable[[], Verdict]:
    if not finding.secret:
        return lambda: unknown("secret not available")
    if finding.rule_id in AWS_KEY_IDS | AWS_SECRETS:
        return lambda: _aws(finding, findings, settings)
    provider = BY_RULE.get(finding.rule_id)
    if provider is None:
        return lambda: unknown("no verifier for this rule")
    return lambda: _http(provider, finding, settings, read_line)


def _http(provider: Provider, finding: Finding, settings: Settings, read_line: LineReader) -> Verdict:
    try:
        path, headers, body = provider.call(finding.secret, read_line(finding))
    except LookupError as missing:
        return unknown(str(missing))
    settings.limits.wait(provider.name)
    try:
        answer = http.request(settings.base_url(provider) + path, headers, settings.timeout, body)
    except OSError as error:  # timeouts, refused connections, TLS failures
        return unknown(f"{provider.name}: {type(error).__name__}")
    return provider.verdict(answer.status, answer.body)


def _aws(finding: Finding, findings: list[Finding], settings: Settings) -> Verdict:
    """A key id and a secret key verify only as a pair found in the same file."""
    is_id = finding.rule_id in AWS_KEY_IDS
    partners = [f for f in findings if f.secret and f.rule_id in (AWS_SECRETS if is_id else AWS_KEY_IDS)
                and _paths(f) & _paths(finding)][:MAX_PAIRS]
    if not partners:
        return unknown("no matching " + ("secret access key" if is_id else "access key id") + " in the same file")
    verdicts = []
    for partner in partners:
        key_id, secret = (finding, partner) if is_id else (partner, finding)
        settings.limits.wait("aws")
        verdicts.append(aws.verify_key_pair(key_id.secret, secret.secret, settings.timeout))
        if verdicts[-1].status == ACTIVE:
            return verdicts[-1]
    return Verdict(INACTIVE) if all(v.status == INACTIVE for v in verdicts) else verdicts[-1]


def _paths(finding: Finding) -> set[str]:
    return {loc.path for loc in finding.locations}
