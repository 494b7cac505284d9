"""`python -m desktop`: the same as the `lectern` command. Absolute imports: this file is also the
frozen app's entry script, where relative imports fail."""

import multiprocessing
import sys

from desktop.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # indexing workers are spawned processes, also in the bundle
    sys.exit(main())
