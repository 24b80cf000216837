//! A made-up company, generated deterministically from a seed: people,
//! titles, locations, phone numbers and a real reporting tree.
//!
//! Pure: no database, no store, no clock. The same `(size, seed)` always
//! gives the same company, so tests can reason about it.

use super::departments::{Department, DEPARTMENTS, LOCATIONS};
use super::names::{email_part, FIRST_NAMES, LAST_NAMES};
use super::{EMPLOYEE_EMAIL, HR_EMAIL};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;

/// Direct reports per manager in the generated tree.
const SPAN: usize = 7;
/// About nine in ten people have a photo.
const PHOTO_SHARE: f64 = 0.9;
/// The company's email domain (`.example` is reserved: it never resolves).
pub const EMAIL_DOMAIN: &str = "lanyard.example";

/// Whether a generated person can sign in, and as what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Account {
    /// Cannot sign in (no password).
    None,
    /// The demo employee account.
    DemoEmployee,
    /// The demo HR account.
    DemoHr,
}

/// One generated person. `index` is their position in the company (the
/// database id is `index + 1`); managers always come before their reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub index: usize,
    pub name: String,
    pub email: String,
    pub title: String,
    pub department: &'static str,
    pub location: &'static str,
    pub phone: String,
    pub manager: Option<usize>,
    pub account: Account,
    /// Seed of the generated portrait; `None` = no photo.
    pub avatar_seed: Option<u64>,
}

/// Generates a company of `size` people (at least 12: a CEO, ten department
/// heads and someone to report to them).
pub fn generate(size: usize, seed: u64) -> Vec<Person> {
    let size = size.max(12);
    let mut rng = StdRng::seed_from_u64(seed);
    let mut people = Vec::with_capacity(size);
    let mut emails = Emails::default();

    let ceo_location = pick_location(&mut rng);
    people.push(new_person(
        &mut rng,
        &mut emails,
        0,
        "Chief Executive Officer",
        "Operations",
        ceo_location,
        None,
    ));

    // Each department is a complete SPAN-ary tree under its head, and each
    // head reports to the CEO: every manager precedes its reports, so the
    // tree has no cycles by construction.
    let mut members_of = Vec::new();
    for (dept, count) in DEPARTMENTS.iter().zip(split(size - 1, DEPARTMENTS)) {
        let mut members: Vec<usize> = Vec::with_capacity(count);
        for j in 0..count {
            let index = people.len();
            let (manager, title, location) = if j == 0 {
                (0, dept.head.to_owned(), pick_location(&mut rng))
            } else {
                let manager = members[(j - 1) / SPAN];
                let has_reports = SPAN * j + 1 < count;
                let title = if has_reports {
                    dept.manager.to_owned()
                } else {
                    ic_title(&mut rng, dept)
                };
                // Most people work where their manager does.
                let location = if rng.random_bool(0.65) {
                    people[manager].location
                } else {
                    pick_location(&mut rng)
                };
                (manager, title, location)
            };
            let person = new_person(
                &mut rng,
                &mut emails,
                index,
                &title,
                dept.name,
                location,
                Some(manager),
            );
            people.push(person);
            members.push(index);
        }
        members_of.push(members);
    }

    // The demo employee: an individual contributor in Engineering (a manager,
    // colleagues, a photo). The demo HR person: someone in People.
    // The last member of a department is always an individual contributor.
    let last_of = |name: &str| {
        members_of[department_index(name)]
            .last()
            .copied()
            .unwrap_or_default()
    };
    let employee = last_of("Engineering");
    let hr = last_of("People");
    for (index, account, email) in [
        (employee, Account::DemoEmployee, EMPLOYEE_EMAIL),
        (hr, Account::DemoHr, HR_EMAIL),
    ] {
        let person = &mut people[index];
        person.account = account;
        person.email = email.to_owned();
        person.avatar_seed = Some(avatar_seed(seed, index));
    }
    if people[hr].title != DEPARTMENTS[department_index("People")].head {
        people[hr].title = "HR Business Partner".to_owned();
    }
    people
}

fn department_index(name: &str) -> usize {
    DEPARTMENTS
        .iter()
        .position(|d| d.name == name)
        .unwrap_or_default()
}

fn new_person(
    rng: &mut StdRng,
    emails: &mut Emails,
    index: usize,
    title: &str,
    department: &'static str,
    location: &'static str,
    manager: Option<usize>,
) -> Person {
    let first = FIRST_NAMES[rng.random_range(0..FIRST_NAMES.len())];
    let last = LAST_NAMES[rng.random_range(0..LAST_NAMES.len())];
    let has_photo = rng.random_bool(PHOTO_SHARE);
    Person {
        index,
        name: format!("{first} {last}"),
        email: emails.unique(first, last),
        title: title.to_owned(),
        department,
        location,
        phone: phone(rng, location),
        manager,
        account: Account::None,
        avatar_seed: has_photo.then(|| avatar_seed(rng.random(), index)),
    }
}

/// A portrait seed that differs for every person.
fn avatar_seed(seed: u64, index: usize) -> u64 {
    // SplitMix64's finalizer: neighbouring indexes give unrelated seeds.
    let mut z = seed ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn ic_title(rng: &mut StdRng, dept: &Department) -> String {
    let job = dept.jobs[rng.random_range(0..dept.jobs.len())];
    let level = rng.random_range(0..100);
    let prefix = match level {
        0..=14 => "Associate ",
        15..=59 => "",
        60..=89 => "Senior ",
        _ if dept.name == "Engineering" => "Staff ",
        _ => "Lead ",
    };
    format!("{prefix}{job}")
}

fn pick_location(rng: &mut StdRng) -> &'static str {
    let total: u32 = LOCATIONS.iter().map(|(_, w)| w).sum();
    let mut roll = rng.random_range(0..total);
    for (name, weight) in LOCATIONS {
        if roll < *weight {
            return name;
        }
        roll -= weight;
    }
    LOCATIONS[0].0
}

/// A plausible phone number for the location (fictional ranges where the
/// country has one).
fn phone(rng: &mut StdRng, location: &str) -> String {
    let mut digits = |n: u32| rng.random_range(0..10u32.pow(n));
    match location {
        "Lisbon" => format!("+351 21 {:03} {:04}", digits(3), digits(4)),
        "Berlin" => format!("+49 30 {:04} {:04}", digits(4), digits(4)),
        "Toronto" => format!("+1 416 555 {:04}", digits(4)),
        "Austin" => format!("+1 512 555 {:04}", digits(4)),
        "Singapore" => format!("+65 6{:03} {:04}", digits(3), digits(4)),
        _ => format!("+1 555 {:03} {:04}", digits(3), digits(4)),
    }
}

/// Splits `total` people across departments by weight, largest remainder
/// first, each department getting at least one (its head).
fn split(total: usize, departments: &[Department]) -> Vec<usize> {
    let weights: u64 = departments.iter().map(|d| u64::from(d.weight)).sum();
    let spare = total.saturating_sub(departments.len()) as u64;
    let mut counts: Vec<usize> = departments
        .iter()
        .map(|d| 1 + (spare * u64::from(d.weight) / weights) as usize)
        .collect();
    let mut order: Vec<usize> = (0..departments.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse((spare * u64::from(departments[i].weight)) % weights));
    let mut left = total.saturating_sub(counts.iter().sum());
    for i in order.into_iter().cycle() {
        if left == 0 {
            break;
        }
        counts[i] += 1;
        left -= 1;
    }
    counts
}

/// Hands out `first.last@domain`, then `first.last2@domain`, ...
#[derive(Default)]
struct Emails {
    taken: HashMap<String, u32>,
}

impl Emails {
    fn unique(&mut self, first: &str, last: &str) -> String {
        let local = format!("{}.{}", email_part(first), email_part(last));
        let n = self.taken.entry(local.clone()).or_insert(0);
        *n += 1;
        if *n == 1 {
            format!("{local}@{EMAIL_DOMAIN}")
        } else {
            format!("{local}{n}@{EMAIL_DOMAIN}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_same_seed_gives_the_same_company() {
        assert_eq!(generate(100, 7), generate(100, 7));
        assert_ne!(generate(100, 7), generate(100, 8));
    }

    #[test]
    fn the_company_has_the_requested_size() {
        for size in [20, 40, 320, 1000] {
            assert_eq!(generate(size, 1).len(), size);
        }
    }

    #[test]
    fn every_email_is_unique() {
        let people = generate(5000, 3);
        let emails: HashSet<_> = people.iter().map(|p| p.email.to_lowercase()).collect();
        assert_eq!(emails.len(), people.len());
    }

    #[test]
    fn the_reporting_tree_has_one_root_and_no_cycles() {
        let people = generate(320, 42);
        let roots: Vec<_> = people.iter().filter(|p| p.manager.is_none()).collect();
        assert_eq!(roots.len(), 1);
        assert_eq!(roots[0].title, "Chief Executive Officer");
        for person in &people {
            // Managers come first, so walking up always ends at the root.
            if let Some(manager) = person.manager {
                assert!(manager < person.index, "{person:?}");
            }
        }
    }

    #[test]
    fn department_heads_report_to_the_ceo() {
        let people = generate(320, 42);
        let heads: Vec<_> = people.iter().filter(|p| p.manager == Some(0)).collect();
        assert_eq!(heads.len(), DEPARTMENTS.len());
        let depts: HashSet<_> = heads.iter().map(|p| p.department).collect();
        assert_eq!(depts.len(), DEPARTMENTS.len());
    }

    #[test]
    fn there_are_ten_departments_and_six_locations() {
        let people = generate(320, 42);
        let depts: HashSet<_> = people.iter().map(|p| p.department).collect();
        let locations: HashSet<_> = people.iter().map(|p| p.location).collect();
        assert_eq!(depts.len(), 10);
        assert_eq!(locations.len(), 6);
    }

    #[test]
    fn about_nine_in_ten_people_have_a_photo() {
        let people = generate(2000, 5);
        let with_photo = people.iter().filter(|p| p.avatar_seed.is_some()).count();
        assert!((1700..=1900).contains(&with_photo), "{with_photo}");
        let seeds: HashSet<_> = people.iter().filter_map(|p| p.avatar_seed).collect();
        assert_eq!(seeds.len(), with_photo, "portraits are distinct");
    }

    #[test]
    fn the_demo_accounts_fit_their_story() {
        for size in [20, 40, 320] {
            let people = generate(size, 11);
            let employee = people
                .iter()
                .find(|p| p.account == Account::DemoEmployee)
                .unwrap();
            assert_eq!(employee.email, EMPLOYEE_EMAIL);
            assert!(employee.avatar_seed.is_some());
            assert!(employee.manager.is_some());
            let colleagues = people
                .iter()
                .filter(|p| p.department == employee.department)
                .count();
            assert!(colleagues > 1, "size {size}");
            let hr = people
                .iter()
                .find(|p| p.account == Account::DemoHr)
                .unwrap();
            assert_eq!(hr.email, HR_EMAIL);
            assert_eq!(hr.department, "People");
        }
    }

    #[test]
    fn a_large_company_is_quick_to_generate() {
        let people = generate(100_000, 1);
        assert_eq!(people.len(), 100_000);
    }
}
