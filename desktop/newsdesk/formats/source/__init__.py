"""The Markdown source engine of the body editor, without Qt: a body cut into blocks that
keep their exact text (blocks.py), a block's inline Markdown read into styled runs
(inline.py) and written back (inline_write.py), and how an edited document is written
back so that every untouched block keeps its bytes (splice.py). ui/editor/ is the Qt
bridge over it."""
