"""The names of kimsite's own folders in a workspace and in an output.

Kept apart, loading nothing, because the program's first step needs them before it has loaded
anything else (see kimsite.write.look_ahead).
"""

# An empty folder inside every output kimsite makes: kimsite replaces only folders that hold it.
# A folder, not a file, so that nothing is published or committed because of it.
MARKER = ".kimsite-output"

# kimsite's state folder in a workspace: the build cache, the lock, the journal.
STATE_DIR = ".kimsite"

# The output folder when kimsite.yaml and the command line name none.
DEFAULT_OUTPUT = "_site"

# Entries of the state folder other modules keep there (see kimsite.workspace.lock).
CARDS_FOLDER, ICONS_FOLDER = "cards", "icons"  # the share cards and site icons drawn (kimsite.media.drawn_cache)
STATE_FOLDERS = ("images", CARDS_FOLDER, ICONS_FOLDER, "templates", "serve-state")
LOCK_FILE = "lock"
# A build's journal in the state folder, and the one being written (see kimsite.write.writer).
JOURNAL = "journal.json"
JOURNAL_WRITING = JOURNAL + ".tmp"
# Working folders a build keeps beside the output, `.<output>.kimsite-<role>` (kimsite.write.writer):
# full staging, incremental staging, swapped-out output, backups.
WORK_ROLES = ("new", "stage", "old", "undo")
