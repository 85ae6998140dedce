"""Pull adapter for the provincial one-stop software's dossier change feed."""

from gisioc.ingest.pull import ChangeFeedPuller, register_puller

PULLER = register_puller("public_services", ChangeFeedPuller())
