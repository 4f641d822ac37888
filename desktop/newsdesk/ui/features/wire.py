"""The Wire view: the incoming queue (agency, time, urgency, headline), Take, agency updates,
and ingest (files, or the window's watched folder) as jobs on the window's runner with
progress (ui/features/wire_ingest.py). Everything goes through the desk's wire service
(`desk.wire`, desk/wire.py); the list reads the queue again when the window hears that it
changed (Changes.wire), whoever changed it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from newsdesk.desk import Changes
from newsdesk.desk.wire import WireRow
from newsdesk.domain.model import NewsdeskError
from newsdesk.ui.features.wire_ingest import (
    IngestProgress,
    IngestSummary,
    summary_text,
    watcher_of,
)
from newsdesk.ui.window import StoryWindow
from newsdesk.wire.update import describe

COLUMNS = ("#", "Time", "Urgency", "Agency", "Headline", "State")
STATES = {"new": "", "taken": "taken", "updated": "taken · agency update available",
          "duplicate": "duplicate"}


class WireDialog(QDialog):
    """The queue, newest first; Take makes a draft; an agency update shows its diff."""

    story_changed = Signal(str)  # the id of a story taken or merged: the window shows it

    def __init__(self, window: StoryWindow):
        super().__init__(window.dialog_parent())
        self.wire = window.desk.wire
        self._window = window
        self.ingests: list[IngestProgress] = []
        self.setWindowTitle("Wire")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # opened anew each time
        self.search = QLineEdit(self, placeholderText="Search the wire…", clearButtonEnabled=True)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.take_button = QPushButton("&Take", self)
        self.update_button = QPushButton("Agency &Update…", self)
        self.ingest_button = QPushButton("&Ingest Files…", self)
        self.watch_box = QCheckBox("&Watch folder:", self)
        self.watch_label = QLabel(self)
        self.watch_label.setProperty("role", "muted")
        self.choose_button = QPushButton("Choose…", self)
        self.status = QLabel(self)
        self.status.setProperty("role", "muted")
        self._build_layout()
        self.watcher = watcher_of(window)
        self.watcher.passed.connect(self._watched)
        window.events.changed.connect(self._heard)
        self.watcher.progress.connect(self._watch_progress)
        self.search.textChanged.connect(lambda _text: self.reload())
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.take())
        self.take_button.clicked.connect(self.take)
        self.update_button.clicked.connect(self.show_update)
        self.ingest_button.clicked.connect(self._choose_files)
        self.choose_button.clicked.connect(self._choose_folder)
        self.watch_box.toggled.connect(self.set_watching)
        self._load_watch_setting()
        self.resize(900, 480)
        self.reload()

    def _build_layout(self) -> None:
        buttons = QHBoxLayout()
        for widget in (self.take_button, self.update_button, self.ingest_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        for widget in (self.watch_box, self.watch_label, self.choose_button):
            buttons.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)

    # -- the list ----------------------------------------------------------------------

    def reload(self) -> None:
        rows = self.wire.rows(query=self.search.text(), limit=500)
        self.table.setRowCount(len(rows))
        for n, row in enumerate(rows):
            for column, text in enumerate(_cells(row)):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, row.guid)
                self.table.setItem(n, column, cell)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        if rows and not self.table.selectedItems():
            self.table.selectRow(0)
        self._selection_changed()

    def selected(self) -> WireRow | None:
        items = self.table.selectedItems()
        if not items:
            return None
        return self.wire.row(items[0].data(Qt.ItemDataRole.UserRole))

    def _selection_changed(self) -> None:
        row = self.selected()
        self.take_button.setEnabled(row is not None and not row.story_id)
        self.update_button.setEnabled(row is not None and row.state == "updated")

    # -- take and updates --------------------------------------------------------------

    def take(self) -> None:
        row = self.selected()
        if row is None or row.story_id:
            return
        try:
            story = self.wire.take(row.guid)
        except NewsdeskError as exc:
            QMessageBox.warning(self, "Take", str(exc))
            return
        self.story_changed.emit(story.id)

    def show_update(self) -> None:
        row = self.selected()
        if row is None:
            return
        try:
            update = self.wire.agency_update(row.guid)
        except NewsdeskError as exc:
            QMessageBox.warning(self, "Agency update", str(exc))
            return
        dialog = UpdateDialog("\n".join(describe(update)), bool(update.conflicts), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            story, _ = self.wire.merge_update(row.guid, dialog.prefer)
        except NewsdeskError as exc:
            QMessageBox.warning(self, "Agency update", str(exc))
            return
        self.story_changed.emit(story.id)

    # -- ingest ------------------------------------------------------------------------

    def _choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, "Ingest wire files", str(Path.home()),
            "Wire files (*.xml *.nitf *.newsml *.json *.ninjs *.txt);;All files (*)")
        if names:
            self.ingest(paths=[Path(name) for name in names])

    def ingest(self, paths: list[Path], *, quiet: bool = False) -> IngestProgress:
        """Start an ingest as a job; the list reads the queue again as its batches commit
        (the window hears their Changes)."""
        ingest = IngestProgress(self._window, paths, quiet=quiet)
        ingest.done.connect(self._ingested)
        self.ingests.append(ingest)
        ingest.start()
        return ingest

    def _ingested(self, _summary: object) -> None:
        self.ingests = [ingest for ingest in self.ingests if ingest.running()]

    def _heard(self, changes: Changes) -> None:
        if changes.wire or changes.everything:
            self.reload()

    def _load_watch_setting(self) -> None:
        folder = self.watcher.folder
        self.watch_label.setText(folder or "(none chosen)")
        self.watch_box.setEnabled(bool(folder))
        self.watch_box.setChecked(self.watcher.active)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Watch a wire folder", str(Path.home()))
        if folder:
            self.set_watch_folder(Path(folder))

    def set_watch_folder(self, folder: Path) -> None:
        self.watcher.set_folder(folder)
        self.watch_label.setText(str(folder))
        self.watch_box.setEnabled(True)

    def set_watching(self, on: bool) -> None:
        self.watcher.set_on(on)
        self.status.setText(f"Watching {self.watcher.folder}" if on else "")

    def _watch_progress(self, done: int, total: int, name: str) -> None:
        self.status.setText(f"Ingesting {name} ({done} of {total})…")

    def _watched(self, summary: IngestSummary) -> None:
        if summary.files or summary.rejected or summary.error:
            self.status.setText(f"Watched folder: {summary_text(summary)}")

    def done(self, result: int) -> None:  # closing stops the ingests it started (not the watch)
        for ingest in self.ingests:
            ingest.job.cancel()
        self._window.events.changed.disconnect(self._heard)
        super().done(result)


class UpdateDialog(QDialog):
    """An agency update's diff; Merge, or for clashes: keep the desk's or take the agency's."""

    def __init__(self, text: str, clashes: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.prefer: str | None = None
        self.setWindowTitle("Agency update available")
        view = QPlainTextEdit(text, self)
        view.setReadOnly(True)
        layout = QVBoxLayout(self)
        layout.addWidget(view, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        choices = ((("Keep the &Desk's Text for Clashes", "desk"),
                    ("Take the &Agency's Text for Clashes", "agency")) if clashes
                   else (("&Merge", None),))
        for label, prefer in choices:
            button = QPushButton(label, self)
            button.clicked.connect(lambda _=False, p=prefer: self._choose(p))
            buttons.addWidget(button)
        cancel = QPushButton("Cancel", self)
        cancel.clicked.connect(self.reject)
        buttons.addWidget(cancel)
        layout.addLayout(buttons)
        self.resize(720, 420)

    def _choose(self, prefer: str | None) -> None:
        self.prefer = prefer
        self.accept()


def _cells(row: WireRow) -> tuple[str, ...]:
    when = (row.sent or row.received_at)[:16].replace("T", " ")
    urgency = str(row.urgency) if row.urgency is not None else ""
    return (str(row.rid), when, urgency, row.provider, row.headline, STATES.get(row.state, ""))
