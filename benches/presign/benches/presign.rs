//! `scripts/bench-presign.sh` runs this and prints the ratios from
//! criterion's estimates. Every contender signs the same thumbnail URL.

use criterion::{criterion_group, criterion_main, Criterion};
use lanyard_bench_presign::{Aws, Floor, Lanyard, Photo};
use std::hint::black_box;
use std::time::Duration;

fn presign(c: &mut Criterion) {
    let photo = Photo::new();
    let lanyard = Lanyard::new();
    let aws = Aws::new();
    let floor = Floor::sized_like(&lanyard.presign(&photo));
    let (canonical, to_sign) = floor.lengths();
    println!("canonical request: {canonical} bytes, string to sign: {to_sign} bytes");

    let mut group = c.benchmark_group("presign");
    group.measurement_time(Duration::from_secs(4));
    group.bench_function("floor", |b| b.iter(|| black_box(floor.run())));
    group.bench_function("lanyard", |b| {
        b.iter(|| black_box(lanyard.presign(black_box(&photo))))
    });
    group.bench_function("lanyard-plain", |b| {
        b.iter(|| black_box(lanyard.presign_plain(black_box(&photo))))
    });
    group.bench_function("lanyard-photo-signer", |b| {
        b.iter(|| black_box(lanyard.sign_photo(black_box(photo.now))))
    });
    group.bench_function("aws-sdk-s3", |b| {
        b.iter(|| black_box(aws.presign(black_box(&photo))))
    });
    group.finish();
}

criterion_group!(benches, presign);
criterion_main!(benches);
