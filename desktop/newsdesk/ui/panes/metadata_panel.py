"""The metadata panel: every field of a story except the body, validated where it is typed."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from newsdesk.copydesk import typography
from newsdesk.copydesk.lengths import Gauge, body_gauge
from newsdesk.desk import Desk
from newsdesk.domain.model import (
    Dateline,
    Story,
    normalize_tags,
    slugify,
    validate,
)
from newsdesk.formats.wire import SOURCE_EDITOR
from newsdesk.ui.panes.fields import OptionalDateEdit, OptionalDateTimeEdit, TagsEdit
from newsdesk.ui.panes.gauges import GaugeLabel
from newsdesk.ui.panes.story_list_model import format_moment
from newsdesk.ui.panes.story_type_field import TypeCombo
from newsdesk.ui.panes.typing_style import HouseStyleTyping


def _polish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def _note_edit(lines: int, placeholder: str) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    line = edit.fontMetrics().lineSpacing()
    edit.setFixedHeight(line * lines + 14)
    return edit


class MetadataPanel(QScrollArea):
    """Shows one story's fields; `changed` fires on every user edit."""

    changed = Signal()
    manage_sections_requested = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self._desk = desk
        self._story: Story | None = None
        self._loading = False
        self._slug_auto = True
        self.setObjectName("metadataPanel")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._build()
        # Never narrower than the form: the splitter stops here instead of cutting it off.
        self.setMinimumWidth(
            self.widget().minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
        )
        self.setEnabled(False)
        # Quotes, dashes and ellipses typed in the text fields follow the house rules too.
        self.typing = HouseStyleTyping(typography.house_style(desk.rules()), self)
        self.typing.watch(self.headline, self.deck, self.caption)

    # Building

    def _build(self) -> None:
        body = QWidget()
        body.setObjectName("metadataBody")
        outer = QVBoxLayout(body)
        outer.setContentsMargins(12, 10, 12, 12)
        outer.setSpacing(4)

        # The status itself is on the workflow bar; here, which revision this is.
        self.revision_label = QLabel()
        self.revision_label.setProperty("role", "muted")
        # "Revision 12 · date by a long name" must wrap, not set the width of the panel:
        # the scroll area never scrolls sideways, so a wider form is cut off at the right.
        self.revision_label.setWordWrap(True)
        outer.addWidget(self.revision_label)
        # Fit to length: the body against its target (house rules, later the story type).
        self.body_count = GaugeLabel()
        self.body_count.setObjectName("bodyLength")
        length = QHBoxLayout()
        length.addWidget(QLabel("Length"))
        length.addStretch(1)
        length.addWidget(self.body_count)
        outer.addLayout(length)

        self.headline = QLineEdit()
        self.headline.setObjectName("headline")
        self.headline.setPlaceholderText("Headline")
        self.headline_count = GaugeLabel()
        self.deck = _note_edit(3, "Standfirst: one or two sentences that sell the story")
        self.deck.setObjectName("deck")
        self.deck_count = GaugeLabel()
        self.slug = QLineEdit()
        self.slug.setObjectName("slug")
        self.slug.setPlaceholderText("derived from the headline")
        self.slug_reset = QToolButton()
        self.slug_reset.setText("Auto")
        self.slug_reset.setToolTip("Derive the slug from the headline again")
        self.place = QLineEdit()
        self.place.setObjectName("datelinePlace")
        self.place.setPlaceholderText("Place")
        self.date = OptionalDateEdit()
        self.date.setObjectName("datelineDate")
        self.date_clear = QToolButton()
        self.date_clear.setText("×")
        self.date_clear.setToolTip("No dateline date")
        self.section = QComboBox()
        self.section.setObjectName("section")
        self.section.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.section.setMinimumContentsLength(10)
        self.sections_button = QToolButton()
        self.sections_button.setText("Manage…")
        self.sections_button.setToolTip("Add or remove sections")
        self.byline = QLineEdit()
        self.byline.setObjectName("byline")
        self.editor = QLineEdit()
        self.editor.setObjectName("editor")
        self.source = QLineEdit()
        self.source.setObjectName("source")
        self.source.setPlaceholderText("Staff, a wire agency…")
        self.source_editor = QLineEdit()
        self.source_editor.setObjectName("sourceEditor")
        self.source_editor.setPlaceholderText("The source's own editor, if it names one")
        self.source_editor.setToolTip(
            "The agency's editor (a wire trailer's “Editor:”); exported with the source"
        )
        self.tags = TagsEdit()
        self.tags.setObjectName("tags")
        self.caption = _note_edit(3, "Photo caption")  # wraps often in a narrow panel
        self.caption.setObjectName("caption")
        self.embargo = OptionalDateTimeEdit("Hold until")
        self.embargo.setObjectName("embargo")
        self.ednote = _note_edit(3, "Note to the desk (never published)")
        self.ednote.setObjectName("ednote")

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(3)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self._label("Headline", self.headline, self.headline_count), self.headline)
        form.addRow(self._label("Deck", self.deck, self.deck_count), self.deck)
        form.addRow(self._label("Slug", self.slug), self._row(self.slug, self.slug_reset))
        form.addRow(
            self._label("Dateline", self.place),
            self._row(self.place, self.date, self.date_clear, stretch=(3, 2, 0)),
        )
        form.addRow(
            self._label("Section", self.section), self._row(self.section, self.sections_button)
        )
        self.story_type = TypeCombo(self._desk.rules())
        form.addRow(self._label("Type", self.story_type), self.story_type)
        form.addRow(self._label("Byline", self.byline), self.byline)
        form.addRow(self._label("Editor", self.editor), self.editor)
        form.addRow(self._label("Source", self.source), self.source)
        form.addRow(self._label("Source's editor", self.source_editor), self.source_editor)
        form.addRow(self._label("Tags", self.tags), self.tags)
        form.addRow(self._label("Caption", self.caption), self.caption)
        form.addRow(self._label("Embargo", self.embargo.check), self.embargo)
        form.addRow(self._label("Note to the desk", self.ednote), self.ednote)
        outer.addLayout(form)
        outer.addStretch(1)
        self.setWidget(body)

        self._fields: dict[str, QWidget] = {
            "headline": self.headline,
            "deck": self.deck,
            "slug": self.slug,
            "dateline": self.place,
            "dateline_date": self.date.edit,
            "section": self.section,
            "type": self.story_type,
            "byline": self.byline,
            "editor": self.editor,
            "source": self.source,
            "source_editor": self.source_editor,
            "tags": self.tags,
            "caption": self.caption,
            "embargo": self.embargo.edit,
            "ednote": self.ednote,
        }
        for widget in self._fields.values():
            widget.setProperty("plain_tip", widget.toolTip())

        self.headline.textChanged.connect(self._headline_changed)
        self.slug.textEdited.connect(self._slug_edited)
        self.slug_reset.clicked.connect(self._slug_to_auto)
        self.deck.textChanged.connect(self._deck_changed)
        self.date_clear.clicked.connect(self.date.clear_value)
        self.sections_button.clicked.connect(self.manage_sections_requested)
        for line in (self.slug, self.place, self.byline, self.editor, self.source,
                     self.source_editor, self.tags):
            line.textChanged.connect(self._edited)
        for note in (self.caption, self.ednote):
            note.textChanged.connect(self._edited)
        self.date.dateChanged.connect(self._edited)
        self.section.currentIndexChanged.connect(self._edited)
        self.story_type.currentIndexChanged.connect(self._type_changed)
        self.embargo.changed.connect(self._edited)

    def _label(self, text: str, buddy: QWidget, extra: QWidget | None = None) -> QWidget:
        label = QLabel(text)
        label.setBuddy(buddy)
        if extra is None:
            return label
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(label)
        row.addStretch(1)
        row.addWidget(extra)
        return box

    def _row(self, *widgets: QWidget, stretch: tuple[int, ...] = ()) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        for i, widget in enumerate(widgets):
            row.addWidget(widget, stretch[i] if stretch else (1 if i == 0 else 0))
        return box

    # Loading and reading

    def story(self) -> Story | None:
        return self._story

    def set_sections(self, sections: list[str]) -> None:
        current = self.section.currentData() if self._story else None
        loading, self._loading = self._loading, True
        self.section.clear()
        self.section.addItem("(no section)", "")
        for path in sections:
            self.section.addItem(path, path)
        self._select_section(current or (self._story.section if self._story else ""))
        self._loading = loading

    def _select_section(self, path: str) -> None:
        index = self.section.findData(path)
        if index < 0:
            # A section from an import or another desk that is not managed here yet.
            self.section.addItem(path, path)
            index = self.section.count() - 1
        self.section.setCurrentIndex(index)

    def set_story(self, story: Story | None) -> None:
        """Show a story (None: an empty, disabled panel); emits no `changed`."""
        self._loading = True
        try:
            self._story = story
            self.setEnabled(story is not None)
            self.tags.set_known_tags([name for name, _count in self._desk.tags()])
            s = story or Story(headline="", slug="")
            self.headline.setText(s.headline)
            self.deck.setPlainText(s.deck)
            self.slug.setText(s.slug)
            self._slug_auto = story is None or s.slug == self._auto_slug(s.headline)
            self.place.setText(s.dateline.place)
            self.date.set_value(s.dateline.date)
            self._select_section(s.section)
            self.story_type.set_type(s.type)
            self.byline.setText(s.byline)
            self.editor.setText(s.editor)
            self.source.setText(s.source)
            self.source_editor.setText(str(s.extra.get(SOURCE_EDITOR) or ""))
            self.tags.setText(", ".join(s.tags))
            self.caption.setPlainText(s.caption)
            self.embargo.set_value(s.embargo)
            self.ednote.setPlainText(s.ednote)
            for line in (self.headline, self.slug, self.place, self.byline, self.tags):
                line.setCursorPosition(0)
            self.show_words(s.word_count)
            self.show_saved(story)
            self.mark({})
        finally:
            self._loading = False

    def show_saved(self, story: Story | None) -> None:
        """Refresh the status line after a save (status, revision, who and when)."""
        if story is None:
            self.revision_label.setText("No story open")
            return
        if self._story is not None and story.id == self._story.id:
            self._story = story
        who = f" by {story.modified_by}" if story.modified_by else ""
        self.revision_label.setText(
            f"Revision {story.revision} · {format_moment(story.updated_at)}{who}"
        )

    def apply_to(self, base: Story) -> Story:
        """`base` with the panel's values; the result may be invalid (see `mark`)."""
        extra = {k: v for k, v in base.extra.items() if k != SOURCE_EDITOR}
        if self.source_editor.text().strip():
            extra[SOURCE_EDITOR] = self.source_editor.text().strip()
        return base.replace(
            extra=extra,
            headline=self.headline.text().strip(),
            deck=self.deck.toPlainText().strip(),
            slug=self.slug.text().strip(),
            dateline=Dateline(self.place.text().strip(), self.date.value()),
            section=self.section.currentData() or "",
            type=self.story_type.current_type(),
            byline=self.byline.text().strip(),
            editor=self.editor.text().strip(),
            source=self.source.text().strip(),
            tags=normalize_tags(self.tags.tags()),
            caption=self.caption.toPlainText().strip(),
            embargo=self.embargo.value(),
            ednote=self.ednote.toPlainText().strip(),
        )

    def problems(self, candidate: Story) -> dict[str, str]:
        """What stops `candidate` from being saved, by field; marks the fields too."""
        problems = {k: v for k, v in validate(candidate).items() if k in self._fields}
        if self.date.problem():
            problems["dateline_date"] = self.date.problem()
        if "slug" not in problems and candidate.slug != (self._story.slug if self._story else ""):
            free = self._desk.unique_slug(candidate.slug, ignore_id=candidate.id)
            if free != candidate.slug:
                problems["slug"] = f"{candidate.slug!r} is used by another story; try {free!r}"
        self.mark(problems)
        return problems

    def mark(self, problems: dict[str, str]) -> None:
        """Red border and the reason as tooltip on each invalid field; clears the rest."""
        for name, widget in self._fields.items():
            message = problems.get(name, "")
            if bool(widget.property("invalid")) != bool(message):
                widget.setProperty("invalid", bool(message))
                _polish(widget)
            widget.setToolTip(message or str(widget.property("plain_tip") or ""))

    # Reacting to edits

    def _auto_slug(self, headline: str) -> str:
        base = slugify(headline)
        story_id = self._story.id if self._story else None
        return self._desk.unique_slug(base, ignore_id=story_id) if headline.strip() else ""

    def _gauge(self, name: str, count: int) -> Gauge:
        rules = self._desk.rules()
        if name == "body":
            return body_gauge(count, rules, self.story_type.current_type())
        limit = rules.headline_limit if name == "headline" else rules.deck_limit
        return Gauge(name, count, limit, "characters", limit=True)

    def show_words(self, words: int, _chars: int = 0) -> None:
        """The body's length against its target (the editor tells it as it changes)."""
        self.body_count.show_gauge(self._gauge("body", words))

    def _deck_changed(self) -> None:
        self.deck_count.show_gauge(self._gauge("deck", len(self.deck.toPlainText())))
        self._edited()

    def _headline_changed(self, text: str) -> None:
        self.headline_count.show_gauge(self._gauge("headline", len(text)))
        if self._loading:
            return
        if self._slug_auto:
            self.slug.setText(self._auto_slug(text))
        self._edited()

    def _slug_edited(self, text: str) -> None:
        # Typing a slug by hand pins it; emptying the field hands it back to the headline.
        self._slug_auto = not text.strip()
        if self._slug_auto:
            self._slug_to_auto()

    def _slug_to_auto(self) -> None:
        self._slug_auto = True
        self.slug.setText(self._auto_slug(self.headline.text()))

    def _type_changed(self) -> None:
        # The body's target follows the type; the count is what the gauge last showed.
        gauge = self.body_count.gauge()
        self.show_words(gauge.count if gauge is not None else 0)
        self._edited()

    def _edited(self) -> None:
        if not self._loading:
            self.changed.emit()
