//! `sy0218-hadoop-ha.md`: what a careful operator would run where.
