"""The benchmark suite, run as ``sec-kg bench [--sizes 1,10,100,1000] [--peers] [--quick]``
(or ``--load-test``).

- ``synthetic``: a generator of graphs of the report's shape at N times its size;
- ``run``: load, start-up, SHACL and every canned query in-process, the HTTP figures, and the table;
- ``http``: a load driver (concurrent clients, requests/s, p50/p99);
- ``peers``: sec-kg, Oxigraph server, Virtuoso and rdflib-endpoint started on 127.0.0.1 and stopped after;
- ``loadtest``: the load test (valid, bad and runaway requests at once).
"""
