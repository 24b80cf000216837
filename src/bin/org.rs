//! The org chart bundle's entry point (see `lanyard::apps`).

fn main() {
    lanyard::apps::start(lanyard::apps::OrgApp);
}
