"""A scan result with every shape the reports must handle: provenance, several locations,
a path with `,` and `:` in it, and all four severities. Secrets come from testing.fakes."""

from __future__ import annotations

from keystow.findings import Finding, Location, Provenance
from keystow.pipeline.result import ScanResult
from keystow.sources import Skipped
from testing.fakes import Fakes

COMMIT = "a" * 40


def sample_result() -> ScanResult:
    fakes = Fakes(11)
    provenance = Provenance(COMMIT, "Dev One", "dev@example.invalid", "2024-01-02T03:04:05+00:00")
    token, key = fakes.github_token(), fakes.aws_access_key_id()
    findings = [
        Finding(
            "github-classic-pat",
            "GitHub personal access token (classic)",
            "critical",
            token,
            (Location("src/app.py", 3, 9, 3, 49, "b" * 40, provenance), Location("odd,name:100%.py", 1, 1, 1, 41)),
        ),
        Finding("aws-access-key-id", "AWS access key ID", "high", key, (Location("conf/aws.ini", 2, 19, 2, 39),)),
        Finding(
            "generic-password", "Password assignment", "medium", fakes.password(), (Location("a.env", 1, 10, 1, 26),)
        ),
        Finding("some-low", "Something minor", "low", fakes.password(20), (Location("b.txt", 4, 1, 4, 21),)),
    ]
    return ScanResult(findings=findings, skipped=[Skipped("big.bin", "binary file", "binary")],
                      notices=["a notice"], scanned_blobs=5, scanned_bytes=1234)


def secrets_of(result: ScanResult) -> list[str]:
    return [f.secret for f in result.findings]
