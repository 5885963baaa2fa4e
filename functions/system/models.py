"""What applying a resource answers, and what a file's report says."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

Status = Literal["applied", "unchanged", "outdated", "pending", "rejected"]


class Outcome(BaseModel):
    """What became of one resource: applied, already applied (unchanged), older than what the
    portal has (outdated), waiting for its member (pending), or rejected with the reason."""

    status: Status
    id: str | None = None
    resource_type: str | None = None
    reason: str | None = None


class Rejected(BaseModel):
    line: int
    reason: str
    id: str | None = None


class Report(BaseModel):
    """`reports/<name>.report.json`: what became of each line of an inbox file."""

    file: str
    etag: str | None = None
    started_at: str
    finished_at: str | None = None
    lines: int = 0
    applied: int = 0
    unchanged: int = 0
    outdated: int = 0
    pending: int = 0
    rejected: list[Rejected] = []
    rejected_not_listed: int = 0  # rejected beyond the first 1,000 listed

    def count(self, line: int, outcome: Outcome) -> None:
        self.lines = max(self.lines, line)
        if outcome.status == "rejected":
            self.rejected.append(Rejected(line=line, reason=outcome.reason or "",
                                          id=outcome.id))
        else:
            setattr(self, outcome.status, getattr(self, outcome.status) + 1)


class Progress(BaseModel):
    """Where the ingest of a long file stands, kept between SQS messages."""

    bucket: str
    key: str
    offset: int = 0  # bytes read, at a line boundary
    report: Report
