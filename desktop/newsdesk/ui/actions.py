"""The action registry: every QAction of the window is made here, from a spec (text,
shortcuts, icon, tip); menus and the toolbar are built from it, and features take their
actions by key. The body editor's actions come from here too (`editor_actions`), scoped
to the editor, and so do context menus' passing entries (`menu_entry`); a test fails if
any other module makes a QAction (tests/project/test_architecture.py)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QLineEdit, QMenu, QMenuBar, QToolBar, QToolButton, QWidget

from newsdesk.ui import icons, theme

WORKFLOW_PENDING = "workflow arrives with the workflow issue"


Keys = tuple[str | QKeySequence.StandardKey, ...]


@dataclass(frozen=True)
class ActionSpec:
    key: str
    text: str
    shortcuts: Keys = ()
    icon: str = ""
    tip: str = ""
    checkable: bool = False
    checked: bool = False
    enabled: bool = True
    # Keys such as Del must act only where the user's focus is (the story list), or they
    # would steal the key from every text field.
    local: bool = False
    role: QAction.MenuRole = QAction.MenuRole.NoRole


SPECS: tuple[ActionSpec, ...] = (
    ActionSpec("new_story", "&New Story", ("Ctrl+N",), "new", "Start a new story"),
    ActionSpec("import", "&Import…", ("Ctrl+O",), "import",
               "Import wire copy or Markdown files into the desk"),
    ActionSpec("sync", "S&ync with Folder…", ("Ctrl+Shift+Y",), "",
               "Exchange stories with a shared folder or a git clone"),
    ActionSpec("sync_conflicts", "Sync &Conflicts…", (), "",
               "Stories both sides changed: compare, pick or edit"),
    ActionSpec("export", "E&xport for Publishing…", ("Ctrl+Shift+E",), "",
               "Write the approved stories out for the publishing system"),
    ActionSpec("save", "&Save", ("Ctrl+S",), "save", "Save the current story now"),
    ActionSpec("trash_dialog", "T&rash…", (), "trash",
               "Show deleted stories; restore them or delete them for good"),
    ActionSpec("restore_backup", "Restore from &Backup…", (), "",
               "Put an earlier backup of the database back in place"),
    ActionSpec("quit", "&Quit", ("Ctrl+Q",), "quit", "Save and close Newsdesk",
               role=QAction.MenuRole.QuitRole),
    ActionSpec("find", "&Find in Story…", ("Ctrl+F",), "find", "Find and replace in the body"),
    ActionSpec("search", "Search &Stories", ("Ctrl+Shift+F",), "find",
               "Jump to the search box of the story list"),
    ActionSpec("next_story", "Ne&xt Story", ("Ctrl+PgDown", "Alt+Down"), "next",
               "Open the next story in the list"),
    ActionSpec("previous_story", "Pre&vious Story", ("Ctrl+PgUp", "Alt+Up"), "previous",
               "Open the previous story in the list"),
    ActionSpec("duplicate", "&Duplicate", ("Ctrl+Shift+D",), "duplicate",
               "Make a new draft from a copy of this story"),
    ActionSpec("change_slug", "Change S&lug…", (), "",
               "Give this story a new slug; exports keep the old URL working"),
    ActionSpec("add_photo", "Add &Photo…", (), "",
               "Attach picture files to this story (its caption and credit come from the "
               "file unless you type them)"),
    ActionSpec("delete", "Move to &Trash", ("Del",), "trash",
               "Move the selected story to the trash (it can be restored)", local=True),
    ActionSpec("submit", "S&ubmit to Desk", ("Ctrl+Return",), "submit", WORKFLOW_PENDING,
               enabled=False),
    ActionSpec("approve", "&Approve", (), "approve", WORKFLOW_PENDING, enabled=False),
    ActionSpec("request_changes", "Request &Changes…", (), "request_changes", WORKFLOW_PENDING,
               enabled=False),
    ActionSpec("spike", "S&pike", (), "spike", WORKFLOW_PENDING, enabled=False),
    ActionSpec("restore", "&Restore to Draft", (), "restore", WORKFLOW_PENDING, enabled=False),
    ActionSpec("publish", "Pu&blish", (), "publish", WORKFLOW_PENDING, enabled=False),
    # Enabled only when the rules allow them (ui/features/after_publication.py).
    ActionSpec("correct", "C&orrect…", (), "",
               "Record the correction of this published story, with its note (drafted from "
               "your changes)", enabled=False),
    ActionSpec("update_story", "&Update…", (), "",
               "Record an update of this published story, with its update line",
               enabled=False),
    ActionSpec("kill", "&Kill…", (), "",
               "Kill this published story for good; the exports carry the notice (desk chief)",
               enabled=False),
    ActionSpec("corrections_log", "Corrections &Log…", (), "",
               "Every correction, update and kill on the desk"),
    ActionSpec("history", "Hi&story…", ("Ctrl+Shift+H",), "history",
               "Every transition and revision of this story, with diffs; restore old text"),
    ActionSpec("house_style", "Apply &House Style…", ("Ctrl+Alt+Y",), "",
               "Curly quotes, apostrophes, dashes and ellipses as the house rules have them, "
               "with the changes listed first"),
    ActionSpec("manage_sections", "Manage S&ections…", (), "sections",
               "Add or remove sections of the managed list"),
    ActionSpec("toggle_list", "Story &List", ("Ctrl+Alt+1",), "list", "Show or hide the story list",
               checkable=True),
    ActionSpec("toggle_preview", "&Preview", ("Ctrl+Alt+2",), "preview",
               "Show or hide the HTML preview", checkable=True),
    ActionSpec("toggle_metadata", "&Metadata", ("Ctrl+Alt+3",), "panel",
               "Show or hide the metadata panel", checkable=True),
    ActionSpec("wire_queue", "&Wire…", ("Ctrl+Alt+W",), "",
               "The incoming wire queue: agency items to take, updates to merge"),
    ActionSpec("focus_list", "Go to Story Lis&t", ("Ctrl+1",), "",
               "Put the keyboard in the story list"),
    ActionSpec("focus_editor", "Go to &Editor", ("Ctrl+2",), "",
               "Put the keyboard in the story's text"),
    ActionSpec("focus_metadata", "Go to Meta&data", ("Ctrl+3",), "",
               "Put the keyboard in the metadata panel"),
    ActionSpec("focus_checks", "Go to Copy C&hecks", ("Ctrl+4",), "",
               "Put the keyboard in the copy checks (Enter selects a finding's text)"),
    ActionSpec("next_pane", "&Next Pane", ("F6",), "",
               "Story list, editor, metadata panel in turn"),
    ActionSpec("previous_pane", "Pre&vious Pane", ("Shift+F6",), "",
               "Metadata panel, editor, story list in turn"),
    ActionSpec("toggle_checks", "Copy &Checks", ("Ctrl+Alt+4",), "",
               "Show or hide the copy-desk checks under the editor", checkable=True,
               checked=True),
    ActionSpec("toggle_dashboard", "Desk &Dashboard", ("Ctrl+Alt+5",), "",
               "Stories per status and section, throughput, approval times (in its own window)",
               checkable=True),
    ActionSpec("toggle_spelling", "Check &Spelling", (), "",
               "Underline words that neither the dictionary nor the word list knows",
               checkable=True, checked=True),
    ActionSpec("theme_system", "S&ystem Theme", (), "",
               "Light or dark as the desktop is", checkable=True),
    ActionSpec("theme_light", "Li&ght Theme", (), "", "Always light", checkable=True),
    ActionSpec("theme_dark", "Dar&k Theme", (), "", "Always dark", checkable=True),
    ActionSpec("reset_layout", "&Reset Layout", (), "",
               "Put the panes back to their default sizes"),
    ActionSpec("about", "&About Newsdesk", (), "", "Version and licence",
               role=QAction.MenuRole.AboutRole),
)

# None is a separator; a string that is not a key names an extension point that the
# window fills with actions made elsewhere (the body editor's own actions).
MENUS: tuple[tuple[str, tuple[str | None, ...]], ...] = (
    ("&File", ("new_story", "import", "sync", "sync_conflicts", "export", None, "save", None,
               "trash_dialog", "restore_backup", None, "quit")),
    ("&Edit", ("@editor-history", None, "find", "@editor-find", "search")),
    ("F&ormat", ("@editor-format", None, "house_style")),
    ("&Story", ("next_story", "previous_story", None, "duplicate", "change_slug", "add_photo",
                "delete", None,
                "submit", "approve", "request_changes", "publish", "spike", "restore", None,
                "correct", "update_story", "kill", "corrections_log", None, "history", None,
                "manage_sections")),
    ("&View", ("toggle_list", "toggle_preview", "toggle_metadata", None, "wire_queue", None,
               "@editor-view", None,
               "focus_list", "focus_editor", "focus_metadata", "focus_checks", "next_pane",
               "previous_pane",
               None, "theme_system", "theme_light", "theme_dark", None, "toggle_checks",
               "toggle_dashboard", "toggle_spelling", None, "reset_layout")),
    ("&Help", ("about",)),
)
TOOLBAR: tuple[str | None, ...] = (
    "new_story", "import", "save", None, "previous_story", "next_story", None, "duplicate",
    "delete", None, "toggle_preview",
)

# The body editor's own actions: their shortcuts act only inside the editor. Heading,
# subheading and paragraph are named in words; Ctrl+1/2/3 move between the window's panes
# (ui/panes/focus.py). Find, Replace and the source view are in the Edit and View menus,
# not on the editor's narrow toolbar.
_SEQ = QKeySequence.StandardKey
EDITOR_SPECS: tuple[ActionSpec, ...] = (
    ActionSpec("undo", "Undo", (_SEQ.Undo,), "undo"),
    ActionSpec("redo", "Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "redo"),
    ActionSpec("paragraph", "Paragraph", ("Ctrl+0",), "", "Paragraph: plain body text"),
    ActionSpec("heading2", "Heading", ("Ctrl+Shift+2",), "",
               "Heading: a crosshead in the story (## in Markdown)", checkable=True),
    ActionSpec("heading3", "Subheading", ("Ctrl+Shift+3",), "",
               "Subheading: a smaller crosshead (### in Markdown)", checkable=True),
    ActionSpec("bold", "Bold", (_SEQ.Bold,), "bold", checkable=True),
    ActionSpec("italic", "Italic", (_SEQ.Italic,), "italic", checkable=True),
    ActionSpec("link", "Link", ("Ctrl+K",), "link", "Add, change or remove a link"),
    ActionSpec("bullets", "Bullets", ("Ctrl+Shift+8",), "bullets", "Bulleted list",
               checkable=True),
    ActionSpec("numbers", "Numbers", ("Ctrl+Shift+7",), "numbers", "Numbered list",
               checkable=True),
    ActionSpec("quote", "Quote", ("Ctrl+Shift+9",), "quote", "Block quote", checkable=True),
    ActionSpec("find", "Find", (_SEQ.Find,), "", "Find"),
    ActionSpec("replace", "Replace…", ("Ctrl+H",), "", "Find and replace"),
    ActionSpec("source", "Markdown Source", ("Ctrl+Shift+M",), "",
               "Show the Markdown source", checkable=True),
)


def editor_actions(owner: QWidget) -> dict[str, QAction]:
    """The body editor's actions, made for `owner` (their shortcuts act inside it)."""
    made: dict[str, QAction] = {}
    for spec in EDITOR_SPECS:
        action = QAction(spec.text, owner)
        action.setObjectName(f"editor_{spec.key}")
        keys = [QKeySequence(s) for s in spec.shortcuts]
        action.setShortcuts(keys)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        names = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
        tip = spec.tip or spec.text
        action.setToolTip(f"{tip} ({names})" if names else tip)
        action.setCheckable(spec.checkable)
        owner.addAction(action)
        made[spec.key] = action
    return made


def menu_entry(menu: QMenu, text: str, *, checkable: bool = False, checked: bool = False,
               enabled: bool = True) -> QAction:
    """A passing entry of a context menu (a spelling suggestion, a column to show), made
    here like every other action; its menu owns it, so it goes with the menu."""
    action = QAction(text, menu)
    action.setCheckable(checkable)
    action.setChecked(checked)
    action.setEnabled(enabled)
    menu.addAction(action)
    return action


def field_icon(field: QLineEdit, icon: QIcon) -> QAction:
    """An icon at the start of a text field (the search's magnifier): Qt shows it as an
    action of the field, made here like every other."""
    action = QAction(icon, "", field)
    field.addAction(action, QLineEdit.ActionPosition.LeadingPosition)
    return action


def editor_icon(key: str) -> str:
    """The line icon of an editor action ("" for one shown by name)."""
    return next(spec.icon for spec in EDITOR_SPECS if spec.key == key)


class ActionRegistry(QObject):
    """Creates each action once; the window finds them by key."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self._window = parent
        self._actions: dict[str, QAction] = {}
        self._icons: dict[str, str] = {}
        self._extensions: dict[str, list[QAction]] = {}
        for spec in SPECS:
            self._create(spec)
        self.retint()

    def _create(self, spec: ActionSpec) -> QAction:
        action = QAction(spec.text, self._window)
        action.setObjectName(f"action_{spec.key}")
        if spec.shortcuts:
            action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
        action.setStatusTip(spec.tip)
        action.setToolTip(_tooltip(spec))
        action.setCheckable(spec.checkable)
        action.setChecked(spec.checked)
        action.setEnabled(spec.enabled)
        action.setMenuRole(spec.role)
        if spec.local:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        else:
            # Window-wide actions keep working while the menu bar is hidden or unused.
            self._window.addAction(action)
        self._actions[spec.key] = action
        if spec.icon:
            self._icons[spec.key] = spec.icon
        return action

    def __getitem__(self, key: str) -> QAction:
        return self._actions[key]

    def __contains__(self, key: str) -> bool:
        return key in self._actions

    def keys(self) -> list[str]:
        return list(self._actions)

    def adopt(self, key: str, action: QAction) -> None:
        """Use an action made elsewhere (the editor's Find) under `key`, with our text,
        shortcut and reach: one action per command, so no shortcut is ever ambiguous."""
        spec = next(s for s in SPECS if s.key == key)
        self._window.removeAction(self._actions[key])
        self._actions[key].deleteLater()
        action.setText(spec.text)
        action.setObjectName(f"action_{key}")
        action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setStatusTip(spec.tip)
        action.setToolTip(_tooltip(spec))
        self._window.addAction(action)
        self._actions[key] = action
        self.retint()

    def extend(self, point: str, actions: list[QAction]) -> None:
        """Hand actions made elsewhere (e.g. by the body editor) to a menu extension point."""
        self._extensions[point] = list(actions)

    def retint(self) -> None:
        """Redraw icons in the current scheme's text colour (after a light/dark switch)."""
        color = theme.colors().text
        for key, name in self._icons.items():
            self._actions[key].setIcon(icons.line_icon(name, color))
        # Qt draws the chevron of a toolbar that overflows in a fixed dark grey: lost in dark.
        for button in self._window.findChildren(QToolButton, "qt_toolbar_ext_button"):
            button.setIcon(icons.line_icon("more", color))

    def build_menus(self, menubar: QMenuBar) -> dict[str, QMenu]:
        menubar.clear()
        menus: dict[str, QMenu] = {}
        for title, keys in MENUS:
            menu = menubar.addMenu(title)
            menus[title.replace("&", "")] = menu
            for key in keys:
                if key is None:
                    if menu.actions() and not menu.actions()[-1].isSeparator():
                        menu.addSeparator()
                elif key.startswith("@"):
                    menu.addActions(self._extensions.get(key[1:], []))
                else:
                    menu.addAction(self._actions[key])
        return menus

    def build_toolbar(self, toolbar: QToolBar) -> None:
        toolbar.clear()
        for key in TOOLBAR:
            if key is None:
                toolbar.addSeparator()
            else:
                toolbar.addAction(self._actions[key])


def _tooltip(spec: ActionSpec) -> str:
    name = spec.text.replace("&", "").rstrip("…")
    if spec.shortcuts:
        keys = QKeySequence(spec.shortcuts[0]).toString(QKeySequence.SequenceFormat.NativeText)
        name = f"{name} ({keys})"
    return f"{name}\n{spec.tip}" if spec.tip else name
