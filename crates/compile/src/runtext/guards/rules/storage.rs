//! Volumes: LVM physical volumes, volume groups and logical volumes; docker volumes and networks.

use super::super::cmd::Cmd;
use super::super::Guard;

/// `lvcreate` options that take a value.
const LVCREATE_VALUES: &[&str] = &[
    "-L",
    "--size",
    "-l",
    "--extents",
    "-n",
    "--name",
    "-T",
    "--thinpool",
    "-V",
    "--virtualsize",
    "-i",
    "--stripes",
    "-I",
    "--stripesize",
    "-m",
    "--mirrors",
    "--type",
    "-c",
    "--chunksize",
    "-r",
    "--readahead",
    "-p",
    "--permission",
    "--addtag",
    "-C",
    "--contiguous",
    "-Z",
    "--zero",
    "-W",
    "--wipesignatures",
    "--config",
];

/// `pvcreate DEV…`, `vgcreate VG DEV…`, `lvcreate -n LV … VG`: fail when the volume exists.
pub fn lvm(c: &Cmd) -> Option<Guard> {
    let lead = c.lead();
    match c.name() {
        "pvcreate" => {
            let devs: Vec<&str> = c.positionals(&["--config"]).iter().map(|w| w.raw).collect();
            if devs.is_empty() {
                return None;
            }
            Some(Guard::Unless(format!(
                "{lead}pvs {} >/dev/null 2>&1",
                devs.join(" ")
            )))
        }
        "vgcreate" => {
            let vg = c.positionals(&["-s", "--physicalextentsize", "--config", "--addtag"]);
            let vg = vg.first()?.raw;
            Some(Guard::Unless(format!("{lead}vgs {vg} >/dev/null 2>&1")))
        }
        "lvcreate" => {
            let name = c.opt(&["-n", "--name"])?;
            let pos = c.positionals(LVCREATE_VALUES);
            let vg = pos.first()?.raw;
            let vg = vg.split('/').next().unwrap_or(vg);
            if vg.is_empty() {
                return None;
            }
            Some(Guard::Unless(format!(
                "{lead}lvs {vg}/{name} >/dev/null 2>&1"
            )))
        }
        _ => None,
    }
}

/// `docker volume create NAME`, `docker network create NAME`: a second create of a network
/// fails, of a volume may differ in its options.
pub fn docker(c: &Cmd) -> Option<Guard> {
    if !matches!(c.name(), "docker" | "podman") {
        return None;
    }
    let object = c.arg(0)?;
    if !matches!(object, "volume" | "network") || c.arg(1) != Some("create") {
        return None;
    }
    let takes = [
        "-d",
        "--driver",
        "-o",
        "--opt",
        "--label",
        "--subnet",
        "--gateway",
        "--ip-range",
        "--ipam-driver",
        "--ipam-opt",
        "--aux-address",
        "--scope",
        "--config-from",
        "--name",
    ];
    let pos = c.positionals(&takes);
    let name = match c.opt(&["--name"]) {
        Some(n) => n,
        None => pos.get(2)?.raw,
    };
    let client = &c.head[c.words[c.at].start..c.words[c.at].end];
    Some(Guard::Unless(format!(
        "{}{client} {object} inspect {name} >/dev/null 2>&1",
        c.lead()
    )))
}
