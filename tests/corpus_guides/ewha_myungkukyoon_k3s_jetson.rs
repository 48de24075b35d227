//! `ewha-myungkukyoon-k3s-jetson.md`: what a careful operator would run where.
