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
