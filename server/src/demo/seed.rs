//! Writes a generated company into the database and its portraits into the
//! bucket, under the same keys and states real photos use.
//!
//! Objects are uploaded first, rows inserted after in one transaction: if the
//! seed is interrupted the database is still empty and the next start seeds
//! again (leaving a few orphaned objects, which nothing ever points at).

use super::avatar::render_avatar;
use super::company::{self, Account, Person};
use crate::auth::hash_password;
use crate::db::{query, Args, Db, Exec as _};
use crate::storage::{keys, ObjectStore};
use anyhow::Context as _;
use bytes::Bytes;
use lanyard_wire::PhotoState;
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};
use tokio::task::JoinSet;

/// Uploads in flight at once.
const UPLOADS_IN_FLIGHT: usize = 16;
/// Rows per INSERT statement (13 bound values each, well under SQLite's
/// 32766 and PostgreSQL's 65535).
const ROWS_PER_INSERT: usize = 500;
/// Up to this many people, every portrait is rendered for its person. Above
/// it, rendering two JPEGs per person on the two shared cores would dominate
/// a 100,000-person seed, so a pool of [`AVATAR_POOL`] distinct portraits is
/// rendered once and their bytes are stored again under each person's own
/// keys (every person still has their own version id and objects).
const RENDER_EACH_UP_TO: usize = 2_000;
const AVATAR_POOL: usize = 256;
/// Portrait sizes: the grid thumbnail and the profile photo.
const THUMB_SIZE: u32 = 160;
const PROFILE_SIZE: u32 = 480;

/// What the seed created.
#[derive(Debug, Clone, Copy)]
pub struct SeedReport {
    pub people: usize,
    pub photos: usize,
}

/// A person's portrait as stored: one version, two objects.
struct PhotoJob {
    version_id: String,
    avatar_seed: u64,
}

/// Seeds `size` people generated from `seed` into an empty database.
pub async fn seed(
    db: &Db,
    store: &Arc<ObjectStore>,
    size: usize,
    seed: u64,
    demo_password: &str,
) -> anyhow::Result<SeedReport> {
    let started = Instant::now();
    let people = company::generate(size, seed);
    let photos: Vec<Option<PhotoJob>> = people
        .iter()
        .map(|p| {
            p.avatar_seed.map(|avatar_seed| PhotoJob {
                version_id: keys::new_version_id(),
                avatar_seed,
            })
        })
        .collect();
    let photo_count = photos.iter().flatten().count();
    tracing::info!(
        people = people.len(),
        photos = photo_count,
        "seeding the demo company"
    );

    upload_photos(
        store,
        photos.iter().flatten(),
        people.len() > RENDER_EACH_UP_TO,
    )
    .await?;

    let password = demo_password.to_owned();
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .context("hashing the demo password panicked")??;
    insert_rows(db, &people, &photos, &hash).await?;

    tracing::info!(
        people = people.len(),
        photos = photo_count,
        seconds = started.elapsed().as_secs_f32(),
        "seeded the demo company"
    );
    Ok(SeedReport {
        people: people.len(),
        photos: photo_count,
    })
}

async fn upload_photos<'a>(
    store: &Arc<ObjectStore>,
    jobs: impl Iterator<Item = &'a PhotoJob>,
    pooled: bool,
) -> anyhow::Result<()> {
    let pool = if pooled {
        Some(Arc::new(render_pool().await?))
    } else {
        None
    };
    let mut in_flight = JoinSet::new();
    let mut done = 0usize;
    for job in jobs {
        while in_flight.len() >= UPLOADS_IN_FLIGHT {
            finish_one(&mut in_flight, &mut done).await?;
        }
        let store = Arc::clone(store);
        let pool = pool.clone();
        let version_id = job.version_id.clone();
        let avatar_seed = job.avatar_seed;
        in_flight.spawn(async move {
            let (thumb, profile) = match pool {
                Some(pool) => pool[(avatar_seed % AVATAR_POOL as u64) as usize].clone(),
                None => render_pair(avatar_seed).await?,
            };
            store
                .put(&keys::thumb_key(&version_id), thumb, "image/jpeg")
                .await
                .context("uploading a demo thumbnail")?;
            store
                .put(&keys::profile_key(&version_id), profile, "image/jpeg")
                .await
                .context("uploading a demo profile photo")?;
            anyhow::Ok(())
        });
    }
    while !in_flight.is_empty() {
        finish_one(&mut in_flight, &mut done).await?;
    }
    Ok(())
}

async fn finish_one(
    in_flight: &mut JoinSet<anyhow::Result<()>>,
    done: &mut usize,
) -> anyhow::Result<()> {
    if let Some(joined) = in_flight.join_next().await {
        joined.context("a demo photo upload panicked")??;
        *done += 1;
        if done.is_multiple_of(10_000) {
            tracing::info!(photos = *done, "uploaded demo photos");
        }
    }
    Ok(())
}

/// Both sizes of one portrait, rendered off the async workers.
async fn render_pair(avatar_seed: u64) -> anyhow::Result<(Bytes, Bytes)> {
    tokio::task::spawn_blocking(move || {
        (
            Bytes::from(render_avatar(avatar_seed, THUMB_SIZE)),
            Bytes::from(render_avatar(avatar_seed, PROFILE_SIZE)),
        )
    })
    .await
    .context("rendering a demo portrait panicked")
}

async fn render_pool() -> anyhow::Result<Vec<(Bytes, Bytes)>> {
    let mut pool = Vec::with_capacity(AVATAR_POOL);
    for i in 0..AVATAR_POOL as u64 {
        // Spread the pool's seeds; consecutive seeds may look alike.
        pool.push(render_pair(i.wrapping_mul(0x9E37_79B9_7F4A_7C15)).await?);
    }
    Ok(pool)
}

async fn insert_rows(
    db: &Db,
    people: &[Person],
    photos: &[Option<PhotoJob>],
    demo_hash: &str,
) -> anyhow::Result<()> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    let id_of = |index: usize| index as i64 + 1;
    let mut tx = db.begin().await?;
    // Replicas starting together on one empty database seed it once: the
    // others find it seeded here and write nothing (their portraits stay
    // behind in the bucket unreferenced, as after an interrupted seed).
    tx.lock_directory().await?;
    if !super::is_empty(&mut tx).await? {
        tracing::info!("another replica seeded the demo company first");
        return Ok(());
    }
    for (chunk, chunk_photos) in people
        .chunks(ROWS_PER_INSERT)
        .zip(photos.chunks(ROWS_PER_INSERT))
    {
        let mut args = Args::default();
        let rows: Vec<String> = chunk
            .iter()
            .zip(chunk_photos)
            .map(|(person, photo)| {
                let (role, hash) = match person.account {
                    Account::None => ("employee", None),
                    Account::DemoEmployee => ("employee", Some(demo_hash)),
                    Account::DemoHr => ("hr", Some(demo_hash)),
                };
                let values = [
                    args.add(id_of(person.index)),
                    args.add(&person.name),
                    args.add(&person.email),
                    args.add(&person.title),
                    args.add(person.department),
                    args.add(person.location),
                    args.add(&person.phone),
                    args.add(person.manager.map(id_of)),
                    args.add(role),
                    args.add(hash),
                    args.add(true),
                    args.add(photo.as_ref().map(|p| p.version_id.as_str())),
                    args.add(now),
                ];
                format!("({})", values.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO employees (id, name, email, title, department, location, phone, \
             manager_id, role, password_hash, active, photo_version_id, created_at) VALUES {}",
            rows.join(", ")
        );
        tx.execute(query(sql).bind_args(args)).await?;

        let mut args = Args::default();
        let rows: Vec<String> = chunk
            .iter()
            .zip(chunk_photos)
            .filter_map(|(person, photo)| photo.as_ref().map(|p| (person, p)))
            .map(|(person, photo)| {
                format!(
                    "({}, {}, {}, {}, {})",
                    args.add(photo.version_id.as_str()),
                    args.add(id_of(person.index)),
                    args.add(PhotoState::Approved.as_str()),
                    args.add(now),
                    args.add(now)
                )
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        let sql = format!(
            "INSERT INTO photo_versions (id, employee_id, state, created_at, decided_at) VALUES {}",
            rows.join(", ")
        );
        tx.execute(query(sql).bind_args(args)).await?;
    }
    // Ids were given explicitly: new people continue after the last.
    tx.sync_identity("employees").await?;
    tx.commit().await.context("committing the demo company")?;
    Ok(())
}
