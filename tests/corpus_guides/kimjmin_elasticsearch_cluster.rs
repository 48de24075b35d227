//! `kimjmin-elasticsearch-cluster.md`: what a careful operator would run where.
