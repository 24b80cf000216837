//! The browser entry point: mount the app on `<body>`.

fn main() {
    // Panics show up in the browser console with a Rust backtrace instead of
    // an opaque "unreachable executed".
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(lanyard::App);
}
