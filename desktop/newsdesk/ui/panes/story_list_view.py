"""The story list view: the table that shows the model, keeps the selection, picks columns."""

from __future__ import annotations

from PySide6.QtCore import (
    QByteArray,
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    QSignalBlocker,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QStyle,
    QStyleOptionHeader,
    QTableView,
    QWidget,
)

from newsdesk.ui.actions import menu_entry
from newsdesk.ui.panes.gauges import GaugeDelegate
from newsdesk.ui.panes.story_list_model import COLUMNS, StoryTableModel, slug_font

_FLAG = QItemSelectionModel.SelectionFlag
SELECT_ROW = _FLAG.ClearAndSelect | _FLAG.Rows
CELL_PADDING = 12  # the cell's margins and focus frame, both sides
HEADER_EXTRA = 22  # the header's padding (theme.py) and the sort arrow


class SortHeader(QHeaderView):
    """A header whose sort arrow points the way the list runs: ▼ for descending (newest,
    largest or Z first), ▲ for ascending. Qt hands styles the opposite (SortUp for a
    descending sort), so ▲ on Updated meant newest first."""

    def initStyleOptionForIndex(self, option: QStyleOptionHeader, logicalIndex: int) -> None:
        super().initStyleOptionForIndex(option, logicalIndex)
        indicator = QStyleOptionHeader.SortIndicator
        option.sortIndicator = {
            indicator.SortUp: indicator.SortDown, indicator.SortDown: indicator.SortUp,
        }.get(option.sortIndicator, option.sortIndicator)


class StoryListView(QTableView):
    """The table; it reports the story the user moves to and keeps it selected on refresh."""

    story_selected = Signal(str)

    def __init__(self, model: StoryTableModel, parent: QWidget | None = None):
        super().__init__(parent)
        self._model = model
        self._selected = ""
        header = SortHeader(Qt.Orientation.Horizontal, self)
        header.setSectionsClickable(True)  # as the header a table makes for itself
        self.setHorizontalHeader(header)
        self.setModel(model)
        self.setObjectName("storyList")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Tab moves to the next pane, as everywhere else: walking the cells (and opening
        # the next row's story at the end of a row) trapped the keyboard in the list.
        self.setTabKeyNavigation(False)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSortingEnabled(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vertical = self.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(True)
        header.setStretchLastSection(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for i, width in enumerate(self.default_widths()):
            self.setColumnWidth(i, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        words = [column.key for column in COLUMNS].index("word_count")
        self.setItemDelegateForColumn(words, GaugeDelegate(self))  # fit to length
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        # The store lists the newest first; show that as the initial sort.
        header.setSortIndicator(5, Qt.SortOrder.DescendingOrder)
        model.modelReset.connect(self._restore)
        model.repaged.connect(self._restore)
        self.selectionModel().currentRowChanged.connect(self._current_changed)

    def default_widths(self) -> list[int]:
        """Each column as wide as its sample content or its bold title with the sort arrow,
        whichever is wider; the headline column stretches over the rest."""
        cell = self.fontMetrics()
        slug = QFontMetrics(slug_font())
        bold = QFont(self.horizontalHeader().font())
        bold.setWeight(QFont.Weight.DemiBold)
        title = QFontMetrics(bold)
        icon = self.iconSize().width()
        if not self.iconSize().isValid():
            icon = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, self)
        widths = []
        for column in COLUMNS:
            metrics = slug if column.key == "slug" else cell
            content = metrics.horizontalAdvance(column.sample) + CELL_PADDING
            if column.key == "status":
                content += icon + 4  # the status dot and its gap
            widths.append(max(content, title.horizontalAdvance(column.title) + HEADER_EXTRA))
        return widths

    def column_widths(self) -> dict[str, int]:
        """The width of each shown column, by key."""
        return {column.key: self.columnWidth(i) for i, column in enumerate(COLUMNS)
                if not self.isColumnHidden(i)}

    def set_column_shown(self, key: str, shown: bool) -> None:
        index = next(i for i, column in enumerate(COLUMNS) if column.key == key)
        self.setColumnHidden(index, not shown)

    def restore_header(self, state: QByteArray) -> None:
        """Column widths, order, visibility and sort from a saved header state."""
        header = self.horizontalHeader()
        # The restored sort takes effect with the window's first refresh, not a query per
        # signal the restore would emit.
        with QSignalBlocker(header):
            header.restoreState(state)
        self._model.set_sort(header.sortIndicatorSection(), header.sortIndicatorOrder())

    def current_story_id(self) -> str:
        return self._selected

    def select_story(self, story_id: str, *, notify: bool = True, fetch: bool = True) -> bool:
        """Select a story's row (with `fetch`, paging ahead a little to find it); False if
        it is not in the list."""
        row = self._model.row_of(story_id, fetch=fetch)
        if row is None:
            self.clearSelection()
            return False
        if not notify:
            self._selected = story_id
        index = self._model.index(row, 0)
        self.selectionModel().setCurrentIndex(index, SELECT_ROW)
        self.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        return True

    def move(self, step: int) -> None:
        """Go to the next (+1) or previous (-1) story."""
        current = self.currentIndex().row()
        target = current + step if current >= 0 else 0
        if target >= self._model.rowCount() and self._model.canFetchMore():
            self._model.fetchMore()
        if 0 <= target < self._model.rowCount():
            index = self._model.index(target, 0)
            self.selectionModel().setCurrentIndex(index, SELECT_ROW)
            self.scrollTo(index)

    def _column_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.setTitle("Columns")
        for i, column in enumerate(COLUMNS):
            if column.key == "headline":
                continue
            action = menu_entry(menu, column.title, checkable=True,
                                checked=not self.isColumnHidden(i))
            action.toggled.connect(lambda on, i=i: self.setColumnHidden(i, not on))
        menu.exec(self.horizontalHeader().mapToGlobal(pos))

    def _restore(self) -> None:
        # Only the first page is searched: a story that the new filters leave out (or that
        # sits deeper) stays open in the editor without costing a query per page.
        if self._selected and self.select_story(self._selected, notify=False, fetch=False):
            return
        # The open story's row is gone (moved to the trash elsewhere): no row is current,
        # so that a click on the row that took its place still opens that story.
        self.selectionModel().clearCurrentIndex()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._model.reshaping:
            return  # rows moved under the cursor: the user chose nothing
        story_id = self._model.story_id(current.row()) if current.isValid() else None
        if story_id and story_id != self._selected:
            self._selected = story_id
            self.story_selected.emit(story_id)

