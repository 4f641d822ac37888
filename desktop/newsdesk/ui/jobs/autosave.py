"""Autosave: a debounced save after the last edit, on story switch and on close, with
conflicts (a story saved elsewhere meanwhile: the stale-save dialog, or the banner of a
change heard about, ui/open_story.py)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from newsdesk.desk import Desk, StaleRevision
from newsdesk.domain.model import EDITABLE_FIELDS, NewsdeskError, Story, ValidationError

AUTOSAVE_DELAY_MS = 800

SAVED = "saved"
UNSAVED = "unsaved"
INVALID = "invalid"
CONFLICT = "conflict"
FAILED = "failed"


class Autosaver(QObject):
    """Owns the open story's save cycle; the window supplies how to read and check edits."""

    state_changed = Signal(str, str)  # state, detail for the status bar
    saved = Signal(object)  # the Story as stored
    replaced = Signal(object)  # the user took the other version: show it
    problems_found = Signal(dict)  # field -> message, from the desk's own validation

    def __init__(
        self,
        desk: Desk,
        collect: Callable[[Story], Story],
        check: Callable[[Story], dict[str, str]],
        parent: QWidget,
    ):
        super().__init__(parent)
        self._desk = desk
        self._collect = collect
        self._check = check
        self._parent = parent
        self._base: Story | None = None
        self._dirty = False
        self._held: Story | None = None  # a newer version heard about: wait for a choice
        self.saving = False  # inside Desk.save: the Changes it tells are this save's own
        self.state = SAVED
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_DELAY_MS)
        self._timer.timeout.connect(self._auto_flush)

    @property
    def base(self) -> Story | None:
        """The story as last loaded or saved."""
        return self._base

    def is_dirty(self) -> bool:
        return self._dirty

    def start(self, story: Story | None) -> None:
        """Begin tracking a freshly loaded story (None: nothing open)."""
        self._timer.stop()
        self._base = story
        self._dirty = False
        self._held = None
        self._set_state(SAVED, "")

    def rebase(self, story: Story) -> None:
        """The same text moved on without a new revision (a workflow step, here or
        elsewhere): track it, keeping any unsaved edits."""
        self._base = story

    def hold(self, theirs: Story, detail: str) -> None:
        """A newer version was saved elsewhere while there are unsaved edits: autosave
        waits for the user's choice (an explicit save still asks, with the comparison)."""
        self._held = theirs
        self._timer.stop()
        self._set_state(CONFLICT, detail)

    @property
    def held(self) -> Story | None:
        return self._held

    def mark_dirty(self) -> None:
        if self._base is None:
            return
        self._dirty = True
        if self._held is not None:
            return  # the banner's choice comes first
        self._set_state(UNSAVED, "")
        self._timer.start()

    def _auto_flush(self) -> None:
        if self._held is None:
            self.flush()

    def flush(self) -> bool:
        """Save now if needed; False when the edits could not be saved (invalid, conflict...)."""
        self._timer.stop()
        if self._base is None or not self._dirty:
            return True
        base = self._base
        candidate = self._collect(base)
        problems = self._check(candidate)
        if problems:
            self._set_state(INVALID, "; ".join(f"{k}: {v}" for k, v in problems.items()))
            return False
        if candidate.editable() == base.editable() and candidate.extra == base.extra:
            self._dirty = False
            self._set_state(SAVED, "")
            return True
        try:
            stored = self._save(candidate, base.revision)
        except StaleRevision as exc:
            return self._resolve(candidate, exc.current)
        except ValidationError as exc:
            self.problems_found.emit(exc.problems)
            self._set_state(INVALID, str(exc))
            return False
        except NewsdeskError as exc:
            self._set_state(FAILED, str(exc))
            return False
        self._accept(stored)
        return True

    def _save(self, story: Story, expected_revision: int) -> Story:
        self.saving = True
        try:
            return self._desk.save(story, expected_revision=expected_revision)
        finally:
            self.saving = False

    def _accept(self, stored: Story) -> None:
        self._base = stored
        self._dirty = False
        self._held = None
        self._set_state(SAVED, "")
        self.saved.emit(stored)

    def edits(self) -> Story | None:
        """The open story as the window shows it, unsaved edits and all."""
        return self._collect(self._base) if self._base is not None else None

    def _resolve(self, mine: Story, theirs: Story) -> bool:
        from newsdesk.ui.dialogs import stale_save  # when it happens, not at every start

        return self.settle(stale_save.ask(self._parent, mine, theirs), theirs, mine)

    def settle(self, choice: str, theirs: Story, mine: Story | None = None) -> bool:
        """Act on the user's choice between their version and the edits here: keep mine
        (saved on top of theirs), take theirs (the edits go), or decide later."""
        from newsdesk.ui.dialogs import stale_save

        mine = mine if mine is not None else self.edits()
        if mine is None:
            return True
        if choice == stale_save.KEEP_MINE:
            # Their status and approvals stay; only the fields a person edits are ours.
            merged = theirs.replace(**{name: getattr(mine, name) for name in EDITABLE_FIELDS},
                                    extra=dict(mine.extra))
            try:
                stored = self._save(merged, theirs.revision)
            except StaleRevision as exc:
                return self._resolve(mine, exc.current)
            except NewsdeskError as exc:
                self._set_state(FAILED, str(exc))
                return False
            self._accept(stored)
            return True
        if choice == stale_save.TAKE_THEIRS:
            self._base = theirs
            self._dirty = False
            self._held = None
            self.replaced.emit(theirs)
            self._set_state(SAVED, "")
            return True
        self._set_state(
            CONFLICT, f"not saved: revision {theirs.revision} was saved elsewhere; save to decide"
        )
        return False

    def _set_state(self, state: str, detail: str) -> None:
        self.state = state
        self.state_changed.emit(state, detail)
