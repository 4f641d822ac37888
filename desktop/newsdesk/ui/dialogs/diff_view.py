"""A diff of two revisions as HTML: side by side (old left, new right) or in one column.

Fields are compared by name and the body paragraph by paragraph (newsdesk.domain.diff); in a
changed paragraph the words that went are struck out on the left and the words that came
are marked on the right, so a paragraph lines up with its other version.
"""

from __future__ import annotations

from html import escape

from newsdesk.domain.diff import BodyChange, StoryDiff, word_diff
from newsdesk.ui import theme

_GONE = "color:{error}; text-decoration:line-through;"
_NEW = "color:{ok}; font-weight:600;"


def _styles() -> tuple[str, str, str]:
    c = theme.colors()
    return _GONE.format(error=c.error), _NEW.format(ok=c.ok), c.muted


def _text(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def side_by_side_html(diff: StoryDiff) -> str:
    """Two columns, revision A on the left and B on the right, one row per field or
    paragraph that changed (unchanged paragraphs shown quietly, for their place)."""
    gone, new, muted = _styles()
    rows = [
        f"<tr><th width='50%' align='left'>Revision {diff.old_revision}</th>"
        f"<th width='50%' align='left'>Revision {diff.new_revision}</th></tr>"
    ]
    if not diff.changed:
        rows.append(f"<tr><td colspan='2' style='color:{muted}'>No changes.</td></tr>")
    for change in diff.fields:
        rows.append(
            f"<tr><td><b>{escape(change.name)}</b><br><span style='{gone}'>"
            f"{_text(change.old) or '—'}</span></td><td><b>{escape(change.name)}</b><br>"
            f"<span style='{new}'>{_text(change.new) or '—'}</span></td></tr>"
        )
    for part in diff.body:
        rows.extend(_side_rows(part, gone, new, muted))
    return ("<table width='100%' cellspacing='0' cellpadding='6' border='0'>"
            + "".join(rows) + "</table>")


def diff_html(diff: StoryDiff) -> str:
    """The diff in one column: deletions struck in red, insertions in green."""
    gone, new, muted = _styles()
    parts = [f"<h3>Revision {diff.old_revision} → {diff.new_revision}</h3>"]
    if not diff.changed:
        parts.append(f"<p style='color:{muted}'>No changes.</p>")
        return "".join(parts)
    if diff.fields:
        parts.append("<table cellspacing='0' cellpadding='3'>")
        for change in diff.fields:
            parts.append(
                f"<tr><td><b>{escape(change.name)}</b></td>"
                f"<td><span style='{gone}'>{escape(change.old) or '—'}</span></td>"
                f"<td>→</td><td><span style='{new}'>{escape(change.new) or '—'}</span></td></tr>"
            )
        parts.append("</table>")
    for part in diff.body:
        if part.op != "equal":
            parts.extend(_column_part(part, gone, new, muted))
    return "".join(parts)


def _side_rows(part: BodyChange, gone: str, new: str, muted: str) -> list[str]:
    """The table rows of one run of body paragraphs, side by side."""
    if part.op == "equal":
        quiet = [f"<span style='color:{muted}'>{_text(text)}</span>" for text in part.old]
        return [f"<tr><td>{q}</td><td>{q}</td></tr>" for q in quiet]
    if part.op == "replace" and len(part.old) == len(part.new):
        return [_word_row(old, text, gone, new)
                for old, text in zip(part.old, part.new, strict=True)]
    left = "<br><br>".join(f"<span style='{gone}'>{_text(p)}</span>" for p in part.old)
    right = "<br><br>".join(f"<span style='{new}'>{_text(p)}</span>" for p in part.new)
    return [f"<tr><td>{left}</td><td>{right}</td></tr>"]


def _word_row(old: str, text: str, gone: str, new: str) -> str:
    """A changed paragraph: the words that went struck on the left, those that came
    marked on the right."""
    left, right = [], []
    for op, words in word_diff(old, text):
        if op != "insert":
            left.append(f"<span style='{gone if op == 'delete' else ''}'>{_text(words)}</span>")
        if op != "delete":
            right.append(f"<span style='{new if op == 'insert' else ''}'>{_text(words)}</span>")
    return f"<tr><td>{''.join(left)}</td><td>{''.join(right)}</td></tr>"


def _column_part(part: BodyChange, gone: str, new: str, muted: str) -> list[str]:
    """The paragraphs of one changed run of the body, in one column."""
    if part.op == "replace" and len(part.old) == len(part.new):
        last = part.old_start + len(part.old) - 1
        where = f"¶{part.old_start}" + (f"–{last}" if last > part.old_start else "")
        parts = [f"<p style='color:{muted}'>Body {where} changed</p>"]
        styles = {"delete": gone, "insert": new}
        for old, text in zip(part.old, part.new, strict=True):
            spans = [f"<span style='{styles.get(op, '')}'>{_text(words)}</span>"
                     for op, words in word_diff(old, text)]
            parts.append(f"<p>{''.join(spans)}</p>")
        return parts
    label = {"insert": "added", "delete": "removed"}.get(part.op, "changed")
    return [f"<p style='color:{muted}'>Body ¶{part.new_start} {label}</p>",
            *(f"<p style='{gone}'>{_text(p)}</p>" for p in part.old),
            *(f"<p style='{new}'>{_text(p)}</p>" for p in part.new)]
