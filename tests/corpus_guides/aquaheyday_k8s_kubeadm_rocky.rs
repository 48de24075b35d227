//! `aquaheyday-k8s-kubeadm-rocky.md`: what a careful operator would run where.
