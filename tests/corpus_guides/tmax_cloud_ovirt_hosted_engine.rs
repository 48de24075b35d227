//! `tmax-cloud-ovirt-hosted-engine.md`: what a careful operator would run where.
