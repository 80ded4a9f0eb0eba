"""The six-month and annual reports as files: one call for the pages and the command."""

from dataclasses import dataclass

from plans.documents import docx, progress_report, report_pdf

FORMATS = ("pdf", "docx")


@dataclass(frozen=True)
class ReportFile:
    data: bytes
    content_type: str
    name: str


def export(plan, kind: str, format_: str, *, round=None, public=False, request=None) -> ReportFile:
    """The report ``kind`` of ``plan`` as PDF or .docx (UnknownKind, ValueError if unknown)."""
    if format_ not in FORMATS:
        raise ValueError(format_)
    content = progress_report.build(plan, kind, round=round, public=public)
    if format_ == "pdf":
        data, content_type = report_pdf.render(content, request), report_pdf.CONTENT_TYPE
    else:
        data, content_type = docx.render(content), docx.CONTENT_TYPE
    return ReportFile(data, content_type, progress_report.file_name(plan, kind, format_, public))
