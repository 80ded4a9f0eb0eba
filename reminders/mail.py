"""Render a digest (``reminders.content.DigestContent``) as an e-mail: subject, plain text and
HTML in the reader's language, Buddhist-Era dates, absolute links, and a footer with the
signed stop link and the preferences link."""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assessments.thaidates import format_date
from reminders.content import DigestContent, Section
from reminders.links import preferences_path, stop_path


def absolute_url(path: str) -> str:
    """The link as a reader's mail program needs it: the site's address (``ITA_SITE_URL``)
    and the path."""
    if path.startswith(("https://", "http://")):
        return path
    return f"{settings.ITA_SITE_URL}/{path.lstrip('/')}"


@dataclass(frozen=True)
class Entry:
    text: str
    note: str
    due: str
    href: str


@dataclass(frozen=True)
class Group:
    division: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Block:
    key: str
    title: str
    groups: tuple[Group, ...]


def _entries(lines) -> tuple[Entry, ...]:
    return tuple(
        Entry(
            text=line.text,
            note=line.note,
            due=format_date(line.due_on),
            href=absolute_url(line.url) if line.url else "",
        )
        for line in lines
    )


def _block(section: Section) -> Block:
    if not section.group_by_division:
        return Block(section.key, section.title, (Group("", _entries(section.lines)),))
    by_division: dict[str, list] = {}
    for line in section.lines:
        by_division.setdefault(line.division, []).append(line)
    groups = tuple(Group(name, _entries(lines)) for name, lines in by_division.items())
    return Block(section.key, section.title, groups)


def _plain_text(blocks, context) -> str:
    due_label = pgettext("before a date in a sentence", "กำหนดเสร็จ")
    out = [context["subject"], ""]
    for block in blocks:
        out += [block.title, "=" * min(len(block.title), 60)]
        for group in block.groups:
            indent = ""
            if group.division:
                out.append(f"[{group.division}]")
                indent = "  "
            for entry in group.entries:
                details = [d for d in (entry.note, entry.due and f"{due_label} {entry.due}") if d]
                suffix = f" ({'; '.join(details)})" if details else ""
                out.append(f"{indent}- {entry.text}{suffix}")
                if entry.href:
                    out.append(f"{indent}  {entry.href}")
        out.append("")
    out += [
        "-- ",
        _("ท่านได้รับอีเมลนี้จาก ITA Tracker ที่ %(email)s") % {"email": context["email"]},
        _("หยุดรับอีเมลแจ้งเตือน: %(url)s") % {"url": context["stop_url"]},
        _("ตั้งค่าอีเมลแจ้งเตือน (ความถี่และภาษา): %(url)s") % {"url": context["preferences_url"]},
    ]
    return "\n".join(out) + "\n"


def build_message(content: DigestContent, user, *, connection=None) -> EmailMultiAlternatives:
    """The e-mail of ``content`` to ``user`` (sender: ``DEFAULT_FROM_EMAIL``)."""
    stop_url = absolute_url(stop_path(user))
    # A subject is one header line: a stray line break would be refused by the mail library.
    subject = " ".join(content.subject.split())
    blocks = [_block(section) for section in content.sections if section.lines]
    context = {
        "subject": subject,
        "blocks": blocks,
        "email": user.email,
        "stop_url": stop_url,
        "preferences_url": absolute_url(preferences_path()),
        "language": content.language,
    }
    with translation.override(content.language):
        text = _plain_text(blocks, context)
        html = render_to_string("reminders/email/digest.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[user.email],
        connection=connection,
        headers={
            # RFC 2369 and RFC 8058: mail programs show an unsubscribe button that POSTs here.
            "List-Unsubscribe": f"<{stop_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # RFC 3834: out-of-office replies are not sent back to a machine.
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
