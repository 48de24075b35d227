//! `dor1a-ceph-cephadm.md`: what a careful operator would run where.
