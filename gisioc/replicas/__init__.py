"""Reads on PostgreSQL streaming replicas, writes on the primary (GISIOC_REPLICAS).

`hosts.databases` adds one Django database per replica; `router.ReplicaRouter` sends the reads
of a request that only reads to a healthy replica (`health`), everything else to the primary;
`wsgi.routed` decides per request, keeps a session that just wrote on the primary, and answers
a request whose replica failed from the primary. Without replicas none of it is installed.
"""
