//! What a careful operator would run where, for each real guide of `../shared/corpus/`, phrased
//! against the guide's own words (see `support`). One module per guide.

#[macro_use]
mod support;

mod aquaheyday_k8s_kubeadm_rocky;
mod dor1a_ceph_cephadm;
mod ewha_myungkukyoon_k3s_jetson;
mod jeedy_kafka_zookeeper;
mod jeedy_redis_sentinel;
mod kimjmin_elasticsearch_cluster;
mod rhgkstjf_hadoop_cluster;
mod sy0218_hadoop_ha;
mod taehun_lee_k8s_kubeadm_ubuntu;
mod tmax_cloud_ovirt_hosted_engine;
