"""The story body editor (rich text over Markdown that is never damaged) and its preview."""

from newsdesk.ui.editor.preview import PreviewPane
from newsdesk.ui.editor.widget import BodyEditor

__all__ = ["BodyEditor", "PreviewPane"]
