"""One module per area of the command line; importing them registers their commands on ``main``."""
from itdocs.commands import (
    archive,  # noqa: F401
    check,  # noqa: F401
    dossier,  # noqa: F401
    due,  # noqa: F401
    generate,  # noqa: F401
)
