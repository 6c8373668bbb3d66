"""What a scan found and what it could not scan."""

from __future__ import annotations

from keystow.findings import Finding
from keystow.sources import Skipped


class ScanResult:
    """What a scan found and what it could not scan (filled in as the scan goes)."""

    def __init__(self, findings: list[Finding] | None = None, skipped: list[Skipped] | None = None,
                 notices: list[str] | None = None, scanned_blobs: int = 0, scanned_bytes: int = 0,
                 cached_blobs: int = 0) -> None:
        self.findings = findings if findings is not None else []
        self.skipped = skipped if skipped is not None else []
        self.notices = notices if notices is not None else []
        self.details: list[str] = []  # notices shown only with -v
        self.scanned_blobs = scanned_blobs
        self.scanned_bytes = scanned_bytes
        # findings kept out of (or, for audited true positives, kept in) the report, by why:
        # baselined, inline_allowed, true_positives_open; a count absent when not known
        self.suppressed: dict[str, int] = {}
        # fingerprint → keystow.verify.Verdict, filled by `scan --verify` (empty otherwise)
        self.verifications: dict = {}
        self.cached_blobs = cached_blobs  # history: blobs the cache answered, not read from git this run

    @property
    def total_blobs(self) -> int:
        return self.scanned_blobs + self.cached_blobs

    def __repr__(self) -> str:
        return (f"ScanResult({len(self.findings)} findings, {len(self.skipped)} skipped, "
                f"{self.scanned_blobs} blobs, {self.scanned_bytes} bytes)")

    def skipped_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for item in self.skipped:
            counts[item.kind] = counts.get(item.kind, 0) + 1
        return counts
