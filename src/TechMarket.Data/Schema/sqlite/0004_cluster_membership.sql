-- Cluster membership lives in PostgreSQL only (Cluster:Clustering=postgres, see the PostgreSQL script of this
-- version). A SQLite database serves one node with localhost clustering and needs no table for it; this version
-- exists so that both providers count versions alike.
SELECT 1;
