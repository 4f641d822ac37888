"""The story list model: rows paged from the desk, sorted and filtered in SQL, counted aside,
and kept up to date from the Changes the window hears (ui/events.py): rows concerned are
updated in place, and the loaded pages are read again (without a reset) only when the
list's membership or order may have changed (`plan_update`)."""

from __future__ import annotations

from difflib import SequenceMatcher

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QWidget

from newsdesk.copydesk.lengths import Gauge, body_gauge
from newsdesk.desk import Changes, Desk
from newsdesk.ui.jobs.counts import StatusCounter
from newsdesk.ui.panes.list_update import ListUpdate, plan_update
from newsdesk.ui.panes.story_cells import (
    COLUMNS,
    ROLES,
    Cells,
    Row,
    format_moment,
    format_updated,
    slug_font,
)

# What other panes and dialogs import from here: the cells' module holds them now.
__all__ = ["COLUMNS", "PAGE_SIZE", "Row", "StoryTableModel", "format_moment",
           "format_updated", "slug_font"]

PAGE_SIZE = 200
# How far the list pages ahead to re-select a story that is not loaded yet; past that the
# story stays open in the editor but the list does not scroll to it.
RESELECT_PAGES = 10


def _without_status(filters: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in filters.items() if k != "status"}


class StoryTableModel(QAbstractTableModel):
    """Rows come from SQL a page at a time; filters and sorting are SQL too."""

    loaded = Signal()  # after a refresh: the first page is shown
    repaged = Signal()  # the loaded pages were read again (rows may have moved)
    counted = Signal()  # the counts per status (and so the total) are known

    def __init__(self, desk: Desk, parent: QWidget | None = None,
                 counter: StatusCounter | None = None):
        super().__init__(parent)
        self._desk = desk
        self._counter = counter
        if counter is not None:
            counter.counted.connect(self._counts_arrived)
        self._rows: list[Row] = []
        self._index: dict[str, int] = {}
        self._more = False
        self._counts: dict[str, int] = {}
        self._counted_for: dict[str, object] | None = None
        self._pending: dict[str, object] = {}
        self._loaded = False
        # True while repage moves rows: the view's current row shifts with them, which is
        # not the user choosing a story (ui/panes/story_list_view.py).
        self.reshaping = False
        self._filters: dict[str, object] = {}
        self._sort = "updated_at"
        self._descending = True
        self._cells = Cells(self._gauge)

    # Queries

    @property
    def total(self) -> int | None:
        """Stories matching the filters (None if they could not be counted).

        Asked while a count runs, it waits for it; the window itself asks only after
        `counted`, so it never waits.
        """
        if self._counted_for != _without_status(self._filters) and self._counter is not None:
            self._counter.settle()
        if self._counted_for != _without_status(self._filters):
            return None
        status = self._filters.get("status")
        return self._counts.get(str(status), 0) if status else sum(self._counts.values())

    @property
    def status_counts(self) -> dict[str, int]:
        """Stories per status under every filter but the status one."""
        return dict(self._counts)

    def filters(self) -> dict[str, object]:
        return dict(self._filters)

    def set_filters(self, filters: dict[str, object]) -> None:
        before = _without_status(self._filters)
        self._filters = {k: v for k, v in filters.items() if v not in (None, "")}
        # Choosing a status does not change the counts per status: no need to count again.
        self.refresh(recount=_without_status(self._filters) != before or not self._loaded)

    def sort_key(self) -> tuple[str, bool]:
        return self._sort, self._descending

    def refresh(self, *, recount: bool = True) -> None:
        """Reload the first page now; with `recount`, count per status again.

        Paging needs no count (a full page means there may be more), so the rows show at
        once and the count, which can take far longer on a big desk, follows.
        """
        self.beginResetModel()
        self._rows = []
        self._index = {}
        page = self._page(0)
        self._append(page)
        self._more = len(page) == PAGE_SIZE
        self._loaded = True
        self.endResetModel()
        self.loaded.emit()
        if recount:
            self._count()
        else:
            self.counted.emit()  # same counts, new total (a status was chosen)

    def _count(self) -> None:
        filters = _without_status(self._filters)
        if self._counter is None:
            self._counts_arrived(self._desk.status_counts(**filters), filters)
            return
        self._counted_for = None
        self._pending = filters
        self._counter.request(filters)

    def _counts_arrived(self, counts: dict, filters: dict[str, object] | None = None) -> None:
        self._counts = dict(counts)
        self._counted_for = filters if filters is not None else self._pending
        self.counted.emit()

    def _page(self, offset: int, limit: int = PAGE_SIZE) -> list[Row]:
        rows = self._desk.list_rows(
            **self._filters,
            sort=self._sort,
            descending=self._descending,
            limit=limit,
            offset=offset,
        )
        return [Row.of(r) for r in rows]

    def _append(self, rows: list[Row]) -> None:
        for row in rows:
            self._index[row.id] = len(self._rows)
            self._rows.append(row)

    # Qt model protocol

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        page = self._page(len(self._rows))
        self._more = len(page) == PAGE_SIZE
        # A story deleted meanwhile shifts the offsets; skip what is already listed.
        rows = [r for r in page if r.id not in self._index]
        if not rows:
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        self._append(rows)
        self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        # Titles keep the header's left alignment even over right-aligned figures: the sort
        # arrow sits at the right edge and would cover a right-aligned title.
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> object:
        # Painting a page asks each cell for a dozen roles; most have no answer here.
        if role not in ROLES or not index.isValid() or index.row() >= len(self._rows):
            return None
        return self._cells.value(self._rows[index.row()], COLUMNS[index.column()], role)

    def _gauge(self, row: Row) -> Gauge:
        return body_gauge(row.word_count, self._desk.rules(), row.type)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.set_sort(column, order)
        # The view sorts while it is being set up; the first refresh comes with the filters.
        if self._loaded:
            self.refresh(recount=False)

    def set_sort(self, column: int, order: Qt.SortOrder) -> None:
        """Choose the SQL order for the next refresh."""
        self._sort = COLUMNS[column].sort
        self._descending = order == Qt.SortOrder.DescendingOrder

    # Rows by story

    def story_id(self, row: int) -> str | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def row_of(self, story_id: str, *, fetch: bool = False) -> int | None:
        """The row showing a story; with `fetch`, page ahead a little to find it."""
        pages = 0
        while story_id not in self._index and fetch and pages < RESELECT_PAGES:
            if not self.canFetchMore():
                break
            self.fetchMore()
            pages += 1
        return self._index.get(story_id)

    # Keeping up with changes

    def apply(self, changes: Changes) -> None:
        """Show what `changes` did to the stories listed (see plan_update)."""
        if not self._loaded:
            return
        plan = plan_update(changes, self._index)
        if plan.rows:
            plan = self._update_rows(plan)
        if plan.repage:
            self.repage()
        if plan.recount:
            self._count()

    def _update_rows(self, plan: ListUpdate) -> ListUpdate:
        """Re-read the rows concerned; one whose status moved (a workflow step) may leave
        a filter or the order: then the pages are read again."""
        fresh = {story.id: Row.of(story) for story in self._desk.live_stories(list(plan.rows))}
        if set(fresh) != plan.rows or any(
            self._rows[self._index[sid]].status != row.status for sid, row in fresh.items()
        ):
            return ListUpdate(repage=True, recount=True)
        for story_id, row in fresh.items():
            number = self._index[story_id]
            self._rows[number] = row
            self.dataChanged.emit(self.index(number, 0), self.index(number, len(COLUMNS) - 1))
        return ListUpdate()

    def repage(self) -> None:
        """Read the loaded pages again in one query and show the difference row by row
        (inserted, removed, changed), not as a reset: the view keeps its place."""
        count = max(len(self._rows), PAGE_SIZE)
        fresh = self._page(0, count)
        old = [row.id for row in self._rows]
        new = [row.id for row in fresh]
        self.reshaping = True
        try:
            self._move_rows(old, new, fresh)
        finally:
            self.reshaping = False
        changed = [n for n, (shown, row) in enumerate(zip(self._rows, fresh, strict=True))
                   if shown != row]
        self._rows = list(fresh)
        self._index = {row.id: n for n, row in enumerate(self._rows)}
        self._more = len(fresh) == count
        if changed:
            self.dataChanged.emit(self.index(min(changed), 0),
                                  self.index(max(changed), len(COLUMNS) - 1))
        self.repaged.emit()

    def _move_rows(self, old: list[str], new: list[str], fresh: list[Row]) -> None:
        matcher = SequenceMatcher(None, old, new, autojunk=False)
        # From the end, so that the row numbers of what is still to do stay right.
        for tag, a1, a2, b1, b2 in reversed(matcher.get_opcodes()):
            if tag in ("replace", "delete"):
                self.beginRemoveRows(QModelIndex(), a1, a2 - 1)
                del self._rows[a1:a2]
                self.endRemoveRows()
            if tag in ("replace", "insert"):
                self.beginInsertRows(QModelIndex(), a1, a1 + b2 - b1 - 1)
                self._rows[a1:a1] = fresh[b1:b2]
                self.endInsertRows()
