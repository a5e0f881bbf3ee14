"""The benchmark suite (issue 8's ``bench/``; the repository's top level is fixed, so it lives in the
package): ``sec-kg bench [--sizes 1,10,100,1000] [--peers] [--quick]``.

- ``synthetic``: a generator of graphs of the report's shape at N times its size;
- ``inprocess``: load, start-up, SHACL and every canned query in-process;
- ``http``: a load driver (concurrent clients, requests/s, p50/p99);
- ``peers``: sec-kg, Oxigraph server, Virtuoso and rdflib-endpoint started on 127.0.0.1 and stopped after;
- ``report``: the table.
"""
