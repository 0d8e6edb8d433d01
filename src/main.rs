//! Binary entry point: install the panic hook and mount the app.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    async_playground::ui::mount_app();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("async-playground runs in the browser: use `make serve`.");
}
