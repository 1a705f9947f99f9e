use super::super::edt::{signed_distance_2d, sq_edt};
use super::Rng;

fn brute(dims: [usize; 3], sp: [f64; 3], feat: &[bool]) -> Vec<f64> {
    let n = dims[0] * dims[1] * dims[2];
    let at = |l: usize| {
        [
            l % dims[0],
            (l / dims[0]) % dims[1],
            l / (dims[0] * dims[1]),
        ]
    };
    (0..n)
        .map(|l| {
            let p = at(l);
            (0..n)
                .filter(|&m| feat[m])
                .map(|m| {
                    let q = at(m);
                    (0..3)
                        .map(|a| ((p[a] as f64 - q[a] as f64) * sp[a]).powi(2))
                        .sum::<f64>()
                })
                .fold(f64::INFINITY, f64::min)
        })
        .collect()
}

#[test]
fn edt_matches_brute_force_anisotropic() {
    let mut rng = Rng(42);
    for (dims, sp, density) in [
        ([9, 7, 5], [0.7, 1.3, 2.5], 0.05),
        ([6, 11, 4], [3.0, 0.5, 1.0], 0.2),
        ([13, 1, 1], [2.0, 1.0, 1.0], 0.1),
        ([1, 1, 12], [1.0, 1.0, 0.25], 0.15),
    ] {
        let n = dims[0] * dims[1] * dims[2];
        let feat: Vec<bool> = (0..n).map(|_| rng.unit() < density).collect();
        let d = sq_edt(dims, sp, |i| feat[i]);
        let b = brute(dims, sp, &feat);
        for l in 0..n {
            if b[l].is_infinite() {
                assert!(d[l].is_infinite());
            } else {
                assert!(
                    (d[l] as f64 - b[l]).abs() < 1e-3 * (1.0 + b[l]),
                    "{dims:?} voxel {l}: {} vs {}",
                    d[l],
                    b[l]
                );
            }
        }
    }
}

#[test]
fn edt_edge_cases() {
    assert!(sq_edt([0, 5, 5], [1.0; 3], |_| true).is_empty());
    assert!(
        sq_edt([4, 4, 4], [1.0; 3], |_| false)
            .iter()
            .all(|v| v.is_infinite())
    );
    assert!(
        sq_edt([4, 4, 4], [f64::NAN, -1.0, 0.0], |_| true)
            .iter()
            .all(|&v| v == 0.0)
    );
}

#[test]
fn signed_distance_of_a_disc() {
    let (n, r) = (41usize, 10.0f64);
    let inside: Vec<bool> = (0..n * n)
        .map(|l| {
            let (u, v) = ((l % n) as f64 - 20.0, (l / n) as f64 - 20.0);
            u * u + v * v <= r * r
        })
        .collect();
    let sd = signed_distance_2d(n, n, [0.5, 0.5], &inside);
    // Centre: about -(r + 0.5 voxel) * 0.5 mm; far corner: positive.
    let c = sd[20 + n * 20];
    assert!((c + 5.25).abs() < 0.5, "centre {c}");
    assert!(sd[0] > 4.0);
    assert!(signed_distance_2d(3, 3, [1.0, 1.0], &[true; 4]).is_empty());
}
