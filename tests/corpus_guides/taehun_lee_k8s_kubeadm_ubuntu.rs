//! `TaeHun-Lee-k8s-kubeadm-ubuntu.md`: what a careful operator would run where.
