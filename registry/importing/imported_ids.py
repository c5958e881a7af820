"""The ids of imported records, made from what identifies them in the files.

Every import of the same files makes the same ids, so a second run finds the records the first one
added, even where the register has since changed what they were matched on (a provider's code, a
partnership's start date).
"""

import uuid

IMPORT_NAMESPACE = uuid.UUID("5b0b2a8e-6c2f-4e8a-9d4c-0f1e7c3a2b61")


def imported_id(*parts) -> uuid.UUID:
    """The id for the record of this kind ("provider", "address", …) with these identifying values."""
    return uuid.uuid5(IMPORT_NAMESPACE, "|".join(str(part) for part in parts))
