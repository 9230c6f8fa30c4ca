"""One module per area of the command line; importing them registers their commands on ``main``."""
from itdocs.commands import dossier  # noqa: F401
from itdocs.commands import check  # noqa: F401
from itdocs.commands import generate  # noqa: F401
from itdocs.commands import due  # noqa: F401
from itdocs.commands import archive  # noqa: F401
