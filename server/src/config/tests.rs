use super::*;
use secrecy::ExposeSecret;

use clap::{CommandFactory as _, FromArgMatches as _};

/// Parses `args` as flags only. `try_parse_from` would also read the
/// process environment for every flag not given, so an exported
/// `AWS_REGION` or `LANYARD_SEED` would change what these tests see;
/// dropping each argument's `env` makes them hermetic.
fn parse(args: &[&str]) -> Result<Config, clap::Error> {
    let mut matches = Config::command()
        .mut_args(|arg| arg.env(None::<&str>))
        .try_get_matches_from(std::iter::once("lanyard").chain(args.iter().copied()))?;
    Config::from_arg_matches_mut(&mut matches)
}

#[test]
fn every_setting_reads_its_contract_variable() {
    // What `parse` leaves out, checked without touching the environment.
    let command = Config::command();
    let env_of = |id: &str| {
        command
            .get_arguments()
            .find(|arg| arg.get_id() == id)
            .and_then(|arg| arg.get_env())
            .and_then(|name| name.to_str())
            .map(str::to_owned)
    };
    for (field, variable) in [
        ("addr", "LANYARD_ADDR"),
        ("data_dir", "LANYARD_DATA_DIR"),
        ("database_url", "LANYARD_DATABASE_URL"),
        ("spa_dir", "LANYARD_SPA_DIR"),
        ("public_url", "LANYARD_PUBLIC_URL"),
        ("bucket", "LANYARD_BUCKET"),
        ("aws_access_key_id", "AWS_ACCESS_KEY_ID"),
        ("aws_secret_access_key", "AWS_SECRET_ACCESS_KEY"),
        ("aws_region", "AWS_REGION"),
        ("aws_endpoint_url_s3", "AWS_ENDPOINT_URL_S3"),
        ("s3_public_url", "LANYARD_S3_PUBLIC_URL"),
        ("s3_path_style", "LANYARD_S3_PATH_STYLE"),
        ("embedded_s3_addr", "LANYARD_EMBEDDED_S3_ADDR"),
        ("thumb_ttl", "LANYARD_THUMB_TTL"),
        ("profile_ttl", "LANYARD_PROFILE_TTL"),
        ("url_window_fraction", "LANYARD_URL_WINDOW_FRACTION"),
        ("upload_max_bytes", "LANYARD_UPLOAD_MAX_BYTES"),
        ("upload_ttl", "LANYARD_UPLOAD_TTL"),
        ("review_ttl", "LANYARD_REVIEW_TTL"),
        ("upload_sweep_after", "LANYARD_UPLOAD_SWEEP_AFTER"),
        ("photo_min_side", "LANYARD_PHOTO_MIN_SIDE"),
        ("photo_max_pixels", "LANYARD_PHOTO_MAX_PIXELS"),
        ("s3_sse", "LANYARD_S3_SSE"),
        ("seed", "LANYARD_SEED"),
        ("seed_people", "LANYARD_SEED_PEOPLE"),
        ("demo_password", "LANYARD_DEMO_PASSWORD"),
        ("secure_cookies", "LANYARD_SECURE_COOKIES"),
        ("session_idle_minutes", "LANYARD_SESSION_IDLE_MINUTES"),
        ("session_max_hours", "LANYARD_SESSION_MAX_HOURS"),
    ] {
        assert_eq!(env_of(field).as_deref(), Some(variable), "{field}");
    }
}

/// Each default is written once, in the setting's `#[arg]`; the README's
/// settings table states it to operators. Instead of restating the values
/// here, this holds the two together: every setting with a default has a
/// row, and the row's n-th value is the n-th variable's default.
#[test]
fn the_readme_states_every_default_the_parser_has() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .expect("README.md beside the workspace");
    // `| `A`, `B` | unset, `2` | what it is |` → (["A", "B"], [None, "2"]):
    // a default in words ("unset", "generated") is no value.
    let ticked = |cell: &str| -> Vec<Option<String>> {
        cell.split(", ")
            .map(|piece| {
                // "`259200` (72 h)": the value, then perhaps a gloss.
                let (inner, rest) = piece.strip_prefix('`')?.split_once('`')?;
                (rest.is_empty() || rest.starts_with(" (")).then(|| inner.to_owned())
            })
            .collect()
    };
    type Cell = Vec<Option<String>>;
    let rows: Vec<(Cell, Cell)> = readme
        .lines()
        .filter(|line| line.starts_with("| `"))
        .filter_map(|line| {
            let cells: Vec<&str> = line.trim_start_matches("| ").split(" | ").collect();
            (cells.len() >= 3).then(|| (ticked(cells[0]), ticked(cells[1])))
        })
        .collect();
    let defaults = parse(&[]).expect("the defaults parse");
    let mut checked = 0;
    let mut wrong = Vec::new();
    for arg in Config::command().get_arguments() {
        let (Some(env), [default]) = (arg.get_env(), arg.get_default_values()) else {
            continue;
        };
        if arg.is_hide_set() {
            continue;
        }
        let (env, default) = (env.to_string_lossy(), default.to_string_lossy());
        let env_name = Some(env.to_string());
        let Some((names, values)) = rows.iter().find(|(names, _)| names.contains(&env_name)) else {
            wrong.push(format!("no row for {env} (default {default:?})"));
            continue;
        };
        let position = names.iter().position(|name| *name == env_name).unwrap();
        // An empty default ("unset") is written in words, not as a value.
        if default.is_empty() {
            continue;
        }
        if values.get(position).cloned().flatten().as_deref() != Some(default.as_ref()) {
            wrong.push(format!(
                "{env}: says {:?}, is {default:?}",
                values.get(position)
            ));
        }
        checked += 1;
    }
    assert!(wrong.is_empty(), "README.md's settings table: {wrong:#?}");
    assert!(checked >= 20, "only {checked} defaults were compared");
    // And the defaults make a working configuration.
    assert!(!defaults.use_secure_cookies());
    assert_eq!(defaults.seed, SeedMode::Demo);
}

#[test]
fn upload_settings_parse_and_refuse_nonsense() {
    let config = parse(&[
        "--upload-max-bytes",
        "1000",
        "--upload-ttl",
        "2",
        "--upload-sweep-after",
        "60",
        "--photo-min-side",
        "64",
        "--photo-max-pixels",
        "5000",
        "--s3-sse",
        "AES256",
    ])
    .unwrap();
    assert_eq!(config.upload_max_bytes, 1000);
    assert_eq!(config.upload_ttl, Duration::from_secs(2));
    assert_eq!(config.upload_sweep_after, Duration::from_secs(60));
    assert_eq!(config.s3_sse.header_value(), Some("AES256"));
    // 64² = 4096 ≤ 5000: the limits fit together.
    assert!(config.validate().is_ok());
    for bad in [
        &["--upload-max-bytes", "0"][..],
        &["--upload-max-bytes", "104857601"],
        &["--upload-ttl", "0"],
        &["--upload-sweep-after", "0"],
        &["--photo-min-side", "0"],
        &["--photo-max-pixels", "100000001"],
        &["--s3-sse", "aws:kms"],
    ] {
        assert!(parse(bad).is_err(), "{bad:?} was accepted");
    }
    let mut config = Config::for_tests("/tmp/x", "pw");
    config.photo_min_side = 300;
    config.photo_max_pixels = 300 * 300 - 1;
    assert!(matches!(
        config.validate(),
        Err(ConfigError::PhotoLimits { .. })
    ));
    let mut config = Config::for_tests("/tmp/x", "pw");
    config.upload_max_bytes = 0;
    assert!(config.validate().is_err());
}

#[test]
fn ttls_are_parsed_in_seconds() {
    let config = parse(&["--thumb-ttl", "60", "--profile-ttl", "604800"]).unwrap();
    assert_eq!(config.thumb_ttl, Duration::from_secs(60));
    assert_eq!(config.profile_ttl, Duration::from_secs(604_800));
}

#[test]
fn a_zero_ttl_is_refused() {
    let err = parse(&["--thumb-ttl", "0"]).unwrap_err().to_string();
    assert!(err.contains("out of range"), "{err}");
}

#[test]
fn a_ttl_above_seven_days_is_refused() {
    let err = parse(&["--profile-ttl", "604801"]).unwrap_err().to_string();
    assert!(err.contains("7 days"), "{err}");
}

#[test]
fn a_non_numeric_ttl_is_refused() {
    let err = parse(&["--thumb-ttl", "1h"]).unwrap_err().to_string();
    assert!(err.contains("whole number of seconds"), "{err}");
}

#[test]
fn the_signing_window_is_a_fraction_of_at_most_a_half() {
    assert_eq!(parse(&[]).unwrap().url_window_fraction, 0.125);
    let config = parse(&["--url-window-fraction", "0.25"]).unwrap();
    assert_eq!(config.url_window_fraction, 0.25);
    for bad in ["0", "-0.1", "0.75", "NaN", "eighth"] {
        assert!(
            parse(&["--url-window-fraction", bad]).is_err(),
            "{bad} was accepted"
        );
    }
    let mut config = Config::for_tests("/tmp/x", "pw");
    config.url_window_fraction = 0.0;
    assert!(config.validate().is_err());
}

#[test]
fn booleans_accept_common_spellings() {
    let config = parse(&["--s3-path-style", "no", "--secure-cookies", "1"]).unwrap();
    assert!(!config.s3_path_style);
    assert_eq!(config.secure_cookies, Some(true));
}

#[test]
fn cookies_are_secure_by_default_when_the_app_is_served_over_tls_only() {
    let secure = |args: &[&str]| parse(args).unwrap().use_secure_cookies();
    assert!(!secure(&[]), "no public URL: a local http run");
    assert!(secure(&["--public-url", "https://lanyard.example"]));
    assert!(secure(&[
        "--public-url",
        "HTTPS://a.example,https://b.example/"
    ]));
    assert!(!secure(&[
        "--public-url",
        "https://a.example,http://b.example"
    ]));
    assert!(!secure(&["--public-url", "http://lanyard.example"]));
    // The explicit setting wins either way.
    assert!(!secure(&[
        "--public-url",
        "https://a.example",
        "--secure-cookies",
        "false"
    ]));
    assert!(secure(&[
        "--public-url",
        "http://a.example",
        "--secure-cookies",
        "true"
    ]));
}

#[test]
fn seed_modes_and_sizes_parse() {
    let config = parse(&["--seed", "none", "--seed-people", "100000"]).unwrap();
    assert_eq!(config.seed, SeedMode::None);
    assert_eq!(config.seed_people, 100_000);
    assert!(parse(&["--seed-people", "3"]).is_err());
}

#[test]
fn public_urls_split_on_commas() {
    let config = parse(&["--public-url", "http://a.test,http://b.test"]).unwrap();
    assert_eq!(config.public_url, ["http://a.test", "http://b.test"]);
}

#[test]
fn validate_refuses_a_ttl_set_by_code() {
    let mut config = Config::for_tests("/tmp/x", "pw");
    config.thumb_ttl = Duration::from_secs(MAX_URL_TTL_SECS + 1);
    assert!(matches!(config.validate(), Err(ConfigError::Ttl { .. })));
    config.thumb_ttl = Duration::ZERO;
    assert!(config.validate().is_err());
}

#[test]
fn validate_wants_both_halves_of_the_credentials() {
    let mut config = Config::for_tests("/tmp/x", "pw");
    assert!(config.validate().is_ok());
    config.aws_access_key_id = Some("AKIA".into());
    assert!(matches!(
        config.validate(),
        Err(ConfigError::HalfCredentials)
    ));
    config.aws_access_key_id = None;
    config.aws_endpoint_url_s3 = Some("http://minio:9000".into());
    assert!(matches!(
        config.validate(),
        Err(ConfigError::MissingCredentials)
    ));
}

#[test]
fn the_database_defaults_to_the_data_folder() {
    let config = Config::for_tests("/srv/lanyard", "pw");
    assert_eq!(config.database_url(), "sqlite:///srv/lanyard/lanyard.db");
}

#[test]
fn debug_never_shows_secrets() {
    let mut config = Config::for_tests("/tmp/x", "demo-pw-123");
    config.aws_secret_access_key = Some(SecretString::from("s3cr3t-key"));
    let shown = format!("{config:?}");
    assert!(!shown.contains("demo-pw-123"), "{shown}");
    assert!(!shown.contains("s3cr3t-key"), "{shown}");
    assert_eq!(config.demo_password.unwrap().expose_secret(), "demo-pw-123");
}

#[test]
fn every_setting_is_in_the_readme() {
    // The README's configuration table is the operators' list: a setting
    // missing there does not exist for them. (Hidden ones are for
    // benchmarks, documented where they are used.)
    let readme = include_str!("../../../README.md");
    let missing: Vec<String> = Config::command()
        .get_arguments()
        .filter(|arg| !arg.is_hide_set())
        .filter_map(|arg| arg.get_env())
        .filter_map(|name| name.to_str())
        .filter(|name| !readme.contains(&format!("`{name}`")))
        .map(str::to_owned)
        .collect();
    assert!(missing.is_empty(), "not in README.md: {missing:?}");
}
