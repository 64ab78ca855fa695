"""Where songs, move clips and videos live: one interface, chosen by settings.

Locations are the strings stored in the database and the blueprint:

* local: a path relative to the data root, e.g. ``songs/ab12....mp3``;
* Google Cloud Storage: ``gs://bucket/songs/ab12....mp3``.

Each kind of file has an *area*, laid out as in the seed document:

=============== ===================== ============================
area            local folder          GCS prefix
=============== ===================== ============================
songs           data/songs/           gs://bucket/songs/
moves           data/Bachata_steps/   gs://bucket/moves/
choreographies  data/choreographies/  gs://bucket/choreographies/
=============== ===================== ============================
"""

from bachata.storage.base import AREAS, Storage, storage_for
from bachata.storage.gcs import GCSStorage, parse_gs_uri
from bachata.storage.local import LocalStorage

__all__ = ["AREAS", "GCSStorage", "LocalStorage", "Storage", "parse_gs_uri", "storage_for"]
