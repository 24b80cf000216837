//! Benchmark: checking a 12-megapixel JPEG upload and deriving its
//! renditions (`uploads::image::check_and_derive`), as the completion of an
//! upload does. Prints figures; asserts nothing about time.
//!
//! ```sh
//! cargo run -p lanyard-server --profile server --example photo_processing
//! ```
//!
//! The photo is a 4000×3000 JPEG made in memory (a gradient with noise, so
//! it compresses like a photo rather than like a flat colour). Time is wall
//! clock per run. Memory is the process's peak resident set (`VmHWM` in
//! `/proc/self/status`) after resetting it (`/proc/self/clear_refs`), minus
//! the resident set at that moment: what one check adds on top of holding
//! the upload. Linux only for the memory figure.

use image::codecs::jpeg::JpegEncoder;
use image::{ExtendedColorType, Rgb, RgbImage};
use lanyard_server::uploads::image::{check_and_derive, ImageRules};
use std::time::{Duration, Instant};

const WIDTH: u32 = 4000;
const HEIGHT: u32 = 3000;
const RUNS: usize = 7;

fn main() {
    let jpeg = photo_like_jpeg(WIDTH, HEIGHT);
    let rules = ImageRules {
        min_side: 128,
        max_pixels: 40_000_000,
    };
    println!(
        "input: {WIDTH}×{HEIGHT} JPEG ({:.1} MP), {:.2} MB",
        f64::from(WIDTH * HEIGHT) / 1e6,
        jpeg.len() as f64 / 1e6
    );

    let baseline = reset_peak_rss();
    let mut times = Vec::with_capacity(RUNS);
    let mut sizes = (0, 0);
    for _ in 0..RUNS {
        let started = Instant::now();
        let derived = check_and_derive(&jpeg, rules).expect("a valid photo");
        times.push(started.elapsed());
        sizes = (derived.thumb.len(), derived.profile.len());
    }
    let peak = kib("VmHWM");

    // For comparison: decoding alone, the part no derivation can avoid.
    let mut decode_times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        let pixels = image::load_from_memory(&jpeg).expect("a valid photo");
        decode_times.push(started.elapsed());
        drop(pixels);
    }
    decode_times.sort();

    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "check + derive, {RUNS} runs: min {:.1} ms, median {:.1} ms, max {:.1} ms",
        ms(times[0]),
        ms(times[RUNS / 2]),
        ms(times[RUNS - 1])
    );
    println!(
        "of which decoding alone: median {:.1} ms",
        ms(decode_times[RUNS / 2])
    );
    println!(
        "output: thumb 160×160 {:.1} KB, profile 480×480 {:.1} KB",
        sizes.0 as f64 / 1e3,
        sizes.1 as f64 / 1e3
    );
    match (baseline, peak) {
        (Some(base), Some(peak)) => println!(
            "memory: peak RSS {:.1} MiB, of which the check added {:.1} MiB (resident before: {:.1} MiB)",
            peak as f64 / 1024.0,
            peak.saturating_sub(base) as f64 / 1024.0,
            base as f64 / 1024.0
        ),
        _ => println!("memory: not measured (needs Linux's /proc/self/status)"),
    }
}

/// A photo-like picture: smooth gradients plus per-pixel noise.
fn photo_like_jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let pixels = RgbImage::from_fn(width, height, |x, y| {
        // xorshift64: cheap, deterministic noise.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let noise = (state % 24) as u32;
        Rgb([
            ((x * 200 / width) + noise) as u8,
            ((y * 200 / height) + noise) as u8,
            (((x + y) * 100 / (width + height)) + 60 + noise) as u8,
        ])
    });
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode(pixels.as_raw(), width, height, ExtendedColorType::Rgb8)
        .expect("encoding in memory");
    jpeg
}

/// Resets the peak resident set to the current one; returns the current
/// one in KiB.
fn reset_peak_rss() -> Option<u64> {
    // "5" resets VmHWM (Linux 4.0+; see proc(5), /proc/pid/clear_refs).
    std::fs::write("/proc/self/clear_refs", "5").ok()?;
    kib("VmRSS")
}

/// A `kB` line of `/proc/self/status`.
fn kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}
