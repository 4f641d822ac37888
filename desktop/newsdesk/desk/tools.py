"""The Desk's copy-desk tools: checks, house rules, spelling, desk figures, and the history
as people read it (editing sessions, named versions)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from newsdesk.copydesk import spelling, story_types
from newsdesk.copydesk.checks import Finding, run_checks
from newsdesk.copydesk.rules import Rules, load_rules
from newsdesk.copydesk.stats import Stats
from newsdesk.copydesk.stats import compute as compute_stats
from newsdesk.copydesk.stats import data_version as stats_version
from newsdesk.copydesk.stats import editors as stats_editors
from newsdesk.desk.changes import Changes
from newsdesk.desk.context import DeskContext
from newsdesk.desk.stories import Stories
from newsdesk.domain import sessions
from newsdesk.domain.model import NewsdeskError, Story
from newsdesk.store import versions as named


class Tools:
    """Checks, house rules, spelling, desk figures, and the history people read."""

    def __init__(self, context: DeskContext, stories: Stories) -> None:
        self._c = context
        self._stories = stories
        self._rules: Rules | None = None
        self._stats_memo: tuple[tuple, Stats] | None = None

    def rules(self) -> Rules:
        """The house rules, read once; again after reload_rules() or add_word()."""
        if self._rules is None:
            self._rules = load_rules()
        return self._rules

    def reload_rules(self) -> Rules:
        self._rules = None
        return self.rules()

    def known_type(self, name: str) -> str:
        """`name` as a type of the house rules (lower case), or NewsdeskError listing them."""
        return story_types.known_type(name, self.rules())

    def change_type(self, story_id: str, kind: str) -> Story:
        """Make a story one of the house's types: a new revision (nothing is saved when it
        is already of that type). A content change: it voids an approval, because what a
        type must have is what a desk chief approved it against."""
        current = self._c.store.get(story_id)
        changed = current.replace(type=self.known_type(kind))
        return self._stories.save(changed, current.revision)

    def check(self, ref: str) -> list[Finding]:
        """Copy-desk findings for a stored story (id, id prefix or slug)."""
        return self.check_story(self._stories.find(ref))

    def check_story(self, story: Story) -> list[Finding]:
        """Copy-desk findings for a story as it stands, saved or not (the editor's copy)."""
        return run_checks(story, self.rules())

    def misspelled(self, text: str, story: Story | None = None) -> list[tuple[int, int, str]]:
        """(start, length, word) of each word the dictionary and the word list do not know."""
        return spelling.misspelled(text, story, self.rules())

    def spelling_suggestions(self, word: str) -> list[str]:
        return spelling.suggestions(word)

    def add_word(self, word: str) -> None:
        """Put a word on the newsroom word list (RulesError if it is not one word)."""
        spelling.add_word(word)
        self.reload_rules()

    def stats(
        self, *, section: str | None = None, editor: str | None = None, days: int = 30
    ) -> Stats:
        """Desk figures over the last `days` days (ValueError outside 1..3660 days).

        Reused while no story changed: the dashboard asks again on every list refresh."""
        key = (section, editor, days, datetime.now().date(), stats_version(self._c.store.db))
        memo = self._stats_memo
        if memo is None or memo[0] != key:
            memo = (key, compute_stats(self._c.store.db, section=section, editor=editor, days=days))
            self._stats_memo = memo
        return memo[1]

    def editors(self) -> list[str]:
        """Editors named on live stories (the dashboard's filter)."""
        return stats_editors(self._c.store.db)

    # History people read

    def name_version(self, story_id: str, revision: int, name: str) -> None:
        """Call a saved revision "as subbed", "legal-checked"...; "" takes the name away."""
        named.name_version(self._c.store, story_id, revision, name, self._c.actor)
        self._c.notify(Changes.of(changed=[story_id]))

    def named_versions(self, story_id: str) -> dict[int, named.NamedVersion]:
        return named.named_versions(self._c.store, story_id)

    def history_entries(self, story_id: str) -> list[sessions.Entry]:
        """The story's history, oldest first: editing sessions (with the words each added
        and removed, and the names given to its revisions) and the other events."""
        numbers = [r.revision for r in self._c.store.revisions(story_id)]
        names = {n: v.name for n, v in self.named_versions(story_id).items()}
        entries = []
        for entry in sessions.group(self._c.store.history(story_id)):
            if entry.kind == "session":
                entry = self._measured(story_id, entry, numbers)
            inside = tuple((n, names[n]) for n in numbers if entry.first <= n <= entry.last
                           and n in names)
            entries.append(replace(entry, names=inside))
        return entries

    def _measured(self, story_id: str, entry: sessions.Entry, numbers: list[int]
                  ) -> sessions.Entry:
        before = sessions.revision_before(numbers, entry.first)
        try:
            old = self._c.store.revision(story_id, before).body if before is not None else ""
            new = self._c.store.revision(story_id, entry.last).body
        except NewsdeskError:  # a revision this desk never saw (merged in by a sync)
            return entry
        added, removed = sessions.word_changes(old, new)
        return replace(entry, added=added, removed=removed)
