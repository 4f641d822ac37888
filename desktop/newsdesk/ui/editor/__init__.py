"""The story body editor (rich text over Markdown that is never damaged) and its preview."""

from newsdesk.ui.editor._none_guard import protect_none

protect_none()

from newsdesk.ui.editor.preview import PreviewPane  # noqa: E402 (after the guard)
from newsdesk.ui.editor.widget import BodyEditor  # noqa: E402

__all__ = ["BodyEditor", "PreviewPane"]
