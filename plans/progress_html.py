"""The progress dashboard's lists of actions (overdue, due soon) as HTML.

Through the Django template engine each list cost an include, seven translated labels and
a dozen lookups per row; here the rows of ``dashboard_charts.action_rows`` are written with
the labels translated once. The output is the markup ``plans/includes/progress_actions.html``
had (the same text, whitespace aside).
"""

from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from plans import dashboard_charts, dashboards

# The charts' escaping (conditional_escape without its wrappers): the lists escape about 150
# plain texts a page, and django.utils.html.escape's check for lazy texts cost more than that.
from plans.charts import _e as escape


@dataclass(frozen=True)
class ActionLists:
    overdue: SafeString
    due_soon: SafeString


def action_lists(page: dashboards.ProgressPage, shown: int) -> ActionLists:
    """Both lists of the page: the first ``shown`` of each, the rest counted; the overdue
    list's "see all" opens the plan page filtered to what is overdue."""
    labels = _labels()
    return ActionLists(
        overdue=action_list(page, page.overdue, shown, labels, more="?overdue=on"),
        due_soon=action_list(page, page.due_soon, shown, labels),
    )


def _labels() -> dict[str, str]:
    return {
        key: escape(text)
        for key, text in (
            ("code", gettext("ข้อ")),
            ("action", gettext("การปรับปรุง")),
            ("division", gettext("ฝ่ายหลัก")),
            ("due", gettext("กำหนดเสร็จ")),
            ("status", gettext("สถานะ")),
            ("all", gettext("ทุกฝ่าย")),
            ("overdue", gettext("เลยกำหนด")),
        )
    }


def action_list(page, actions: list, shown: int, labels: dict, more: str = "") -> SafeString:
    if not actions:
        return mark_safe(f'<p class="empty">{escape(gettext("ไม่มี"))}</p>')
    rows = dashboard_charts.action_rows(page, actions[:shown])
    code, action, division, due, status = (
        labels[key] for key in ("code", "action", "division", "due", "status")
    )
    all_label = f" {labels['all']}"
    overdue = f' <span class="status status-overdue">{labels["overdue"]}</span>'
    parts = [
        '<div class="table-scroll">\n<table class="stack">\n'
        f'  <thead><tr><th scope="col">{code}</th><th scope="col">{action}</th>'
        f'<th scope="col">{division}</th><th scope="col">{due}</th>'
        f'<th scope="col">{status}</th></tr></thead>\n  <tbody>'
    ]
    for row in rows:
        parts.append(
            f'\n    <tr><td data-label="{code}">{escape(row.code)}</td>'
            f'<td data-label="{action}"><a href="{escape(row.url)}">{escape(row.text)}</a></td>'
            f'<td data-label="{division}">{escape(row.division)}'
            f"{all_label if row.all_divisions else ''}</td>"
            f'<td data-label="{due}">{escape(row.due)}</td>'
            f'<td data-label="{status}"><span class="status status-{escape(row.status)}">'
            f"{escape(row.status_label)}</span>{overdue if row.overdue else ''}"
            f" {row.progress}%</td></tr>\n  "
        )
    parts.append("</tbody>\n</table>\n</div>\n")
    if len(actions) > len(rows):
        counted = gettext("แสดง %(shown)s รายการแรกจาก %(total)s รายการ เรียงตามกำหนดเสร็จ") % {
            "shown": len(rows),
            "total": len(actions),
        }
        url = escape(page.plan.get_absolute_url() + more)
        see_all = escape(gettext("ดูทั้งหมดในตารางแผน"))
        parts.append(f'<p class="muted">{counted} · <a href="{url}">{see_all}</a></p>')
    return mark_safe("".join(parts))
