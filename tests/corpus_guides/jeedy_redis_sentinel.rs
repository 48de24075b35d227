//! `jeedy-redis-sentinel.md`: what a careful operator would run where.
