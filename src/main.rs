//! The directory bundle's entry point (see `lanyard::apps`).

fn main() {
    lanyard::apps::start(lanyard::apps::DirectoryApp);
}
