"""Pull adapter for the document-management software's change feed of documents."""

from gisioc.ingest.pull import ChangeFeedPuller, register_puller

PULLER = register_puller("documents", ChangeFeedPuller())
