"""The workflow bar: the open story's status, a banner on a voided approval or a change
from the sync folder that was refused, role buttons.

The buttons are the window's registry actions (submit, approve, request_changes, publish,
spike, restore); this bar shows only those the profile's role can ever use, enables the
ones the rules allow now and puts the rules' reason in the tooltip of the others, so a
greyed-out Approve says "Xu Fang last edited revision 4; four-eyes rule: ...".
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QMessageBox,
    QSizePolicy,
    QToolBar,
    QWidget,
)

from newsdesk.desk import Desk
from newsdesk.domain import workflow
from newsdesk.domain.model import NewsdeskError, Story, person_label, voided_by
from newsdesk.ui import theme

ACTION_TIPS = {
    "submit": "Send this draft to the desk for review",
    "request_changes": "Send it back to draft with a note saying what to change",
    "approve": "Approve this revision; the approval is signed with your key",
    "publish": "Mark the approved story published",
    "spike": "Kill the story; it stays on file and can be restored",
    "restore": "Bring the spiked story back as a draft",
}
DONE = {
    "submit": "Submitted for review",
    "request_changes": "Sent back to draft",
    "approve": "Approved and signed",
    "publish": "Published",
    "spike": "Spiked",
    "restore": "Restored to draft",
}


def ask_note(parent: QWidget, title: str, prompt: str) -> str | None:
    """A note from the user; None if they cancelled (tests replace this)."""
    text, ok = QInputDialog.getMultiLineText(parent, title, prompt)
    return text if ok else None


def show_refusal(parent: QWidget, message: str) -> None:
    """Tell the user why an action was refused (tests replace this)."""
    QMessageBox.warning(parent, "Not done", message)


def banner_text(story: Story, rejected: str = "") -> str:
    """What the banner says about a story whose approval no longer holds, and about the
    last change from the sync folder if it was refused (`rejected`: why); '' if none."""
    parts = [_approval_text(story)] if workflow.needs_reapproval(story) else []
    if rejected:
        parts.append(f"Not applied from the sync folder: {rejected}.")
    return " ".join(parts)


def _approval_text(story: Story) -> str:
    if story.approvals:
        last = story.approvals[-1]
        voider = voided_by(last, story.actions)
        if voider is not None:
            verb = workflow.ACTION_LABELS.get(voider.action, voider.action)
            return (
                f"Approval voided: {verb} by {person_label(voider.actor, voider.key_id)} "
                f"after {last.approver} approved revision {last.revision}. It must be "
                "approved again before it is published."
            )
        return (
            f"Approval voided: the text changed after {last.approver} approved revision "
            f"{last.revision} (now revision {story.revision}). It must be approved again "
            "before it is published."
        )
    return (
        f"Marked {story.status} but no approval is on record: a desk chief must approve it "
        "before it can be published."
    )


class WorkflowBar(QToolBar):
    """Status and workflow buttons for the open story; emits the story after a change."""

    transitioned = Signal(object)  # the Story after a transition
    message = Signal(str)  # a short confirmation for the status bar

    def __init__(
        self,
        desk: Desk,
        actions: dict[str, QAction],
        current: Callable[[], Story | None],
        flush: Callable[[], bool],
        parent: QWidget | None = None,
    ):
        super().__init__("Workflow", parent)
        self.setObjectName("workflowBar")
        self.setMovable(False)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._desk = desk
        self._actions = {key: actions[key] for key in workflow.ACTIONS}
        self._current = current
        self._flush = flush
        self._story: Story | None = None
        self.status_label = QLabel()
        self.status_label.setObjectName("workflowStatus")
        self.status_label.setProperty("role", "chip")
        self.status_label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.banner = QLabel()
        self.banner.setObjectName("approvalBanner")
        self.banner.setProperty("role", "warning")
        self.banner.setWordWrap(True)
        self.banner.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.waiting_label = QLabel()
        self.waiting_label.setProperty("role", "muted")
        self.waiting_label.setSizePolicy(
            QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred
        )
        self.addWidget(self.status_label)
        # A widget in a tool bar is shown and hidden through the action that holds it.
        self._waiting_slot = self.addWidget(self.waiting_label)
        self._banner_slot = self.addWidget(self.banner)
        for key, action in self._actions.items():
            self.addAction(action)
            action.triggered.connect(lambda _checked=False, k=key: self.run(k))
        self.addSeparator()
        self.addAction(actions["history"])
        self._show_role()
        self.set_story(None)

    # Showing

    def _show_role(self) -> None:
        chief = self._desk.profile.role == "desk_chief"
        for key, action in self._actions.items():
            action.setVisible(chief or key not in workflow.CHIEF_ACTIONS)

    def story(self) -> Story | None:
        return self._story

    def banner_shown(self) -> bool:
        return self._banner_slot.isVisible()

    def set_story(self, story: Story | None) -> None:
        """Show `story` (None: nothing open) and enable what the rules allow now."""
        self._story = story
        reasons = self._desk.allowed_actions(story) if story is not None else {}
        for key, action in self._actions.items():
            reason = reasons.get(key, "no story is open")
            action.setEnabled(story is not None and reason is None)
            label = workflow.ACTION_LABELS[key]
            tip = ACTION_TIPS[key] if reason is None else f"Not now: {reason}"
            action.setToolTip(f"{label}\n{tip}")
            action.setStatusTip(tip)
        if story is None:
            self.status_label.setText("No story")
            self.status_label.setToolTip("")
            self.waiting_label.setText("")
            self._show_banner("")
            return
        label = theme.status_label(story.status)
        if workflow.needs_reapproval(story):
            label += " · needs re-approval"
        self.status_label.setText(label)
        self.status_label.setToolTip(f"Revision {story.revision}")
        self.waiting_label.setText(self._turn(story))
        history = self._desk.history(story.id)
        refused = history[-1].note if history and history[-1].action == "rejected" else ""
        self._show_banner(banner_text(story, refused))

    def _turn(self, story: Story) -> str:
        profile = self._desk.profile
        if workflow.is_waiting_for(story, profile):
            return "Waiting for you"
        if workflow.effective_status(story) == "in_review":
            return "Waiting for a desk chief"
        return ""

    def _show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self._banner_slot.setVisible(bool(text))
        self._waiting_slot.setVisible(not text)
        if text:
            warning = theme.colors().warning
            self.banner.setStyleSheet(
                f"QLabel {{ border: 1px solid {warning}; border-radius: 4px; padding: 3px 8px; }}"
            )

    # Acting

    def run(self, action: str) -> Story | None:
        """Do a workflow action on the open story, after saving pending edits."""
        story = self._current()
        if story is None or not self._flush():
            return None
        story = self._current() or story
        note = ""
        if action == "request_changes":
            note = ask_note(
                self, "Request changes", f"What should change in “{story.headline}”?"
            )
            if note is None:
                return None
            if not note.strip():
                show_refusal(self, "A note is required: say what to change.")
                return None
        elif action == "spike":
            note = ask_note(self, "Spike story", f"Why is “{story.headline}” spiked? (optional)")
            if note is None:
                return None
        try:
            updated = self._desk.transition(
                story.id, action, note, expected_revision=story.revision
            )
        except NewsdeskError as exc:
            show_refusal(self, str(exc))
            self._refresh_from_desk(story.id)
            return None
        self.set_story(updated)
        self.transitioned.emit(updated)
        self.message.emit(f"{DONE[action]}: {updated.headline}")
        return updated

    def _refresh_from_desk(self, story_id: str) -> None:
        try:
            self.set_story(self._desk.get(story_id))
        except NewsdeskError:
            self.set_story(None)
