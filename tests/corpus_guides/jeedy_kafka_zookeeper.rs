//! `jeedy-kafka-zookeeper.md`: what a careful operator would run where.
