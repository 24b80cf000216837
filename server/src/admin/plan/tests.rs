use super::*;
use crate::admin::csv_file::parse;

const HEADER: &str = "name,email,title,department,location,phone,manager_email,role";
const HR_ID: i64 = 2;

fn person(id: i64, name: &str, manager: Option<i64>) -> ExistingPerson {
    let first = name.split(' ').next().unwrap_or(name).to_lowercase();
    ExistingPerson {
        id,
        name: name.to_owned(),
        email: format!("{first}@x.io"),
        title: "Engineer".into(),
        department: "R&D".into(),
        location: "London".into(),
        phone: String::new(),
        manager_id: manager,
        role: DbRole(Role::Employee),
        active: true,
    }
}

/// ceo(1) ← hr(2), ceo(1) ← ann(3) ← bob(4); gus(5) has left.
fn directory() -> Vec<ExistingPerson> {
    let mut hr = person(HR_ID, "Hana", Some(1));
    hr.role = DbRole(Role::Hr);
    let mut gone = person(5, "Gus", Some(1));
    gone.active = false;
    vec![
        person(1, "Cleo", None),
        hr,
        person(3, "Ann", Some(1)),
        person(4, "Bob", Some(3)),
        gone,
    ]
}

fn plan_of(lines: &str) -> Plan {
    plan(&directory(), &parse(&format!("{HEADER}\n{lines}")), HR_ID)
}

fn error_lines(plan: &Plan) -> Vec<u32> {
    plan.errors.iter().map(|e| e.line).collect()
}

#[test]
fn new_emails_add_known_ones_update_and_identical_lines_are_unchanged() {
    let plan = plan_of(
        "Dan New,dan@x.io,Engineer,R&D,Oslo,,ann@x.io,\n\
         Bob,BOB@X.IO,Lead,R&D,London,,ann@x.io,\n\
         Ann,ann@x.io,Engineer,R&D,London,,cleo@x.io,\n",
    );
    assert!(plan.errors.is_empty(), "{:?}", plan.errors);
    assert_eq!(plan.adds.len(), 1);
    assert_eq!(plan.adds[0].line, 2);
    assert_eq!(plan.adds[0].manager, Some(ManagerRef::Existing(3)));
    assert_eq!(plan.adds[0].fields.role, Role::Employee);
    assert_eq!(plan.updates.len(), 1);
    let update = &plan.updates[0];
    assert_eq!((update.line, update.id), (3, 4));
    assert_eq!(update.changed, ["title"]);
    // Matched ignoring case; the directory's spelling of the email stays.
    assert_eq!(update.fields.email, "bob@x.io");
    assert_eq!(plan.unchanged, 1);
}

#[test]
fn every_changed_field_is_named() {
    let plan = plan_of("Bobby,bob@x.io,Lead,Ops,Paris,+1,cleo@x.io,hr\n");
    assert_eq!(
        plan.updates[0].changed,
        [
            "name",
            "title",
            "department",
            "location",
            "phone",
            "manager",
            "role"
        ]
    );
}

#[test]
fn an_empty_role_keeps_the_role_and_an_empty_manager_means_none() {
    let plan = plan_of("Hana,hana@x.io,Engineer,R&D,London,,,\n");
    assert!(plan.errors.is_empty(), "{:?}", plan.errors);
    assert_eq!(plan.updates[0].changed, ["manager"]);
    assert_eq!(plan.updates[0].fields.role, Role::Hr);
    assert_eq!(plan.updates[0].manager, None);
}

#[test]
fn without_a_manager_column_managers_stay() {
    let file = parse("name,email,title,department,location,phone\nBob,bob@x.io,Lead,R&D,London,\n");
    let plan = plan(&directory(), &file, HR_ID);
    assert_eq!(plan.updates[0].changed, ["title"]);
    assert_eq!(plan.updates[0].manager, Some(ManagerRef::Existing(3)));
}

#[test]
fn a_manager_may_be_added_by_a_later_line_of_the_same_file() {
    let plan = plan_of(
        "Eve,eve@x.io,Engineer,R&D,Oslo,,fay@x.io,\n\
         Fay,fay@x.io,Head,R&D,Oslo,,cleo@x.io,\n",
    );
    assert!(plan.errors.is_empty(), "{:?}", plan.errors);
    assert_eq!(
        plan.adds[0].manager,
        Some(ManagerRef::Added("fay@x.io".into()))
    );
    assert_eq!(plan.adds[1].manager, Some(ManagerRef::Existing(1)));
}

#[test]
fn an_unknown_manager_is_an_error_on_its_line() {
    let plan = plan_of(
        "Eve,eve@x.io,Engineer,R&D,Oslo,,nobody@x.io,\n\
         Fay,fay@x.io,Head,R&D,Oslo,,,\n",
    );
    assert_eq!(error_lines(&plan), [2]);
    assert!(
        plan.errors[0].message.contains("nobody@x.io"),
        "{:?}",
        plan.errors
    );
    assert!(plan.errors[0].message.starts_with("manager_email"));
    // The good line is still planned (for the preview), but the import as
    // a whole has errors and writes nothing.
    assert_eq!(plan.adds.len(), 1);
}

#[test]
fn duplicate_emails_in_the_file_are_errors_on_the_later_lines() {
    let plan = plan_of(
        "Eve,eve@x.io,Engineer,R&D,Oslo,,,\n\
         Eve Two,EVE@x.io,Engineer,R&D,Oslo,,,\n\
         Eve Three,eve@x.io,Engineer,R&D,Oslo,,,\n",
    );
    assert_eq!(error_lines(&plan), [3, 4]);
    assert!(
        plan.errors[0].message.contains("also on line 2"),
        "{:?}",
        plan.errors
    );
}

#[test]
fn invalid_fields_are_errors_naming_the_column() {
    let plan = plan_of(
        ",eve@x.io,Engineer,R&D,Oslo,,,\n\
         Fay,not-an-email,Engineer,R&D,Oslo,,,\n\
         Gil,gil@x.io,Engineer,R&D,Oslo,,,boss\n",
    );
    assert_eq!(error_lines(&plan), [2, 3, 4]);
    assert!(
        plan.errors[0].message.starts_with("name "),
        "{:?}",
        plan.errors
    );
    assert!(
        plan.errors[1].message.starts_with("email "),
        "{:?}",
        plan.errors
    );
    assert!(
        plan.errors[2].message.starts_with("role "),
        "{:?}",
        plan.errors
    );
    assert!(plan.adds.is_empty());
}

#[test]
fn being_ones_own_manager_is_an_error() {
    let plan = plan_of("Ann,ann@x.io,Engineer,R&D,London,,ANN@x.io,\n");
    assert_eq!(error_lines(&plan), [2]);
    assert!(
        plan.errors[0].message.contains("themself"),
        "{:?}",
        plan.errors
    );
}

#[test]
fn a_loop_through_the_directory_is_an_error() {
    // Bob reports to Ann; making Ann report to Bob closes a loop.
    let plan = plan_of("Ann,ann@x.io,Engineer,R&D,London,,bob@x.io,\n");
    assert_eq!(error_lines(&plan), [2]);
    let message = &plan.errors[0].message;
    assert!(message.contains("loop"), "{message}");
    assert!(
        message.contains("ann@x.io") && message.contains("bob@x.io"),
        "{message}"
    );
}

#[test]
fn a_loop_among_new_people_is_an_error_on_each_of_its_lines() {
    let plan = plan_of(
        "Eve,eve@x.io,Engineer,R&D,Oslo,,fay@x.io,\n\
         Fay,fay@x.io,Engineer,R&D,Oslo,,gil@x.io,\n\
         Gil,gil@x.io,Engineer,R&D,Oslo,,eve@x.io,\n\
         Hal,hal@x.io,Engineer,R&D,Oslo,,eve@x.io,\n",
    );
    // Hal reports into the loop but is not on it.
    assert_eq!(error_lines(&plan), [2, 3, 4]);
}

#[test]
fn swapping_two_managers_in_one_file_is_not_a_loop() {
    // Ann moves under Hana, then Bob moves under Cleo: the final tree counts.
    let plan = plan_of(
        "Bob,bob@x.io,Engineer,R&D,London,,cleo@x.io,\n\
         Ann,ann@x.io,Engineer,R&D,London,,bob@x.io,\n",
    );
    assert!(plan.errors.is_empty(), "{:?}", plan.errors);
    assert_eq!(plan.updates.len(), 2);
}

#[test]
fn a_deactivated_manager_is_refused_unless_already_the_manager() {
    let mut people = directory();
    people[3].manager_id = Some(5); // Bob already reports to Gus, who left.
    let file = parse(&format!(
        "{HEADER}\nBob,bob@x.io,Lead,R&D,London,,gus@x.io,\nAnn,ann@x.io,Engineer,R&D,London,,gus@x.io,\n"
    ));
    let plan = plan(&people, &file, HR_ID);
    assert_eq!(error_lines(&plan), [3]);
    assert!(
        plan.errors[0].message.contains("deactivated"),
        "{:?}",
        plan.errors
    );
    assert_eq!(plan.updates[0].changed, ["title"]);
}

#[test]
fn hr_cannot_take_away_their_own_role_by_import() {
    let plan = plan_of("Hana,hana@x.io,Engineer,R&D,London,,cleo@x.io,employee\n");
    assert_eq!(error_lines(&plan), [2]);
    assert!(
        plan.errors[0].message.contains("own HR role"),
        "{:?}",
        plan.errors
    );
}

#[test]
fn parse_errors_come_through_in_line_order() {
    let plan = plan_of(
        "Eve,eve@x.io,Engineer,R&D,Oslo,,nobody@x.io,\n\
         Fay,fay@x.io\n",
    );
    assert_eq!(error_lines(&plan), [2, 3]);
}

#[test]
fn an_inactive_person_in_the_file_is_updated_and_stays_inactive() {
    let plan = plan_of("Gus,gus@x.io,Retired,R&D,London,,cleo@x.io,\n");
    assert!(plan.errors.is_empty(), "{:?}", plan.errors);
    assert_eq!(
        (plan.updates[0].id, plan.updates[0].changed.clone()),
        (5, vec!["title"])
    );
}

#[test]
fn a_large_file_plans_quickly_enough_to_run_inside_a_transaction() {
    // Not a timing assertion: a 20,000-line chain exercises the loop check's
    // linear walk (a quadratic one would make this test crawl).
    let mut lines = String::new();
    for i in 0..20_000 {
        let manager = if i == 0 {
            "cleo@x.io".to_owned()
        } else {
            format!("p{}@x.io", i - 1)
        };
        lines.push_str(&format!("P {i},p{i}@x.io,Engineer,R&D,Oslo,,{manager},\n"));
    }
    let plan = plan_of(&lines);
    assert!(plan.errors.is_empty());
    assert_eq!(plan.adds.len(), 20_000);
}
